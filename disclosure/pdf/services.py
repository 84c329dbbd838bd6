"""Every write about a publication's PDFs: planning them when a publication is written,
rendering one (the Celery task's body), recording a failure, and the reaper that hands
files whose worker died to a new attempt.

Rendering reads only the publication's rows (PublishedPower.data), never a working
copy, so a draft or a revision under review cannot reach a PDF."""

import hashlib
import logging
import threading
import uuid
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.jobs.models import Job

from disclosure.cache import public_cache_invalidate
from disclosure.models import Publication, PublishedPower
from disclosure.pdf.models import PublicationFile
from disclosure.pdf.render import directory_html, html_to_pdf, power_html
from disclosure.register_selectors import public_hidden_q

RENDER_TASK = "disclosure.pdf_render"
JOB_KIND = "publication_pdf"

log = logging.getLogger(__name__)


def _setting(name, default):
    return getattr(settings, name, default)


def heartbeat_seconds():
    return _setting("DISCLOSURE_PDF_HEARTBEAT_SECONDS", 10)


def stale_after_seconds():
    """A rendering file whose heartbeat is older than this lost its worker."""
    return _setting("DISCLOSURE_PDF_STALE_SECONDS", 120)


def publication_files_plan(*, publication, user):
    """Within the publishing transaction: one directory file for `publication`, and one
    file for each of its rows whose (power, version) has no PDF yet (an unchanged
    version keeps the file of its first publication). A Job for `user` (the publisher;
    none for an automatic publication) shows the progress. After the commit each file's
    rendering is queued (unless settings.DISCLOSURE_PDF_RENDER_ON_PUBLISH is off: the
    test settings switch it off, so tests that publish for other reasons do not pay for
    WeasyPrint; the reaper then picks the files up after 30 minutes). Returns the files."""
    now = timezone.now()
    rows = list(publication.powers.values_list("id", "power_id", "version"))
    done = set(
        PublicationFile.objects.filter(kind=PublicationFile.Kind.POWER,
                                       published_power__power_id__in=[r[1] for r in rows])
        .exclude(state=PublicationFile.State.FAILED)
        .values_list("published_power__power_id", "published_power__version")
    )
    files = [PublicationFile(publication=publication, kind=PublicationFile.Kind.DIRECTORY, queued_at=now,
                             message=_("排队中"))]
    files += [
        PublicationFile(publication=publication, kind=PublicationFile.Kind.POWER, published_power_id=row_id,
                        queued_at=now, message=_("排队中"))
        for row_id, power_id, version in rows if (power_id, version) not in done
    ]
    job = None
    if user is not None:
        job = Job.objects.create(kind=JOB_KIND, user=user, total=len(files), message=_("排队中"),
                                 params={"publication": publication.pk,
                                         "filename": f"{publication.department.name} 第{publication.number}批"})
        for f in files:
            f.job = job
    files = PublicationFile.objects.bulk_create(files)
    ids = [f.pk for f in files]
    if _setting("DISCLOSURE_PDF_RENDER_ON_PUBLISH", True):
        transaction.on_commit(lambda: _queue(ids))
    return files


def publication_directories_redo(*, power_id):
    """Within the transaction that withholds, retracts or releases (lapse) a published
    power: the directory PDF of every publication that holds it is replaced by a new,
    pending file (a new row, so a new address: the old file's `immutable` copies in
    browsers and proxies are never refreshed with different content), rendered after the
    commit without the powers the public may no longer see. The old rows go at once, so
    their downloads answer 404 from the commit on, and their stored files after it; an
    attempt still rendering an old row finds it gone and stores nothing. One-power files
    need nothing: the download refuses a hidden power's file (selectors.ready_file).
    Returns the new files."""
    old = list(PublicationFile.objects.select_for_update()
               .filter(kind=PublicationFile.Kind.DIRECTORY,
                       publication_id__in=PublishedPower.objects.filter(power_id=power_id).values("publication_id"))
               .only("id", "publication_id", "file"))
    if not old:
        return []
    names = [f.file.name for f in old if f.file]
    PublicationFile.objects.filter(pk__in=[f.pk for f in old]).delete()
    now = timezone.now()
    files = PublicationFile.objects.bulk_create(
        PublicationFile(publication_id=f.publication_id, kind=PublicationFile.Kind.DIRECTORY, queued_at=now,
                        message=_("排队中")) for f in old)
    transaction.on_commit(lambda: _delete_stored(names))
    ids = [f.pk for f in files]
    if _setting("DISCLOSURE_PDF_RENDER_ON_PUBLISH", True):
        transaction.on_commit(lambda: _queue(ids))
    return files


def _delete_stored(names):
    storage = PublicationFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def _queue(ids):
    # DISCLOSURE_PDF_QUEUE sends the renders to workers of their own (layout is the
    # heaviest work the portal does); by default they share the default queue.
    task = current_app.tasks[RENDER_TASK]
    options = {"queue": settings.DISCLOSURE_PDF_QUEUE} if _setting("DISCLOSURE_PDF_QUEUE", "") else {}
    for pk in ids:
        task.apply_async(args=[pk], **options)


def _claim(file_id):
    """Take the file for this attempt; None when it is ready already (a redelivered
    message) or gone."""
    with transaction.atomic():
        f = PublicationFile.objects.select_for_update().filter(pk=file_id).first()
        if f is None or f.state == PublicationFile.State.READY:
            return None
        f.claim = uuid.uuid4().hex
        f.state, f.progress, f.message = PublicationFile.State.RENDERING, 5, _("生成中")
        f.attempts += 1
        f.heartbeat_at = timezone.now()
        f.save(update_fields=["claim", "state", "progress", "message", "attempts", "heartbeat_at"])
    _job_sync(f.job_id)
    return f


def _owned(f):
    return PublicationFile.objects.filter(pk=f.pk, claim=f.claim)


class _Heartbeat:
    """Beats every few seconds in a thread while WeasyPrint lays the document out (one
    call that can last minutes), so the reaper can tell a slow render from a dead one."""

    def __init__(self, f):
        self.f, self.stop = f, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            while not self.stop.wait(heartbeat_seconds()):
                _owned(self.f).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def _report(f):
    def progress(percent):
        _owned(f).update(progress=percent, heartbeat_at=timezone.now())
    return progress


def _html(f):
    publication = Publication.objects.select_related("department", "region").get(pk=f.publication_id)
    if f.kind == PublicationFile.Kind.DIRECTORY:
        rows = list(
            # Less the powers the register withholds or the office retracted since the
            # publication (publication_directories_redo renders such a directory again).
            PublishedPower.objects.filter(publication=publication).exclude(public_hidden_q())
            .select_related("category")
            .only("id", "code", "version", "status", "data", "category__order", "category__code")
            .order_by("category__order", "category__code", "code")
        )
        return directory_html(publication, rows), f"directory-{publication.number}"
    row = PublishedPower.objects.only("id", "code", "version", "status", "data", "power_id").get(
        pk=f.published_power_id)
    return power_html(publication, row), f"{row.code}-v{row.version}"


def publication_file_render(*, file_id):
    """Render one file and store it (default storage) with its size and SHA-256.

    Returns "ready", "skipped" (ready already, or taken over by a newer attempt).
    Exceptions propagate: the task records them (publication_file_failed) and retries."""
    f = _claim(file_id)
    if f is None:
        return "skipped"
    progress = _report(f)
    with _Heartbeat(f):
        html, stem = _html(f)
        progress(15)
        pdf, pages = html_to_pdf(html, progress=progress)
    publication = f.publication
    name = (f"disclosure/pdf/{publication.region_id}/{publication.department_id}/"
            f"{publication.number}/{stem}-{uuid.uuid4().hex[:8]}.pdf")
    stored = f.file.storage.save(name, ContentFile(pdf))
    taken = _owned(f).filter(state=PublicationFile.State.RENDERING).update(
        file=stored, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(), pages=pages, progress=100,
        state=PublicationFile.State.READY, message=_("已生成"), rendered_at=timezone.now(), claim="",
    )
    if not taken:
        f.file.storage.delete(stored)
        return "skipped"
    _job_sync(f.job_id)
    # The portal's department and power pages link the file once ready.
    public_cache_invalidate()
    return "ready"


def publication_file_failed(*, file_id, final, error):
    """Record a failed attempt: "失败,重试中" while retries remain, else "失败"."""
    log.warning("PDF %s failed (final=%s): %r", file_id, final, error)
    state = PublicationFile.State.FAILED if final else PublicationFile.State.RETRYING
    message = _("生成失败,已停止重试。请联系管理员。") if final else _("失败,重试中")
    PublicationFile.objects.filter(pk=file_id).exclude(state=PublicationFile.State.READY).update(
        state=state, message=message, claim="", queued_at=timezone.now())
    f = PublicationFile.objects.filter(pk=file_id).only("job_id").first()
    if f is not None:
        _job_sync(f.job_id)


def _job_sync(job_id):
    """Mirror the files' states into their Job (progress = files ready / files)."""
    if job_id is None:
        return
    S = PublicationFile.State
    c = PublicationFile.objects.filter(job_id=job_id).aggregate(
        total=Count("id"), ready=Count("id", filter=Q(state=S.READY)),
        failed=Count("id", filter=Q(state=S.FAILED)), retrying=Count("id", filter=Q(state=S.RETRYING)),
        open=Count("id", filter=Q(state__in=[S.PENDING, S.RENDERING, S.RETRYING])),
    )
    fields = {"progress": c["ready"], "total": c["total"]}
    if c["open"] == 0:
        fields["finished_at"] = timezone.now()
        if c["failed"]:
            fields.update(state=Job.State.FAILED,
                          message=_("%(n)s 个文件生成失败。") % {"n": c["failed"]})
        else:
            fields.update(state=Job.State.SUCCEEDED, message=_("已生成"))
    else:
        percent = int(c["ready"] * 100 / c["total"]) if c["total"] else 0
        message = _("失败,重试中") if c["retrying"] else _("生成中 %(p)s%%") % {"p": percent}
        fields.update(state=Job.State.RUNNING, message=message)
    Job.objects.filter(pk=job_id).update(**fields)


def publication_files_reap(*, stale_after=None, pending_after=None):
    """Queue again every file whose worker died: rendering with a heartbeat older than
    `stale_after` seconds, or pending / retrying for longer than `pending_after`
    seconds (a message lost with its broker). The old attempt loses its claim.
    Returns the ids queued again (beat runs this every minute)."""
    now = timezone.now()
    stale = now - timedelta(seconds=stale_after if stale_after is not None else stale_after_seconds())
    waiting = now - timedelta(seconds=pending_after if pending_after is not None else 30 * 60)
    S = PublicationFile.State
    with transaction.atomic():
        ids = list(
            PublicationFile.objects.select_for_update(skip_locked=True)
            .filter(Q(state=S.RENDERING, heartbeat_at__lt=stale)
                    | Q(state__in=[S.PENDING, S.RETRYING], queued_at__lt=waiting))
            .values_list("id", flat=True)
        )
        if ids:
            PublicationFile.objects.filter(pk__in=ids).update(
                state=S.PENDING, claim="", queued_at=now, message=_("上次生成中断,已重新排队"))
            transaction.on_commit(lambda: _queue(ids))
    if ids:
        log.warning("PDF reaper queued again: %s", ids)
    return ids
