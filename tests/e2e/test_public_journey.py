"""A citizen on a phone: search 许可, open a power, read the flowchart outline, download
its PDF, compare two published versions; axe-core finds no serious or critical violation
on the way."""

import subprocess

import pytest
from django.core.cache import cache

from disclosure.services import publication_create
from tests.disclosure.factories import confirmed_flowchart, confirmed_power, revise_and_confirm
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_citizen_finds_reads_and_compares_a_power(org, live_server, phone, settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_PDF_RENDER_ON_PUBLISH = True  # eager here: ready when publishing returns
    power = confirmed_power(org, name="排污许可证核发", code="210000-XK-007")
    confirmed_flowchart(power, steps=[("受理", "受理岗", 1), ("审查", "审查岗", 10), ("决定", "决定岗", 3)])
    publication_create(user=org.dept_reviewer, department=org.dept, note="首次公开。")
    revise_and_confirm(org, power, promised_limit_days=5)
    publication_create(user=org.dept_reviewer, department=org.dept, note="压缩承诺时限。")

    page = phone
    page.goto(f"{live_server.url}/")
    assert_accessible(page)
    page.get_by_label("搜索事项名称、编码或关键词").fill("许可")
    with page.expect_navigation():
        page.get_by_role("button", name="搜索").click()
    assert page.locator("mark", has_text="许可").first.is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="排污许可证核发").click()
    assert page.get_by_role("heading", level=1).inner_text() == "排污许可证核发"
    outline = page.locator("ol.pub-outline > li")
    assert outline.count() == 3
    assert "受理" in outline.nth(0).inner_text() and "承办岗位:受理岗" in outline.nth(0).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载本事项 PDF").click()
    pdf = download.value.path()
    assert open(pdf, "rb").read(5) == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "排污许可证核发" in text and "210000-XK-007" in text
    page.select_option("#cmp-a", "1")
    page.select_option("#cmp-b", "2")
    with page.expect_navigation():
        page.get_by_role("button", name="对比").click()
    changed = page.locator("tr.pub-changed")
    assert changed.count() == 1
    assert "承诺时限" in changed.inner_text() and "10" in changed.inner_text() and "5" in changed.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="长者模式(大字体)").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.className") == "display-large"
    line_height = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) / "
                                "parseFloat(getComputedStyle(document.body).fontSize)")
    assert line_height >= 1.5
    assert_accessible(page)
