"""Celery entry points of supervision (schedule: CELERY_BEAT_SCHEDULE in config/settings.py)."""

from celery import shared_task

from supervision.services.cases import cases_scan


@shared_task(name="supervision.scan_open_cases")
def scan_open_cases():
    """The beat scan: open, running cases whose next check day has come get their time
    rules evaluated (prompt, yellow and red cards); returns the counts."""
    return cases_scan()
