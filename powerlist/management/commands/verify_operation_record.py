from django.core.management.base import BaseCommand, CommandError

from powerlist.review.record import operation_record_verify


class Command(BaseCommand):
    help = (
        "Verify the operation record's hash chains, each from its last checkpoint (--full: from the start); "
        "names the chain and the first broken entry, non-zero exit when one is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Walk every chain from its first entry.")
        parser.add_argument("--chain", help='Only this chain, e.g. "region:210000".')

    def handle(self, *args, full=False, chain=None, **options):
        results = operation_record_verify(chain=chain, full=full)
        if chain and not results:
            raise CommandError(f"No chain named {chain!r}.")
        for r in results:
            start = "from the start" if r.from_seq == 1 else f"from checkpoint #{r.from_seq - 1}"
            if r.ok:
                self.stdout.write(f"{r.chain}: intact, {r.count} entries ({r.checked} checked {start}).")
        broken = [r for r in results if not r.ok]
        if broken:
            lines = []
            for r in broken:
                where = (f"entry #{r.broken.seq} (id {r.broken.pk}, {r.broken.object_repr})"
                         if r.broken else "its head or checkpoint")
                lines.append(f"chain {r.chain} BROKEN at {where}: {r.reason}")
            raise CommandError("Operation record " + "; ".join(lines) + ".")
        total = sum(r.count for r in results)
        self.stdout.write(self.style.SUCCESS(f"Operation record intact: {len(results)} chains, {total} entries."))
