"""Celery entry points of supervision (schedule: CELERY_BEAT_SCHEDULE in config/settings.py)."""

import datetime

from celery import shared_task
from django.utils import timezone

from supervision.complaints.services import complaint_identities_erase as identities_erase
from supervision.inspections.services import riskpoints_fired_by_complaints
from supervision.partitions import event_partitions_ensure
from supervision.services.board import board_rollup_refresh
from supervision.services.cases import cases_scan, cases_state_backfill

# Cases the nightly backfill derives at most per run (~2.5 min at 339 cases/s on the bench).
STATE_BACKFILL_PER_RUN = 50_000


@shared_task(name="supervision.scan_open_cases")
def scan_open_cases():
    """The beat scan: open, running cases whose next check day has come get their time
    rules evaluated (prompt, yellow and red cards), then the board's rollup is rebuilt;
    returns the counts."""
    result = cases_scan()
    board_rollup_refresh()
    return result


@shared_task(name="supervision.refresh_board_rollup")
def refresh_board_rollup():
    """Rebuild the board's rollup (every few minutes); returns the number of rows."""
    return board_rollup_refresh()


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


@shared_task(name="supervision.state_backfill")
def state_backfill():
    """Nightly, until none is left: open cases derived before their timeline state was
    kept (migration 0010) are derived once and keep it, at most STATE_BACKFILL_PER_RUN a
    night, so an upgrade needs no manual step (manage.py supervision_state_backfill does
    the same at once). A no-op once every open case has its state."""
    return cases_state_backfill(limit=STATE_BACKFILL_PER_RUN)
