"""Every write of inspections, rectification and accountability, and the loop back to
the risk points (flagged for re-grading when an alert, complaint or finding fires them).

Refusals raise PermissionDenied with the reason; bad input raises ValidationError with
a message per field; nothing is half-saved (each service runs in one transaction)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.org.permissions import require
from powerlist.catalogue.models import AccountabilityCircumstance
from powerlist.review.engine import flow_apply
from powerlist.review.models import ReviewAction
from powerlist.review.record import operation_record_append
from riskpoints.models import RiskPoint
from riskpoints.services import riskpoints_flag_fired
from supervision.inspections.flow import RectificationAction
from supervision.inspections.permissions import can_plan_inspection, can_record_finding
from supervision.models import AccountabilityRecord, Complaint, Finding, InspectionPlan, Rectification


def inspection_plan_create(*, user, department, title, period_start, period_end, scope=""):
    """A supervisor of the department's region plans an inspection of it."""
    require(can_plan_inspection(user, department))
    if period_end < period_start:
        raise ValidationError({"period_end": _("检查期间止不能早于检查期间起。")})
    return InspectionPlan.objects.create(region_id=department.region_id, department=department, title=title,
                                         period_start=period_start, period_end=period_end, scope=scope,
                                         created_by=user)


# --- What fires a risk point -----------------------------------------------------------
# An inspection finding fires the risk point it names, or (naming only a power) every
# risk point of that power; an alert fires the risk points of its power at its post (all
# of the power's when the alert names no post); a complaint about a power fires the
# power's risk points. supervision.inspections.selectors counts the same links.


def fired_by_finding_q(finding) -> Q:
    if finding.risk_point_id:
        return Q(pk=finding.risk_point_id)
    if finding.power_id:
        return Q(power_id=finding.power_id)
    return Q(pk__in=[])


def fired_by_alerts_q(alerts) -> Q:
    by_power = {}
    for alert in alerts:
        posts = by_power.setdefault(alert.power_id, set())
        posts.add(alert.post_id)
    q = Q(pk__in=[])
    for power_id, posts in by_power.items():
        q |= Q(power_id=power_id) if None in posts else Q(power_id=power_id, post_id__in=posts)
    return q


def riskpoints_fired_by_alerts(*, alerts):
    """The re-grading flag for the risk points new alerts fire (one UPDATE for a whole
    batch of alerts; called by supervision.services.alerts.alerts_save)."""
    alerts = [a for a in alerts if a.power_id]
    if not alerts:
        return 0
    return riskpoints_flag_fired(riskpoints=RiskPoint.objects.filter(fired_by_alerts_q(alerts)),
                                 reason=_("办件预警触发了该风险点,需重新评估等级"))


def riskpoints_fired_by_complaints(*, since):
    """The re-grading flag for the risk points of the powers that complaints accepted
    since `since` are about (one UPDATE; the daily beat task runs it, so the complaint
    flow needs no hook). A declined complaint fires nothing."""
    powers = Complaint.objects.filter(accepted_at__gte=since, power__isnull=False).values("power_id")
    return riskpoints_flag_fired(riskpoints=RiskPoint.objects.filter(power_id__in=powers),
                                 reason=_("投诉举报涉及该风险点所在事项,需重新评估等级"))


def _check_links(finding):
    """Every linked object belongs to the inspected department."""
    errors = {}
    department_id = finding.department_id
    for name in ("power", "risk_point", "case", "alert", "complaint"):
        linked = getattr(finding, name)
        if linked is not None and linked.department_id != department_id:
            errors[name] = _("所选对象不属于被检查部门。")
    if finding.risk_point_id and finding.power_id and finding.risk_point.power_id != finding.power_id:
        errors["risk_point"] = _("所选风险点不属于所选事项。")
    if errors:
        raise ValidationError(errors)


def finding_record(*, user, plan, description, power=None, risk_point=None, case=None, alert=None, complaint=None):
    """Record a finding of `plan`; the risk points it fires are flagged for re-grading
    in the same transaction."""
    require(can_record_finding(user, plan))
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("请填写发现的问题。")})
    finding = Finding(plan=plan, region_id=plan.region_id, department_id=plan.department_id,
                      description=description, power=power, risk_point=risk_point, case=case, alert=alert,
                      complaint=complaint, recorded_by=user)
    _check_links(finding)
    with transaction.atomic():
        finding.save()
        riskpoints_flag_fired(riskpoints=RiskPoint.objects.filter(fired_by_finding_q(finding)),
                              reason=_("监督检查发现的问题涉及该风险点,需重新评估等级"))
    return finding


def rectification_create(*, user, finding, requirement, deadline):
    """Require the inspected department to rectify `finding` by `deadline`; the
    rectification starts in the flow's initial state and enters the clerk's queue."""
    require(can_record_finding(user, finding.plan))
    errors = {}
    requirement = (requirement or "").strip()
    if not requirement:
        errors["requirement"] = _("请填写整改要求。")
    if deadline is None or deadline < timezone.localdate():
        errors["deadline"] = _("整改期限不能早于今天。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rectification = Rectification.objects.create(
            finding=finding, region_id=finding.region_id, department_id=finding.department_id,
            requirement=requirement, deadline=deadline, state_changed_at=timezone.now())
        operation_record_append(obj=rectification, actor=user, role=can_record_finding(user, finding.plan).role,
                                action=ReviewAction.CREATE, from_state="", to_state=rectification.state,
                                comment=requirement)
    return rectification


def rectification_apply(*, user, rectification, action, comment="", expected_version=None):
    """Any action of RECTIFICATION_FLOW, through the engine (the pages and the API)."""
    return flow_apply(user=user, obj=rectification, action=action, comment=comment,
                      expected_version=expected_version)


def rectification_file(*, user, rectification, report, expected_version=None):
    """The department files what it rectified (the report is required)."""
    return rectification_apply(user=user, rectification=rectification, action=RectificationAction.FILE,
                               comment=report, expected_version=expected_version)


def accountability_record_create(*, user, finding, circumstance, person_name, measure, ground, decided_on,
                                 person_post=""):
    """Record who is held accountable for `finding`, under which accountability
    circumstance of the power (it must be one of that power's, in the inspected
    department), with what measure and on what ground."""
    require(can_record_finding(user, finding.plan))
    errors = {}
    if not isinstance(circumstance, AccountabilityCircumstance):
        errors["circumstance"] = _("请选择追责情形。")
    elif circumstance.power.department_id != finding.department_id:
        errors["circumstance"] = _("追责情形必须是被检查部门事项的追责情形。")
    elif finding.power_id and circumstance.power_id != finding.power_id:
        errors["circumstance"] = _("追责情形必须是该问题所涉事项的追责情形。")
    if not (person_name or "").strip():
        errors["person_name"] = _("请填写责任人。")
    if not (ground or "").strip():
        errors["ground"] = _("请填写处理依据。")
    if decided_on is None or decided_on > timezone.localdate():
        errors["decided_on"] = _("决定日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    return AccountabilityRecord.objects.create(
        finding=finding, region_id=finding.region_id, department_id=finding.department_id,
        power_id=circumstance.power_id, circumstance=circumstance, person_name=person_name.strip(),
        person_post=(person_post or "").strip(), measure=measure, ground=ground.strip(), decided_on=decided_on,
        recorded_by=user)
