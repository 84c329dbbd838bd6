"""Every write to the working-day calendar.

Each public function runs in one transaction, locks the year row, and ends in
`_record_change`, which bumps the year's version, writes one CalendarChange (who, when,
what) and invalidates the clock's cache. Nothing else writes CalendarYear or CalendarDay.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from supervision.calendar import DayEntry, DayKind
from supervision.clock import calendar_cache_invalidate
from supervision.library import library_entries, library_version, library_years
from supervision.models import CalendarChange, CalendarDay, CalendarYear, day_kind_errors
from supervision.permissions import can_manage_calendar

YEAR_RANGE = range(2000, 2101)


def _require_manager(user):
    decision = can_manage_calendar(user)
    if not decision:
        raise PermissionDenied(decision.reason)


def _entry_json(entry):
    return [entry.date.isoformat(), str(entry.kind), entry.name]


def _record_change(calendar_year, *, user, action, summary, details=None, new=False):
    """Bump the version (unless the year was just created at version 1), write the
    CalendarChange and drop the clock's cache now and again after commit (another process
    may reload between the two)."""
    if not new:
        calendar_year.version += 1
        calendar_year.save(update_fields=[
            "version", "updated_at", "source", "notice_number", "notice_date", "is_complete", "library_version",
        ])
    change = CalendarChange.objects.create(
        calendar_year=calendar_year, version=calendar_year.version, action=action,
        user=user, summary=summary[:500], details=details or {},
    )
    calendar_cache_invalidate()
    transaction.on_commit(calendar_cache_invalidate)
    return change


def _locked(year: int) -> CalendarYear:
    try:
        return CalendarYear.objects.select_for_update().get(year=year)
    except CalendarYear.DoesNotExist:
        raise ValidationError(_("%(year)s 年度尚未建立,请先新建该年度。") % {"year": year}) from None


def _current_entries(calendar_year) -> dict:
    return {
        d.date: DayEntry(d.date, d.kind, d.name)
        for d in CalendarDay.objects.filter(calendar_year=calendar_year)
    }


def _validate_entries(year, entries) -> dict:
    """{date: entry}, or ValidationError listing every wrong entry under "days"."""
    errors, by_date = [], {}
    for entry in entries:
        if entry.date.year != year:
            errors.append(_("%(date)s 不在 %(year)s 年度内。") % {"date": entry.date, "year": year})
            continue
        if entry.kind not in DayKind.values:
            errors.append(_("%(date)s 的类型无效。") % {"date": entry.date})
            continue
        errors.extend(day_kind_errors(entry.date, entry.kind))
        if entry.date in by_date:
            errors.append(_("%(date)s 重复录入。") % {"date": entry.date})
        by_date[entry.date] = DayEntry(entry.date, DayKind(entry.kind), entry.name.strip()[:100])
    if errors:
        raise ValidationError({"days": errors})
    return by_date


def _check_complete(calendar_year, days):
    if not calendar_year.is_complete:
        return
    if not any(e.kind == DayKind.HOLIDAY for e in days.values()):
        raise ValidationError(
            {"is_complete": _("尚未录入任何法定节假日,不能标记为已完整录入。")}
        )
    if calendar_year.source == CalendarYear.Source.MANUAL and not calendar_year.notice_number.strip():
        raise ValidationError(
            {"notice_number": _("标记为已完整录入前,请填写国务院办公厅放假通知的文号。")}
        )


def _apply_days(calendar_year, old: dict, new: dict) -> dict:
    """Write the difference between two {date: entry} sets; returns it for the record."""
    added = [new[d] for d in sorted(new.keys() - old.keys())]
    removed = [old[d] for d in sorted(old.keys() - new.keys())]
    changed = [new[d] for d in sorted(new.keys() & old.keys()) if new[d] != old[d]]
    if removed:
        CalendarDay.objects.filter(calendar_year=calendar_year, date__in=[e.date for e in removed]).delete()
    for entry in changed:
        CalendarDay.objects.filter(calendar_year=calendar_year, date=entry.date).update(
            kind=entry.kind, name=entry.name
        )
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar_year=calendar_year, date=e.date, kind=e.kind, name=e.name) for e in added
    )
    return {
        "added": [_entry_json(e) for e in added],
        "removed": [_entry_json(e) for e in removed],
        "changed": [_entry_json(e) for e in changed],
    }


def _days_summary(diff) -> str:
    return _("新增 %(a)s 天、删除 %(r)s 天、修改 %(c)s 天") % {
        "a": len(diff["added"]), "r": len(diff["removed"]), "c": len(diff["changed"]),
    }


@transaction.atomic
def calendar_year_create(*, user, year, notice_number="", notice_date=None) -> CalendarYear:
    """Create an empty, incomplete year entered by hand (the library does not know it).

    Raises PermissionDenied unless the user may manage the calendar, ValidationError for
    a year outside 2000–2100 or one that already exists."""
    _require_manager(user)
    if year not in YEAR_RANGE:
        raise ValidationError({"year": _("年度须在 2000 至 2100 之间。")})
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度已存在,请直接修改。") % {"year": year}})
    calendar_year = CalendarYear.objects.create(
        year=year, source=CalendarYear.Source.MANUAL, notice_number=notice_number.strip(),
        notice_date=notice_date, entered_by=user,
    )
    _record_change(
        calendar_year, user=user, action=CalendarChange.Action.CREATED, new=True,
        summary=_("新建 %(year)s 年度(手工录入)") % {"year": year},
    )
    return calendar_year


@transaction.atomic
def calendar_year_save(
    *, user, year, notice_number, notice_date, is_complete, entries=None
) -> CalendarChange | None:
    """Save a year's notice reference and completeness and, when `entries` is given,
    make its exceptions exactly `entries` (one version, one CalendarChange for all of it).

    Changing the days of a year imported from chinesecalendar makes it a hand-entered year
    (seed_calendar then leaves it alone). Returns the change, or None when nothing changed.
    Raises PermissionDenied, or ValidationError (Chinese, by field) for entries outside the
    year, on the wrong kind of day or repeated, and for a year marked complete without
    holidays or, when entered by hand, without the notice's number."""
    _require_manager(user)
    calendar_year = _locked(year)
    old = _current_entries(calendar_year)
    new = old if entries is None else _validate_entries(year, entries)
    fields = {
        "notice_number": (calendar_year.notice_number, notice_number.strip()),
        "notice_date": (calendar_year.notice_date, notice_date),
        "is_complete": (calendar_year.is_complete, bool(is_complete)),
    }
    changed_fields = {k: v for k, v in fields.items() if v[0] != v[1]}
    if not changed_fields and new == old:
        return None
    for name, (_old, value) in changed_fields.items():
        setattr(calendar_year, name, value)
    parts = []
    if new != old and calendar_year.source == CalendarYear.Source.LIBRARY:
        calendar_year.source = CalendarYear.Source.MANUAL
        parts.append(_("改为手工维护"))
    _check_complete(calendar_year, new)
    diff = _apply_days(calendar_year, old, new)
    if new != old:
        parts.insert(0, _days_summary(diff))
    labels = {"notice_number": _("通知文号"), "notice_date": _("通知日期"), "is_complete": _("完整性")}
    if changed_fields:
        parts.append(_("修改%(fields)s") % {"fields": "、".join(labels[k] for k in changed_fields)})
    diff["fields"] = {k: [str(v[0] or ""), str(v[1] or "")] for k, v in changed_fields.items()}
    return _record_change(
        calendar_year, user=user, action=CalendarChange.Action.UPDATED,
        summary=_("%(year)s 年度:") % {"year": year} + ";".join(parts), details=diff,
    )


@transaction.atomic
def calendar_day_set(*, user, date: datetime.date, kind, name="") -> CalendarChange | None:
    """Make `date` an exception of `kind` in its (existing) year; None when it already is.

    Raises PermissionDenied, or ValidationError when the year does not exist or the kind
    makes no exception on that date (a rest day on a weekend, a working day on a weekday)."""
    _require_manager(user)
    calendar_year = _locked(date.year)
    old = _current_entries(calendar_year)
    new = dict(old)
    new[date] = DayEntry(date, kind, name)
    new = _validate_entries(date.year, new.values())
    if new == old:
        return None
    diff = _apply_days(calendar_year, old, new)
    calendar_year.source = CalendarYear.Source.MANUAL
    return _record_change(
        calendar_year, user=user, action=CalendarChange.Action.DAY_SET, details=diff,
        summary=_("%(date)s 设为%(kind)s %(name)s") % {
            "date": date, "kind": DayKind(kind).label, "name": name,
        },
    )


@transaction.atomic
def calendar_day_clear(*, user, date: datetime.date) -> CalendarChange | None:
    """Remove the exception on `date` (it follows the week again); None when there is none.
    The year then may no longer be complete: _check_complete still applies."""
    _require_manager(user)
    calendar_year = _locked(date.year)
    old = _current_entries(calendar_year)
    if date not in old:
        return None
    new = {d: e for d, e in old.items() if d != date}
    _check_complete(calendar_year, new)
    diff = _apply_days(calendar_year, old, new)
    calendar_year.source = CalendarYear.Source.MANUAL
    return _record_change(
        calendar_year, user=user, action=CalendarChange.Action.DAY_CLEARED, details=diff,
        summary=_("删除例外日 %(date)s") % {"date": date},
    )


def calendar_seed_from_library(*, years=None) -> dict:
    """Load every year chinesecalendar knows (or `years` of them) into the tables.

    Idempotent: a missing year is created complete (source chinesecalendar); a year still
    sourced from the library is brought in line with it when the installed release
    differs (a corrected notice); a year an administrator changed by hand is never
    touched. Returns {"created": [...], "synced": [...], "unchanged": [...], "kept": [...]}
    (kept: hand-maintained years the library also knows)."""
    known = library_years()
    wanted = [y for y in (years if years is not None else known) if y in known]
    version = library_version()
    result = {"created": [], "synced": [], "unchanged": [], "kept": []}
    for year in wanted:
        with transaction.atomic():
            _seed_year(year, version, result)
    return result


def _seed_year(year, version, result):
    entries = {e.date: e for e in library_entries(year)}
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if calendar_year is None:
        calendar_year = CalendarYear.objects.create(
            year=year, source=CalendarYear.Source.LIBRARY, library_version=version, is_complete=True,
        )
        diff = _apply_days(calendar_year, {}, entries)
        _record_change(
            calendar_year, user=None, action=CalendarChange.Action.SEEDED, new=True, details=diff,
            summary=_("从 chinesecalendar %(v)s 导入 %(year)s 年(%(n)s 个例外日)") % {
                "v": version, "year": year, "n": len(entries),
            },
        )
        result["created"].append(year)
        return
    if calendar_year.source != CalendarYear.Source.LIBRARY:
        result["kept"].append(year)
        return
    old = _current_entries(calendar_year)
    if old == entries:
        result["unchanged"].append(year)
        return
    diff = _apply_days(calendar_year, old, entries)
    calendar_year.library_version = version
    calendar_year.is_complete = True
    _record_change(
        calendar_year, user=None, action=CalendarChange.Action.SYNCED, details=diff,
        summary=_("按 chinesecalendar %(v)s 更新 %(year)s 年:") % {"v": version, "year": year}
        + _days_summary(diff),
    )
    result["synced"].append(year)
