"""The publication PDFs, rendered eagerly here (no broker): what pdftotext reads in
them, the stored size and checksum, the portal's links and the workspace panel.
tests/disclosure/test_pdf_worker.py runs them on real Celery workers."""

import hashlib
import re
import subprocess

import pytest
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from disclosure.models import PublicationFile
from disclosure.register import NonDisclosure, RegisterState, Retraction, RetractionState
from disclosure.services import publication_create
from tests.disclosure.conftest import CANARY_NAMES
from tests.disclosure.factories import revise_and_confirm
from tests.disclosure.test_views import crawl

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_PDF_RENDER_ON_PUBLISH = True
    cache.clear()


def pdf_text(f, tmp_path):
    path = tmp_path / f"{f.pk}.pdf"
    with f.file.open("rb") as stream:
        path.write_bytes(stream.read())
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_fonts(f, tmp_path):
    path = tmp_path / f"{f.pk}.pdf"
    with f.file.open("rb") as stream:
        path.write_bytes(stream.read())
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def test_publication_renders_a_directory_and_one_pdf_per_power(published):
    files = PublicationFile.objects.filter(publication=published.publication)
    assert sorted((f.kind, f.state) for f in files) == [
        ("directory", "ready"), ("power", "ready"), ("power", "ready"), ("power", "ready"), ("power", "ready")]
    for f in files:
        with f.file.open("rb") as stream:
            content = stream.read()
        assert content.startswith(b"%PDF-")
        assert (f.size, f.sha256) == (len(content), hashlib.sha256(content).hexdigest())
        assert f.attempts == 1 and f.progress == 100


def test_directory_pdf_has_cover_contents_powers_flowchart_and_footer(published, tmp_path):
    f = PublicationFile.objects.get(publication=published.publication, kind="directory")
    text = pdf_text(f, tmp_path)
    squeezed = text.replace(" ", "")  # pdftotext drops the spaces beside CJK glyphs
    date = timezone.localtime(published.publication.published_at).strftime("%Y-%m-%d")
    # Cover: department, publication number, date; the same line is the running footer.
    assert "行政权力清单公开目录" in text
    assert text.count(f"发展改革委 · 第 1 批公开 · {date}") == f.pages + 1  # cover + every footer
    assert "目录" in text
    # Categories in their order, each power under its category.
    body = text[text.index("目录"):]
    assert body.index("行政许可") < body.index("行政处罚") < body.index("行政给付")
    for name in ("企业投资项目核准", "对不执行政府定价行为的行政处罚", "最低生活保障金给付", "建设工程消防设计审查"):
        assert text.count(name) >= 2, name  # in the contents and in the body
    assert "《中华人民共和国行政许可法》" in text
    # The flowchart is drawn: "承办:…" and "时限:…" are the SVG's node labels (the outline
    # below it says "承办岗位:…").
    assert "承办:受理岗" in squeezed and "时限:10个工作日" in squeezed and "承办岗位:审查岗" in squeezed
    assert "投诉电话:024-12345" in text
    assert f"第1页/共{f.pages}页" in squeezed and f"第{f.pages}页/共{f.pages}页" in squeezed
    assert f.pages >= 3
    for name in CANARY_NAMES:
        assert name not in text
    fonts = pdf_fonts(f, tmp_path)
    assert "WenQuanYi" in fonts and " yes " in fonts  # embedded (subset)


def test_one_power_pdf_holds_that_power_only(published, tmp_path):
    f = PublicationFile.objects.get(kind="power", published_power__code="210000-XK-001")
    text = pdf_text(f, tmp_path)
    assert "企业投资项目核准" in text and "210000-XK-001" in text
    assert "最低生活保障金给付" not in text
    assert f"第1页/共{f.pages}页" in text.replace(" ", "")
    canary = PublicationFile.objects.get(kind="power", published_power__code="210000-XK-CANARY2")
    text = pdf_text(canary, tmp_path)
    assert "建设工程消防设计审查" in text
    assert "金丝雀审核中修订名称" not in text


def _download_links(html):
    return re.findall(r'href="(/files/pdf/\d+/)"', html)


def test_every_pdf_the_portal_links_is_free_of_canaries(client, published, tmp_path):
    pages = crawl(client)
    links = sorted({link for body in pages.values() for link in _download_links(body)})
    # The department page links the directory, each of the four power pages its own file.
    assert len(links) == 5
    for link in links:
        response = client.get(link)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content)
        assert response["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
        path = tmp_path / "download.pdf"
        path.write_bytes(body)
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
        for name in CANARY_NAMES:
            assert name not in text, link


def test_links_appear_once_ready_through_the_page_cache(org, client, published, django_capture_on_commit_callbacks):
    url = f"/r/210000/d/{org.dept.pk}/"
    power_url = "/p/210000/210000-XK-001/"
    assert "下载公开目录 PDF" in client.get(url).content.decode()
    # A second publication changes one power: its files are planned but not rendered yet.
    revise_and_confirm(org, published.licence, promised_limit_days=5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = publication_create(user=org.dept_reviewer, department=org.dept, note="压缩承诺时限。")
    for callback in callbacks:
        if callback.__name__ == "public_cache_invalidate":
            callback()
    page = client.get(url).content.decode()
    assert "下载公开目录 PDF" not in page  # the current publication's directory is rendering
    power_page = client.get(power_url).content.decode()
    assert "下载本事项 PDF" not in power_page  # v2 has no file yet (v1's is not offered for v2)
    assert client.get(url)["X-Public-Cache"] == "hit"
    # Only the changed power's new version gets a new one-power file.
    assert sorted(PublicationFile.objects.filter(publication=second).values_list("kind", flat=True)) == [
        "directory", "power"]
    for callback in callbacks:
        if callback.__name__ != "public_cache_invalidate":
            callback()  # the queued renders (eager here)
    page = client.get(url)
    assert page["X-Public-Cache"] == "miss"  # a ready file made the cached page stale
    directory = PublicationFile.objects.get(publication=second, kind="directory")
    assert f'href="/files/pdf/{directory.pk}/"' in page.content.decode()
    assert filesizeformat(directory.size) in page.content.decode()
    power_file = PublicationFile.objects.get(publication=second, kind="power")
    assert f'href="/files/pdf/{power_file.pk}/"' in client.get(power_url).content.decode()
    # The old version keeps its own file at its stable address.
    v1_file = PublicationFile.objects.get(publication=published.publication, published_power__code="210000-XK-001")
    assert f'href="/files/pdf/{v1_file.pk}/"' in client.get(power_url + "v1/").content.decode()


def test_a_file_not_ready_is_not_served(client, published, django_assert_num_queries):
    f = PublicationFile.objects.get(publication=published.publication, kind="directory")
    with django_assert_num_queries(1):  # the file with its publication and department
        response = client.get(f"/files/pdf/{f.pk}/")
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert response["Content-Length"] == str(f.size)
    PublicationFile.objects.filter(pk=f.pk).update(state="rendering")
    assert client.get(f"/files/pdf/{f.pk}/").status_code == 404
    assert client.get("/files/pdf/999999/").status_code == 404


def test_the_file_of_a_power_withheld_or_retracted_after_publication_is_not_served(org, client, published):
    files = {f.published_power.code: f for f in PublicationFile.objects.filter(
        publication=published.publication, kind="power").select_related("published_power")}
    NonDisclosure.objects.create(power=published.licence, region=org.province, department=org.dept,
                                 division=org.division, ground="state_secret", legal_basis="《保密法》第九条",
                                 reason="涉密。", created_by=org.clerk, state=RegisterState.RECORDED)
    Retraction.objects.create(power=published.penalty, region=org.province, department=org.dept,
                              explanation="误将内部事项公开。", state=RetractionState.RETRACTED)
    assert client.get(f"/files/pdf/{files['210000-XK-001'].pk}/").status_code == 404
    assert client.get(f"/files/pdf/{files['210000-CF-001'].pk}/").status_code == 404
    assert client.get(f"/files/pdf/{files['210000-JF-001'].pk}/").status_code == 200
    # (The rows above skip the flow; through it, the directory is rendered again without
    # them: tests/disclosure/test_withheld_files.py.)


def test_workspace_panel_shows_each_state(org, client, published):
    client.force_login(org.dept_reviewer)
    f = PublicationFile.objects.get(publication=published.publication, kind="directory")
    panel = client.get("/workspace/").content.decode()
    assert "公开目录 PDF" in panel and f'href="/files/pdf/{f.pk}/"' in panel and "已生成 4/4" in panel
    for state, progress, shown in (("rendering", 45, "生成中 45%"), ("retrying", 15, "失败,重试中"),
                                   ("failed", 15, "失败")):
        PublicationFile.objects.filter(pk=f.pk).update(state=state, progress=progress)
        assert shown in client.get("/workspace/").content.decode()
    client.force_login(org.clerk)
    assert "公开目录 PDF" not in client.get("/workspace/").content.decode()


def test_the_publisher_follows_the_files_on_a_job_page(org, client, published):
    job = PublicationFile.objects.get(publication=published.publication, kind="directory").job
    assert (job.user, job.kind, job.state, job.progress, job.total) == (org.dept_reviewer, "publication_pdf",
                                                                          "succeeded", 5, 5)
    client.force_login(org.dept_reviewer)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "生成公开目录 PDF" in page and "已生成" in page
