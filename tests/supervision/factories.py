"""factory_boy factories for the working-day calendar."""

import datetime

import factory
from factory.django import DjangoModelFactory

from supervision.calendar import DayKind
from supervision.models import CalendarDay, CalendarYear


class CalendarYearFactory(DjangoModelFactory):
    """A hand-entered year, not yet complete (as an administrator starts one)."""

    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = 2027
    source = CalendarYear.Source.MANUAL
    is_complete = False


class CalendarDayFactory(DjangoModelFactory):
    class Meta:
        model = CalendarDay

    calendar_year = factory.SubFactory(CalendarYearFactory, year=factory.SelfAttribute("..date.year"))
    date = datetime.date(2027, 1, 1)
    kind = DayKind.HOLIDAY
    name = "元旦"


# --- Cases ---------------------------------------------------------------------------

from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from powerlist.catalogue.services import power_freeze_revision  # noqa: E402
from powerlist.flowcharts.services import flowchart_freeze_revision  # noqa: E402
from supervision.models import CaseSystem  # noqa: E402
from supervision.services.intake import events_intake  # noqa: E402
from tests.powerlist.factories import PowerFactory, UserFactory  # noqa: E402
from tests.powerlist.flowchart_helpers import PostFactory, linear  # noqa: E402

# The demo procedure: 受理 (1 day), 审查 (5 days, a checkpoint), 决定 (2 days), 送达.
STEPS = (
    {"name": "受理", "time_limit_days": 1},
    {"name": "审查", "time_limit_days": 5, "is_checkpoint": True, "checkpoint_note": "两人以上审查"},
    {"name": "决定", "time_limit_days": 2},
    {"name": "送达"},
)


def confirmed_power(department, *, steps=STEPS, statutory=20, promised=10, fee_basis="", **kwargs):
    """A power of `department` with its flowchart, both confirmed (revisions in force);
    each step has its own post (受理岗, 审查岗 …)."""
    power = PowerFactory(department=department, division__department=department, statutory_limit_days=statutory,
                         promised_limit_days=promised, fee_basis=fee_basis, **kwargs)
    posts = [PostFactory(department=department, name=f"{s['name']}岗") for s in steps]
    chart = linear(power, [dict(s) for s in steps], posts=posts)
    power_freeze_revision(power=power)
    flowchart_freeze_revision(flowchart=chart)
    power.refresh_from_db()
    return power


def case_system(department, *, code="sys-1"):
    """An approval system of `department` with its service user and API token."""
    user = UserFactory(department=department, username=f"svc-{code}")
    system = CaseSystem.objects.create(department=department, code=code, name=f"{department.name}审批系统",
                                       service_user=user)
    system.token = Token.objects.create(user=user).key
    return system


def at(text):
    """An aware datetime in the portal's zone from 'YYYY-MM-DD HH:MM'."""
    return timezone.make_aware(timezone.datetime.strptime(text, "%Y-%m-%d %H:%M"))


def push(system, events, *, today):
    """Events through the intake service as `system`, judged on `today`; short forms:
    ("received", "2026-11-02 09:00") or (kind, when, {field: value})."""
    full = []
    for item in events:
        kind, when, extra = (tuple(item) + ({},))[:3]
        extra = dict(extra)
        case = extra.pop("case", "C1")
        event = {"event_id": f"{case}-{kind}-{when}-{extra.get('step', '')}", "kind": kind, "case": case,
                 "occurred_at": f"{when.replace(' ', 'T')}:00+08:00", **extra}
        full.append(event)
    return events_intake(department=system.department, actor=system.service_user, events=full, system=system,
                         today=today)
