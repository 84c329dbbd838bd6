import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from powerlist.review.record import record_checkpoints

FIELDS = ("chain", "seq", "head_hash", "count", "created_at")


class Command(BaseCommand):
    help = (
        "Print the operation record's checkpoints (chain, seq, head hash, count, time) as CSV or JSON, "
        "for publication; anyone holding one can later check the record has not changed before it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--chain", help="Only this chain.")
        parser.add_argument("--since", help="Only checkpoints from this date on (YYYY-MM-DD).")

    def handle(self, *args, format="csv", chain=None, since=None, **options):
        try:
            since = dt.date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise CommandError(f"--since takes a date such as 2026-12-01, not {since!r}.") from exc
        rows = [
            {"chain": c.chain, "seq": c.seq, "head_hash": c.head_hash, "count": c.count,
             "created_at": c.created_at.isoformat()}
            for c in record_checkpoints(chain=chain, since=since)
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
