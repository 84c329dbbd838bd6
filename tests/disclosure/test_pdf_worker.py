"""The publication PDFs on real Celery workers (Redis from TEST_REDIS_URL): a failing
render is retried with backoff ("失败,重试中") and ends "失败" once the retries are
spent; a worker killed mid-render (SIGKILL, a real process) leaves its file to the
reaper, and another worker finishes it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from disclosure.models import PublicationFile, PublishedPower
from disclosure.pdf import services as pdf_services
from disclosure.pdf.services import _queue, publication_files_reap
from disclosure.services import publication_create
from powerlist.catalogue.models import Power
from powerlist.jobs.models import Job
from tests.disclosure.factories import confirmed_flowchart, confirmed_power
from tests.test_celery_worker import (  # noqa: F401  (worker: the in-process worker fixture)
    QUEUE, TEST_REDIS_URL, _delete_queue, _redis_or_skip, _reset_connections, worker,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


@pytest.fixture
def pdf_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_PDF_RENDER_ON_PUBLISH = True
    settings.DISCLOSURE_PDF_QUEUE = QUEUE
    settings.DISCLOSURE_PDF_RETRY_BASE_SECONDS = 0.2
    return settings


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def publish_one(org):
    power = confirmed_power(org, name="企业投资项目核准", code="210000-XK-001")
    confirmed_flowchart(power, steps=[("受理", "受理岗", 1), ("审查", "审查岗", 10), ("决定", "决定岗", 3)])
    return publication_create(user=org.dept_reviewer, department=org.dept, note="首次公开。")


def test_a_failing_render_is_retried_then_marked_failed(org, pdf_settings, worker, monkeypatch):
    def broken(html, *, progress=None):
        raise OSError("字体缓存不可读")

    monkeypatch.setattr(pdf_services, "html_to_pdf", broken)
    seen = set()
    publication = publish_one(org)

    def settled():
        states = dict(PublicationFile.objects.filter(publication=publication).values_list("kind", "state"))
        seen.update(states.values())
        return set(states.values()) == {"failed"}

    wait_for(settled, 60, "both files to fail for good")
    assert "retrying" in seen
    directory = PublicationFile.objects.get(publication=publication, kind="directory")
    # One attempt and three retries, each with a worker really taking it (claimed: rendering).
    assert directory.attempts == 4
    assert directory.message == "生成失败,已停止重试。请联系管理员。"
    assert not directory.file and directory.size == 0
    # The job follows right after the last file's state.
    job = wait_for(lambda: Job.objects.filter(pk=directory.job_id, finished_at__isnull=False).first(), 10,
                   "the job to finish")
    assert (job.state, job.message, job.progress, job.total) == ("failed", "2 个文件生成失败。", 0, 2)


def test_a_render_that_fails_once_is_retried_and_succeeds(org, pdf_settings, worker, monkeypatch):
    real = pdf_services.html_to_pdf
    failures = {"left": 2}

    def flaky(html, *, progress=None):
        if failures["left"]:
            failures["left"] -= 1
            raise OSError("临时故障")
        return real(html, progress=progress)

    monkeypatch.setattr(pdf_services, "html_to_pdf", flaky)
    seen = set()
    publication = publish_one(org)

    def ready():
        states = set(PublicationFile.objects.filter(publication=publication).values_list("state", flat=True))
        seen.update(states)
        return states == {"ready"}

    wait_for(ready, 90, "both files to be ready")
    assert "retrying" in seen
    attempts = sorted(PublicationFile.objects.filter(publication=publication).values_list("attempts", flat=True))
    assert sum(attempts) == 4 and attempts[-1] >= 2  # two failed attempts, then one success each
    job_id = PublicationFile.objects.filter(publication=publication).first().job_id
    job = wait_for(lambda: Job.objects.filter(pk=job_id, finished_at__isnull=False).first(), 10, "the job to finish")
    assert (job.state, job.progress, job.total) == ("succeeded", 2, 2)


# ---------------------------------------------------------------- a killed worker


def wide_publication(org, n):
    """A publication of `n` powers: one confirmed power with its flowchart published for
    real, its snapshot copied under n - 1 further powers (a directory of about n pages)."""
    publication = publish_one(org)
    row = PublishedPower.objects.get(publication=publication)
    powers = Power.objects.bulk_create([
        Power(region=org.province, department=org.dept, division=org.division, category=row.power.category,
              code=f"210000-XK-{n:03d}", name=f"宽目录事项{n:03d}号许可")
        for n in range(2, n + 1)
    ])
    PublishedPower.objects.bulk_create([
        PublishedPower(publication=publication, power=p, region=row.region, department=row.department,
                       category=row.category, level=row.level, code=p.code, name=p.name, version=1,
                       data={**row.data, "code": p.code, "name": p.name}, digest=row.digest)
        for p in powers
    ])
    PublicationFile.objects.filter(publication=publication).delete()
    return publication, PublicationFile.objects.create(publication=publication, kind="directory",
                                                       queued_at=timezone.now())


def start_worker_process(name, media_root):
    db = connection.settings_dict
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DEBUG": "1", "SECRET_KEY": "x",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": TEST_REDIS_URL, "CELERY_TASK_ALWAYS_EAGER": "0", "MEDIA_ROOT": str(media_root),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", QUEUE,
         "-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def broker(pdf_settings):
    from config import celery_app

    _redis_or_skip()
    saved = {key: celery_app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    celery_app.conf.update(broker_url=TEST_REDIS_URL, result_backend=TEST_REDIS_URL, task_always_eager=False)
    _reset_connections(celery_app)
    processes = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    celery_app.conf.update(saved)
    _reset_connections(celery_app)
    _delete_queue()


def test_a_worker_killed_mid_render_is_replaced_and_the_file_finishes(org, broker, pdf_settings):
    if connection.vendor != "postgresql":
        # A worker process reaches the test database by URL: an in-memory SQLite one it cannot.
        reason = "the killed-worker test needs PostgreSQL (DATABASE_URL)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    publication, directory = wide_publication(org, 80)
    first = start_worker_process("pdf-first", pdf_settings.MEDIA_ROOT)
    broker.append(first)
    _queue([directory.pk])

    def rendering():
        directory.refresh_from_db()
        return directory.state == "rendering" and directory.heartbeat_at is not None

    wait_for(rendering, 120, "the first worker to start rendering")
    time.sleep(1.0)  # well into the layout of some 80 pages
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    directory.refresh_from_db()
    assert (directory.state, directory.attempts) == ("rendering", 1)  # stuck: nobody will finish it
    beat = directory.heartbeat_at

    second = start_worker_process("pdf-second", pdf_settings.MEDIA_ROOT)
    broker.append(second)
    assert publication_files_reap(stale_after=30) == []  # a fresh heartbeat is left alone
    time.sleep(2.5)
    assert publication_files_reap(stale_after=2) == [directory.pk]
    directory.refresh_from_db()
    assert (directory.state, directory.message) == ("pending", "上次生成中断,已重新排队")
    assert directory.heartbeat_at == beat

    def ready():
        directory.refresh_from_db()
        return directory.state == "ready"

    wait_for(ready, 300, "the second worker to finish the directory")
    assert directory.attempts == 2 and directory.pages >= 60
    with directory.file.open("rb") as stream:
        content = stream.read()
    path = pdf_settings.MEDIA_ROOT / "check.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "宽目录事项080号许可" in text and "企业投资项目核准" in text
