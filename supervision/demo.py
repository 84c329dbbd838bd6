"""Demo data of the supervision app, called by seed_demo (idempotent): the working-day
calendar, an approval system for the demo department and cases in every state, some
of them overdue, pushed through the intake service so the board has something to show."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from powerlist.catalogue.models import AccountabilityCircumstance, Power
from riskpoints.models import RiskPoint
from supervision.assessment.services import assessment_compute, assessment_publish, quarter_of
from supervision.complaints import demo as complaints_demo
from supervision.inspections import services as inspections
from supervision.models import Alert, Case, CaseSystem, InspectionPlan
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
    complaints in every state (supervision.complaints.demo), an inspection with findings
    and a quarter's assessment."""
    ctx = _seed_cases(ctx)
    complaints_demo.seed(ctx)
    seed_inspections_and_assessment(ctx)
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
    # Before 09:00 that stamp is in the future, which intake refuses: start from yesterday.
    if now > timezone.now() - datetime.timedelta(hours=2):
        now -= datetime.timedelta(days=1)

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


DEMO_PLAN_TITLE = "演示:行政审批专项监督检查"


def seed_inspections_and_assessment(ctx):
    """Once: an inspection of the demo department with two findings (one on a confirmed
    risk point, one on an alert), a rectification waiting for the clerk and one filed
    for the supervisor, an accountability record under a power's circumstance; then the
    province's assessment for the last and the current quarter, the current published."""
    department, users, province = ctx.get("fgw"), ctx.get("users", {}), ctx.get("province")
    supervisor, clerk = users.get("supervisor"), users.get("clerk")
    if department is None or supervisor is None or clerk is None:
        return
    today = timezone.localdate()
    if not InspectionPlan.objects.filter(department=department, title=DEMO_PLAN_TITLE).exists():
        quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        plan = inspections.inspection_plan_create(
            user=supervisor, department=department, title=DEMO_PLAN_TITLE, period_start=quarter_start,
            period_end=today, scope="审批时限执行、两人以上审查制度、廉政风险防控措施落实情况")
        point = RiskPoint.objects.filter(department=department, state="confirmed").select_related("power").first()
        first = inspections.finding_record(
            user=supervisor, plan=plan, description="抽查发现审查环节存在一人审查、未留存审查记录的情况",
            power=point.power if point else None, risk_point=point)
        alert = Alert.objects.filter(department=department).select_related("case").first()
        second = inspections.finding_record(
            user=supervisor, plan=plan, description="办件超过承诺时限未说明理由", power=alert.power if alert else None,
            case=alert.case if alert else None, alert=alert)
        inspections.rectification_create(user=supervisor, finding=first, requirement="建立并执行两人以上审查制度,补齐审查记录",
                                         deadline=today + datetime.timedelta(days=20))
        filed = inspections.rectification_create(user=supervisor, finding=second, requirement="对超时办件逐件说明原因并整改",
                                                 deadline=today + datetime.timedelta(days=10))
        inspections.rectification_file(user=clerk, rectification=filed, report="已逐件说明原因,调整审查岗人员配置")
        power = first.power or second.power
        circumstance = AccountabilityCircumstance.objects.filter(power=power).first() if power else None
        if circumstance is not None:
            inspections.accountability_record_create(
                user=supervisor, finding=first, circumstance=circumstance, person_name="王某", person_post="审查岗",
                measure="admonition", ground="《行政机关公务员处分条例》相关规定", decided_on=today)
        ctx["stdout"].write(f"Demo inspection: {plan.title} with {plan.findings.count()} findings.")
    if province is not None:
        year, quarter = quarter_of(today)
        previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        assessment_compute(region=province, year=previous[0], quarter=previous[1])
        assessment_publish(region=province, year=year, quarter=quarter, as_of=today)
        ctx["stdout"].write(f"Demo assessment: {province} {year}Q{quarter} computed and published.")
