from django.core.management.base import BaseCommand, CommandError

from supervision.library import library_version, library_years
from supervision.services.calendar import calendar_seed_from_library


class Command(BaseCommand):
    help = (
        "Load the working-day calendar of every year the installed chinesecalendar knows into "
        "the database (exceptions only). Idempotent; years changed by hand are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="Only this year (repeatable).")

    def handle(self, *args, years=None, **options):
        known = library_years()
        if not known:
            raise CommandError("chinesecalendar is not installed: pip install 'chinesecalendar>=1.9'.")
        unknown = sorted(set(years or ()) - set(known))
        if unknown:
            raise CommandError(
                f"chinesecalendar {library_version()} knows {known.start}–{known.stop - 1} only, not "
                f"{', '.join(map(str, unknown))}; enter those years by hand at /supervision/calendar/."
            )
        result = calendar_seed_from_library(years=years)
        self.stdout.write(
            f"chinesecalendar {library_version()} ({known.start}–{known.stop - 1}): "
            + "; ".join(f"{k} {_years(v)}" for k, v in result.items())
        )


def _years(years):
    return ",".join(map(str, years)) if years else "none"
