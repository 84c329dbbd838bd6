"""A power withheld (不予公开 recorded), retracted or released (the entry lapses) after it
was published: the directory PDFs and the bulk files that hold it are withdrawn in the
same transaction and built again after the commit, so no file the portal serves keeps a
power the public may no longer see (docs/non-disclosure.md)."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage

from disclosure.models import PublicationFile
from disclosure.opendata.models import Dataset
from disclosure.pdf import services as pdf_services
from disclosure.register import NonDisclosure
from disclosure.register_services import power_retract, register_lapse
from tests.disclosure.factories import record_non_disclosure
from tests.disclosure.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

LICENCE, PENALTY, ALLOWANCE = "企业投资项目核准", "对不执行政府定价行为的行政处罚", "最低生活保障金给付"


@pytest.fixture(autouse=True)
def _files_on_publish(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_PDF_RENDER_ON_PUBLISH = True
    settings.OPENDATA_BUILD_ON_PUBLISH = True
    cache.clear()
    yield
    cache.clear()


def _directory(publication):
    return PublicationFile.objects.get(publication=publication, kind="directory")


def _csv_codes(client, identifier):
    response = client.get(f"/opendata/files/{identifier}.csv")
    assert response.status_code == 200, identifier
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["事项编码"] for row in csv.DictReader(io.StringIO(text))}


def test_withholding_renders_the_directory_again_without_the_power_and_a_lapse_brings_it_back(
        org, client, published, tmp_path, django_capture_on_commit_callbacks):
    old = _directory(published.publication)
    old_name = old.file.name
    assert LICENCE in pdf_text(old, tmp_path)

    with django_capture_on_commit_callbacks(execute=True):
        record_non_disclosure(org, published.licence)

    # The old file is gone: its address answers 404 and its bytes left the storage.
    assert client.get(f"/files/pdf/{old.pk}/").status_code == 404
    assert not default_storage.exists(old_name)
    new = _directory(published.publication)
    assert new.pk != old.pk and new.state == "ready" and new.job_id is None
    text = pdf_text(new, tmp_path)
    assert LICENCE not in text and PENALTY in text and ALLOWANCE in text
    assert client.get(f"/files/pdf/{new.pk}/").status_code == 200
    cache.clear()
    assert f'href="/files/pdf/{new.pk}/"' in client.get(f"/r/210000/d/{org.dept.pk}/").content.decode()

    entry = NonDisclosure.objects.get(power=published.licence)
    with django_capture_on_commit_callbacks(execute=True):
        register_lapse(user=org.office_reviewer, obj=entry, comment="保密期限届满,恢复公开。")
    again = _directory(published.publication)
    assert again.pk not in (old.pk, new.pk) and again.state == "ready"
    assert LICENCE in pdf_text(again, tmp_path)
    assert client.get(f"/files/pdf/{new.pk}/").status_code == 404


def test_a_retraction_renders_the_directory_again_without_the_power(
        org, client, published, tmp_path, django_capture_on_commit_callbacks):
    old = _directory(published.publication)
    with django_capture_on_commit_callbacks(execute=True):
        power_retract(user=org.office_reviewer, power=published.penalty, explanation="误将内部管理事项公开。")
    new = _directory(published.publication)
    assert new.pk != old.pk and new.state == "ready"
    text = pdf_text(new, tmp_path)
    assert PENALTY not in text and LICENCE in text


def test_until_the_new_directory_is_rendered_no_directory_is_served(
        org, client, published, django_capture_on_commit_callbacks):
    old = _directory(published.publication)
    with django_capture_on_commit_callbacks() as callbacks:
        record_non_disclosure(org, published.licence)
    new = _directory(published.publication)
    assert new.state == "pending" and callbacks
    assert client.get(f"/files/pdf/{old.pk}/").status_code == 404
    assert client.get(f"/files/pdf/{new.pk}/").status_code == 404
    page = client.get(f"/r/210000/d/{org.dept.pk}/").content.decode()
    assert "下载公开目录" not in page and f"/files/pdf/{old.pk}/" not in page


def test_an_attempt_rendering_when_the_power_is_withheld_stores_nothing(
        org, published, monkeypatch, settings, django_capture_on_commit_callbacks):
    """The render read the rows before the withholding: its file must not become the
    directory. It finds its row gone and deletes what it stored."""
    old = _directory(published.publication)
    PublicationFile.objects.filter(pk=old.pk).update(state="pending")
    real = pdf_services.html_to_pdf

    def withheld_meanwhile(html, progress=None):
        monkeypatch.setattr(pdf_services, "html_to_pdf", real)
        with django_capture_on_commit_callbacks(execute=True):
            record_non_disclosure(org, published.licence)
        return real(html, progress=progress)

    monkeypatch.setattr(pdf_services, "html_to_pdf", withheld_meanwhile)

    assert pdf_services.publication_file_render(file_id=old.pk) == "skipped"
    assert not PublicationFile.objects.filter(pk=old.pk).exists()
    new = _directory(published.publication)
    assert new.state == "ready"
    # Three directories were written (the publication's, the new one, the stale attempt's):
    # only the new one is left in the storage.
    on_disk = sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in settings.MEDIA_ROOT.rglob("directory-*.pdf"))
    assert on_disk == [new.file.name]


def test_withholding_withdraws_the_bulk_files_and_rebuilds_them_without_the_power(
        org, client, published, django_capture_on_commit_callbacks):
    identifier = f"210000-d{org.dept.pk}-p1"
    assert "210000-XK-001" in _csv_codes(client, identifier) and "210000-XK-001" in _csv_codes(client, "210000-all")

    with django_capture_on_commit_callbacks() as callbacks:
        record_non_disclosure(org, published.licence)
    # Withdrawn in the recording transaction: nothing is served until the rebuild.
    assert set(Dataset.objects.values_list("state", flat=True)) == {"pending"}
    cache.clear()
    for name in (identifier, "210000-all"):
        assert client.get(f"/opendata/files/{name}.csv").status_code == 404

    for callback in callbacks:
        callback()
    cache.clear()
    assert set(Dataset.objects.values_list("state", flat=True)) == {"ready"}
    for name in (identifier, "210000-all"):
        codes = _csv_codes(client, name)
        assert "210000-XK-001" not in codes and {"210000-CF-001", "210000-JF-001"} <= codes
