"""The line format in which administrators enter a year from the State Council's notice.

One line per period::

    2027-01-01 元旦 休
    2027-02-06..2027-02-12 春节 休
    2027-02-14 班

`休` (or 放假) marks statutory holidays, `调休` rest days in lieu, `班` (or 上班, 调休上班)
adjusted working days. A range is written `A..B` (also `A至B`, `A~B`); within it, days that
already are what the line says (weekends in a rest period, weekdays in a working period)
are left out, so a period can be copied from the notice as it stands. A single date that
already is what the line says is an error, as it is most likely a typo. The holiday's
name is required for rest days. Blank lines and lines starting with # are ignored.
"""

import datetime
import re
from typing import NamedTuple

from django.utils.translation import gettext as _

from supervision.calendar import ONE_DAY, DayEntry, DayKind, is_weekend

KIND_WORDS = {
    "休": DayKind.HOLIDAY, "休息": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY,
    "调休": DayKind.IN_LIEU,
    "班": DayKind.WORKDAY, "上班": DayKind.WORKDAY, "调休上班": DayKind.WORKDAY,
}
LINE_WORD = {DayKind.HOLIDAY: "休", DayKind.IN_LIEU: "调休", DayKind.WORKDAY: "班"}
RANGE_SEPARATORS = re.compile(r"\s*(?:\.\.|至|~|～)\s*")
DATE_PATTERN = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
MAX_RANGE_DAYS = 31


class LineError(NamedTuple):
    number: int
    text: str
    message: str

    def __str__(self):
        return _("第 %(n)s 行“%(text)s”:%(message)s") % {
            "n": self.number, "text": self.text, "message": self.message,
        }


class _Refused(Exception):
    pass


def _date(text):
    match = DATE_PATTERN.match(text)
    if not match:
        raise _Refused(_("“%(text)s”不是日期,请写成 2027-01-01 的形式。") % {"text": text})
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise _Refused(_("日期“%(text)s”不存在。") % {"text": text}) from None


def _parse_line(text, year):
    parts = text.split()
    if len(parts) < 2:
        raise _Refused(_("每行须写日期(或日期范围)和“休”“调休”或“班”。"))
    kind = KIND_WORDS.get(parts[-1])
    if kind is None:
        raise _Refused(_("行末须是“休”“调休”或“班”,而不是“%(word)s”。") % {"word": parts[-1]})
    name = " ".join(parts[1:-1])
    if kind != DayKind.WORKDAY and not name:
        raise _Refused(_("休息日须写出节日名称,例如“春节”。"))
    bounds = RANGE_SEPARATORS.split(parts[0])
    if len(bounds) > 2:
        raise _Refused(_("日期范围只能有一个起点和一个终点。"))
    first, last = _date(bounds[0]), _date(bounds[-1])
    if last < first:
        raise _Refused(_("范围的终点早于起点。"))
    if (last - first).days >= MAX_RANGE_DAYS:
        raise _Refused(_("一个范围最长 %(n)s 天。") % {"n": MAX_RANGE_DAYS})
    if first.year != year or last.year != year:
        raise _Refused(_("日期不在 %(year)s 年度内。") % {"year": year})
    wants_weekend = kind == DayKind.WORKDAY
    days = []
    day = first
    while day <= last:
        if is_weekend(day) == wants_weekend:
            days.append(DayEntry(day, kind, name))
        day += ONE_DAY
    if not days:
        if wants_weekend:
            raise _Refused(_("%(date)s 本来就是工作日;“班”只用于周末调休上班。") % {"date": first})
        raise _Refused(_("%(date)s 是周末,本来就休息;只需录入工作日放假。") % {"date": first})
    return days


def parse_calendar_lines(text: str, year: int) -> tuple[list[DayEntry], list[LineError]]:
    """The entries the lines describe, and an error for each wrong line (by line number);
    a date given by two lines is an error on the second."""
    entries, errors, seen = [], [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            days = _parse_line(line, year)
            for entry in days:
                if entry.date in seen:
                    raise _Refused(
                        _("%(date)s 已在第 %(n)s 行录入。") % {"date": entry.date, "n": seen[entry.date]}
                    )
        except _Refused as exc:
            errors.append(LineError(number, line, str(exc)))
            continue
        for entry in days:
            seen[entry.date] = number
        entries.extend(days)
    return sorted(entries), errors


def format_calendar_lines(entries) -> str:
    """The lines for `entries` (the inverse of parse_calendar_lines): runs of the same kind
    and name become one range when only days the range leaves out lie between them."""
    runs = []
    for entry in sorted(entries):
        if runs:
            last = runs[-1]
            gap_days = [last[1] + ONE_DAY * i for i in range(1, (entry.date - last[1]).days)]
            skipped = all(is_weekend(d) != (entry.kind == DayKind.WORKDAY) for d in gap_days)
            fits = (entry.date - last[0]).days < MAX_RANGE_DAYS
            if (last[2], last[3]) == (entry.kind, entry.name) and skipped and fits:
                runs[-1] = (last[0], entry.date, entry.kind, entry.name)
                continue
        runs.append((entry.date, entry.date, entry.kind, entry.name))
    lines = []
    for first, last, kind, name in runs:
        dates = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
        lines.append(" ".join(p for p in (dates, name, LINE_WORD[DayKind(kind)]) if p))
    return "\n".join(lines)
