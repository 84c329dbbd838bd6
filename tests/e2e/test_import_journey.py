"""Issue 3, part 4 in a real browser: a clerk downloads the template, uploads a file with
mistakes, reads the row-by-row errors, uploads the corrected file and exports the list."""

import io

import pytest
from openpyxl import load_workbook

from powerlist.catalogue.reference import ensure_categories
from powerlist.models import Category, Power
from tests.e2e.conftest import assert_accessible, login
from tests.powerlist.spreadsheet_helpers import row, xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _upload(page, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="上传并预览").click()
    if page.locator("#preview-errors").count():
        return  # the preview lists the faults; nothing is queued
    with page.expect_navigation():
        page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("#job p strong:text-matches('已完成|失败')")


def test_clerk_imports_a_corrected_file_and_exports_the_list(org, page, live_server, tmp_path):
    ensure_categories(Category)  # transactional tests start without the data migration's rows
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/powers/")
    page.get_by_role("link", name="从 Excel 导入").click()
    assert page.inner_text("h1") == "从 Excel 导入权力事项"
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    template = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert [s.title for s in template.worksheets] == ["权力事项", "填写说明"]

    rows = [row("210000-FG-XK-501", cells={"行使依据": "《中华人民共和国行政许可法》第四十二条"}),
            row("210000-FG-XK-502", category="行政许愿")]
    _upload(page, tmp_path, "清单.xlsx", xlsx(rows, title="发展改革委权力清单"))
    errors = page.inner_text("#preview-errors")
    assert "行政许愿" in errors and "职权类别" in errors
    assert not Power.objects.exists()
    assert_accessible(page)

    rows[1] = row("210000-FG-XK-502", category="许可")
    page.goto(f"{live_server.url}/powers/import/")
    _upload(page, tmp_path, "清单-修改.xlsx", xlsx(rows, title="发展改革委权力清单"))
    assert "新增 2 项" in page.inner_text("#job")
    assert Power.objects.filter(department=org.dept).count() == 2

    page.goto(f"{live_server.url}/powers/")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    exported = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    codes = [r[0] for r in exported.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert codes == ["210000-FG-XK-501", "210000-FG-XK-502"]
