"""Celery entry points of supervision (schedule: CELERY_BEAT_SCHEDULE in config/settings.py)."""

import datetime

from celery import shared_task
from django.utils import timezone

from supervision.complaints.services import complaint_identities_erase as identities_erase
from supervision.inspections.services import riskpoints_fired_by_complaints
from supervision.partitions import event_partitions_ensure
from supervision.services.cases import cases_scan


@shared_task(name="supervision.scan_open_cases")
def scan_open_cases():
    """The beat scan: open, running cases whose next check day has come get their time
    rules evaluated (prompt, yellow and red cards); returns the counts."""
    return cases_scan()


@shared_task(name="supervision.flag_riskpoints_fired_by_complaints")
def flag_riskpoints_fired_by_complaints():
    """Daily: the risk points of powers that complaints accepted in the last two days
    are about are flagged for re-grading (two days, so a missed run loses nothing)."""
    return riskpoints_fired_by_complaints(since=timezone.now() - datetime.timedelta(days=2))
@shared_task(name="supervision.complaint_identities_erase")
def complaint_identities_erase():
    """The beat task: erase complainants' identities past the retention period."""
    return identities_erase()


@shared_task(name="supervision.ensure_event_partitions")
def ensure_event_partitions():
    """The event table's monthly partitions for this month and the next three (PostgreSQL;
    a no-op elsewhere); returns the names created."""
    return event_partitions_ensure()
