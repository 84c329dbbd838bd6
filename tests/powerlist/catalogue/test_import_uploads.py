"""Issue 10: uploads kept for the import preview are removed by a nightly beat task after
IMPORT_UPLOAD_RETENTION_DAYS (default 2), files through Django storage, rows too."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from powerlist.catalogue.models import ImportUpload
from powerlist.catalogue.spreadsheets import power_import_start
from powerlist.jobs.models import Job
from powerlist.jobs.tasks import import_upload_cleanup_task

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 2, 40, tzinfo=dt.timezone.utc)


def _upload(org, name, *, age_hours):
    upload = ImportUpload.objects.create(user=org.clerk, department=org.dept, filename=name,
                                         file=SimpleUploadedFile(name, b"PK workbook bytes"))
    ImportUpload.objects.filter(pk=upload.pk).update(created_at=NOW - dt.timedelta(hours=age_hours))
    return upload


def _run(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return import_upload_cleanup_task()


def test_uploads_older_than_two_days_are_removed_with_their_files(org, monkeypatch):
    old = _upload(org, "三天前.xlsx", age_hours=72)
    just_over = _upload(org, "刚过两天.xlsx", age_hours=48.1)
    recent = _upload(org, "昨天.xlsx", age_hours=47.9)
    assert default_storage.exists(old.file.name)

    assert _run(monkeypatch) == {"removed": 2}

    assert list(ImportUpload.objects.values_list("filename", flat=True)) == ["昨天.xlsx"]
    assert not default_storage.exists(old.file.name) and not default_storage.exists(just_over.file.name)
    assert default_storage.exists(recent.file.name)
    assert _run(monkeypatch) == {"removed": 0}


def test_the_retention_is_a_setting(org, monkeypatch, settings):
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 5
    _upload(org, "三天前.xlsx", age_hours=72)
    assert _run(monkeypatch) == {"removed": 0}
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 1
    assert _run(monkeypatch) == {"removed": 1} and not ImportUpload.objects.exists()


def test_a_file_an_import_job_still_reads_waits_and_a_missing_file_is_no_error(org, monkeypatch, django_capture_on_commit_callbacks):
    queued = _upload(org, "排队中.xlsx", age_hours=72)
    with django_capture_on_commit_callbacks(execute=False):  # the job stays pending
        job = power_import_start(user=org.clerk, upload=queued)
    assert job.input_file.name == queued.file.name
    gone = _upload(org, "文件已删.xlsx", age_hours=72)
    default_storage.delete(gone.file.name)

    assert _run(monkeypatch) == {"removed": 1}
    assert list(ImportUpload.objects.values_list("filename", flat=True)) == ["排队中.xlsx"]
    assert default_storage.exists(queued.file.name)

    Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED)
    assert _run(monkeypatch) == {"removed": 1} and not ImportUpload.objects.exists()
    assert not default_storage.exists(queued.file.name)


def test_the_cleanup_is_on_the_beat_schedule(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["import-upload-cleanup"]
    assert entry["task"] == "powerlist.import_upload_cleanup" and entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {40})
