from django.core.management.base import BaseCommand, CommandError

from powerlist.review.record import review_log_verify


class Command(BaseCommand):
    help = "Verify the review log's SHA-256 hash chain and name the first broken entry."

    def handle(self, *args, **options):
        count, broken, reason = review_log_verify()
        if reason:
            where = f"entry #{broken.seq} (id {broken.pk}, {broken.object_repr})" if broken else "chain head"
            raise CommandError(f"Review log chain BROKEN at {where}: {reason}. Checked {count} entries.")
        self.stdout.write(self.style.SUCCESS(f"Review log chain intact: {count} entries."))
