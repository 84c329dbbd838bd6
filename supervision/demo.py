"""Demo data of the supervision app, called by seed_demo (idempotent): the working-day
calendar, an approval system for the demo department and cases in every state, some
of them overdue, pushed through the intake service so the board has something to show."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from powerlist.catalogue.models import Power
from supervision.complaints import demo as complaints_demo
from supervision.models import Case, CaseSystem
from supervision.services.calendar import calendar_seed_from_library
from supervision.services.intake import events_intake

SYSTEM_CODE = "demo-fgw-approval"


def _system(department):
    user, created = get_user_model().objects.get_or_create(
        username="fgw_approval_system", defaults={"department": department, "display_name": "发展改革委审批系统"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Token.objects.get_or_create(user=user)
    system, _created = CaseSystem.objects.get_or_create(
        code=SYSTEM_CODE, defaults={"department": department, "name": "发展改革委网上审批系统", "service_user": user})
    return system


def _scenarios(steps):
    """(number, days ago received, [(kind, days ago or None for the day of receipt, extra)])
    for each demo case; `steps` are the flowchart's step names in order."""
    def step(i):
        return steps[min(i, len(steps) - 1)]

    def done(i, begun, ended, person="王经办"):
        return [("step_started", begun, {"step": step(i), "person": person}),
                ("step_finished", ended, {"step": step(i), "person": person})]

    accepted = [("accepted", None, {})]
    return [
        ("DEMO-001", 0, []),
        ("DEMO-002", 2, accepted + done(0, 2, 2) + [("step_started", 1, {"step": step(1), "person": "王经办"})]),
        ("DEMO-003", 6, accepted + done(0, 6, 6) + done(1, 5, 5) + [("suspended", 4, {"ground": "补正"})]),
        ("DEMO-004", 24, accepted + done(0, 24, 24) + done(1, 23, 23)
         + [("step_started", 22, {"step": step(2), "person": "李审核"})]),
        ("DEMO-005", 42, accepted + done(0, 42, 42) + done(1, 41, 40) + done(2, 39, 30, "李审核")
         + [("step_started", 12, {"step": step(3), "person": "赵决定"})]),
        ("DEMO-006", 3, [("refused", 2, {"reasons": []})]),
        ("DEMO-007", 3, [("refused", 2, {"reasons": ["申请材料不齐全,已一次性告知需补正的材料"]})]),
        ("DEMO-008", 12, accepted + done(0, 12, 12) + done(1, 11, 11) + done(2, 10, 8, "李审核")
         + done(3, 8, 7, "赵决定") + [("decided", 7, {}), ("delivered", 6, {})]),
        ("DEMO-009", 34, accepted + done(0, 34, 34) + done(1, 33, 33) + done(2, 32, 10, "李审核")
         + done(3, 9, 3, "赵决定") + [("decided", 3, {}), ("fee_charged", 3, {"amount": "300"})]),
        ("DEMO-010", 5, accepted + done(0, 5, 5) + [("step_started", 5, {"step": step(1), "person": "王经办"}),
                                                    ("suspended", 4, {"ground": "专家评审"}),
                                                    ("resumed", 1, {"ground": "专家评审"})]),
    ]


def seed(ctx):
    """The calendar; then, once, the demo department's cases through its approval system,
    and complaints in every state (supervision.complaints.demo)."""
    ctx = _seed_cases(ctx)
    complaints_demo.seed(ctx)
    return ctx


def _seed_cases(ctx):
    result = calendar_seed_from_library()
    stdout = ctx["stdout"]
    if result["created"] or result["synced"]:
        stdout.write(f"Working-day calendar: {len(result['created']) + len(result['synced'])} years loaded.")
    department = ctx.get("fgw")
    if department is None or Case.objects.filter(department=department, number__startswith="DEMO-").exists():
        return ctx
    # Licensing-like powers with short limits, so that some demo cases run over them.
    powers = list(Power.objects.filter(department=department, in_force__isnull=False,
                                       flowchart__in_force__isnull=False, statutory_limit_days__lte=30,
                                       promised_limit_days__isnull=False)
                  .exclude(code__contains="-QT-").select_related("flowchart__in_force").order_by("code")[:3])
    if not powers:
        return ctx
    system = _system(department)
    now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)

    def when(days, minutes):
        return (now - datetime.timedelta(days=days) + datetime.timedelta(minutes=minutes)).isoformat()

    scenarios = {power.pk: _scenarios([s["name"] for s in power.flowchart.in_force.data["content"]["steps"]])
                 for power in powers}
    events = []
    for i in range(len(scenarios[powers[0].pk])):
        power = powers[i % len(powers)]
        number, received, later = scenarios[power.pk][i]
        events.append({"event_id": f"{number}-0", "kind": "received", "case": number, "power": power.code,
                       "occurred_at": when(received, 0), "online": number != "DEMO-010",
                       "applicant": {"name": "沈阳市示例科技有限公司", "id_number": "91210100MA0XXXXX1A",
                                     "phone": "02488886666"}})
        for j, (kind, days, extra) in enumerate(later, start=1):
            events.append({"event_id": f"{number}-{j}", "kind": kind, "case": number,
                           "occurred_at": when(received if days is None else days, 10 * j), **extra})
    events_intake(department=department, actor=system.service_user, events=events, system=system)
    stdout.write(f"Demo cases: {Case.objects.filter(department=department).count()} cases of {department} "
                 f"pushed by {system.name}.")
    return ctx
