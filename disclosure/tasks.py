"""Celery tasks of disclosure: a publication's PDFs, the reaper that picks up PDFs
whose worker died, and the automatic publication on confirmation (run here, not in the
confirming request), and the daily reminder of deferrals that reached their date."""

from celery import shared_task
from django.conf import settings

from disclosure.pdf.services import publication_file_failed, publication_file_render, publication_files_reap
from disclosure.register_services import deferrals_due_notify
from disclosure.services import publication_auto

MAX_RETRIES = 3


def _backoff(retries):
    base = getattr(settings, "DISCLOSURE_PDF_RETRY_BASE_SECONDS", 30)
    return base * (2 ** retries)


# acks_late + reject_on_worker_lost: a message whose worker died mid-render is not
# acknowledged, so the broker delivers it again; the reaper (below) does not wait for that.
@shared_task(bind=True, name="disclosure.pdf_render", acks_late=True, reject_on_worker_lost=True,
             max_retries=MAX_RETRIES)
def pdf_render_task(self, file_id):
    """Render one PublicationFile; on an error retry with exponential backoff (the file
    shows "失败,重试中"), after MAX_RETRIES retries it stays "失败"."""
    try:
        return {"ok": True, "outcome": publication_file_render(file_id=file_id)}
    except Exception as exc:
        final = self.request.retries >= self.max_retries
        publication_file_failed(file_id=file_id, final=final, error=exc)
        if final:
            return {"ok": False}
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries))


@shared_task(name="disclosure.pdf_reap")
def pdf_reap_task():
    return {"queued": publication_files_reap()}


@shared_task(name="disclosure.publication_auto", acks_late=True)
def publication_auto_task(power_ids):
    return {"publications": [p.pk for p in publication_auto(power_ids=power_ids)]}


@shared_task(name="disclosure.deferrals_due")
def deferrals_due_task():
    """Daily: remind the clerks and the office of deferrals that reached their date."""
    return {"reminded": deferrals_due_notify()}
