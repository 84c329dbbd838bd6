"""Store the timeline state of every open case derived before it was kept (migration 0010):

    manage.py supervision_state_backfill [--limit N] [--chunk 2000]

Each such case is derived once from all its events (services.cases.cases_state_backfill),
in chunks of one transaction each, so that its next events apply to the stored state
instead of reading its events again. The alerts the cases deserve today are raised as the
beat scan would raise them (by the account e-supervision, each with its operation-record
entry). Safe to run again or to stop: a case with a state is not derived again.
"""

import time

from django.core.management.base import BaseCommand

from supervision.services.cases import cases_state_backfill


class Command(BaseCommand):
    help = "Derive the open cases without a stored timeline state and store it."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many cases.")
        parser.add_argument("--chunk", type=int, default=2000, help="Cases per transaction.")

    def handle(self, *args, limit, chunk, **options):
        began = time.perf_counter()

        def progress(done, total):
            self.stdout.write(f"{done:,} of {total:,} cases ({time.perf_counter() - began:.0f} s)")

        result = cases_state_backfill(chunk_size=chunk, limit=limit, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Derived {result['derived']:,} cases, raised {result['raised']:,} alerts, "
            f"in {time.perf_counter() - began:.0f} s."))
