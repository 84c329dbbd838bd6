"""What the chinesecalendar package knows, as DayEntry rows (exceptions to the week only).

The package is updated yearly after the State Council's notice; the years it covers are
read from its data, so a newer release extends `library_years()` without a code change.
"""

import importlib.metadata

from supervision.calendar import DayEntry, DayKind, is_weekend

# Only used when the package's data tables cannot be inspected (a changed internal layout).
FALLBACK_YEARS = range(2004, 2027)


def _constants():
    try:
        from chinese_calendar import constants
    except ImportError:
        return None
    return constants


def library_version() -> str:
    try:
        return importlib.metadata.version("chinesecalendar")
    except importlib.metadata.PackageNotFoundError:
        return ""


def library_years() -> range:
    """The years the installed chinesecalendar has data for (empty when not installed)."""
    constants = _constants()
    if constants is None:
        return range(0)
    dates = list(getattr(constants, "holidays", {})) + list(getattr(constants, "workdays", {}))
    if not dates:
        return FALLBACK_YEARS
    return range(min(dates).year, max(dates).year + 1)


def _chinese_name(english: str) -> str:
    from chinese_calendar.constants import Holiday

    try:
        return Holiday(english).chinese
    except ValueError:
        return english


def library_entries(year: int) -> list[DayEntry]:
    """The exceptions of `year`: statutory holidays and rest days in lieu on weekdays,
    adjusted working days on weekends, named in Chinese; sorted by date."""
    constants = _constants()
    if constants is None or year not in library_years():
        return []
    in_lieu = getattr(constants, "in_lieu_days", {})
    entries = []
    for day, english in constants.holidays.items():
        if day.year == year and not is_weekend(day):
            kind = DayKind.IN_LIEU if day in in_lieu else DayKind.HOLIDAY
            entries.append(DayEntry(day, kind, _chinese_name(english)))
    for day, english in constants.workdays.items():
        if day.year == year and is_weekend(day):
            entries.append(DayEntry(day, DayKind.WORKDAY, _chinese_name(english)))
    return sorted(entries)
