from django.core.management.base import BaseCommand, CommandError

from powerlist.review.record import record_checkpoint_write


class Command(BaseCommand):
    help = (
        "Checkpoint every chain of the operation record that grew since its last checkpoint, after verifying "
        "it from there (the daily Celery beat job runs the same); a broken chain gets no checkpoint."
    )

    def handle(self, *args, **options):
        broken = []
        for r in record_checkpoint_write():
            if not r.ok:
                broken.append(r)
                where = f"entry #{r.broken.seq} (id {r.broken.pk})" if r.broken else "its head or checkpoint"
                self.stderr.write(f"{r.chain}: BROKEN at {where}: {r.reason}; no checkpoint written.")
            elif r.checkpoint is not None:
                cp = r.checkpoint
                self.stdout.write(f"{r.chain}: #{cp.seq} {cp.head_hash} ({cp.count} entries, {cp.created_at:%Y-%m-%d %H:%M}).")
        if broken:
            raise CommandError(f"{len(broken)} chain(s) broken: " + ", ".join(r.chain for r in broken) + ".")
