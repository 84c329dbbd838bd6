"""Inspection → finding → rectification → accountability, and the loop back to the
risk points: what fires is flagged for re-grading."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from powerlist.models import Power, ReviewState
from powerlist.notifications.models import Notification
from powerlist.org.roles import Role
from powerlist.review.record import operation_record_for
from riskpoints.models import RiskPoint
from riskpoints.selectors import riskpoint_list
from supervision.inspections import selectors as isel
from supervision.inspections.flow import RectificationState
from supervision.inspections.services import (
    accountability_record_create, finding_record, inspection_plan_create, rectification_apply,
    rectification_create, rectification_file, riskpoints_fired_by_complaints,
)
from supervision.models import AccountabilityMeasure, AccountabilityRecord, Alert
from tests.powerlist.factories import AccountabilityCircumstanceFactory, PowerFactory, make_user
from tests.riskpoints.factories import RiskPointFactory
from tests.supervision.factories import case_system, confirmed_power, push
from tests.supervision.inspection_factories import ComplaintFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _plan(org):
    return inspection_plan_create(user=org.supervisor, department=org.dept, title="审批专项检查",
                                  period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 12, 31))


def test_the_whole_loop(org, django_capture_on_commit_callbacks):
    power = PowerFactory(department=org.dept, division=org.division)
    circumstance = AccountabilityCircumstanceFactory(power=power, text="对符合法定条件的申请不予受理的。",
                                                     ground="《行政许可法》第七十二条")
    point = RiskPointFactory(power=power, state=ReviewState.CONFIRMED)
    untouched = RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division),
                                 state=ReviewState.CONFIRMED)
    plan = _plan(org)
    finding = finding_record(user=org.supervisor, plan=plan, description="审查环节一人审查", power=power,
                             risk_point=point)
    point.refresh_from_db()
    untouched.refresh_from_db()
    assert point.regrading_required is True
    assert "监督检查" in point.regrading_note
    assert untouched.regrading_required is False
    # the flag shows on the risk point for the department and the office
    for user in (org.clerk, org.office_reviewer):
        assert riskpoint_list(user=user).get(pk=point.pk).needs_regrading is True, user

    rect = rectification_create(user=org.supervisor, finding=finding, requirement="落实两人审查",
                                deadline=TODAY + datetime.timedelta(days=10))
    assert rect.state == RectificationState.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        rect = rectification_file(user=org.clerk, rectification=rect, report="已制定两人审查制度并执行")
    assert rect.state == RectificationState.FILED and rect.submitted_at is not None
    assert Notification.objects.filter(recipient=org.supervisor).exists()
    with django_capture_on_commit_callbacks(execute=True):
        rect = rectification_apply(user=org.supervisor, rectification=rect, action="send_back", comment="缺少执行记录")
    assert (rect.state, rect.last_return_comment) == (RectificationState.SENT_BACK, "缺少执行记录")
    assert Notification.objects.filter(recipient=org.clerk).exists()
    rect = rectification_file(user=org.clerk, rectification=rect, report="补充了执行记录")
    rect = rectification_apply(user=org.supervisor, rectification=rect, action="accept")
    assert rect.state == RectificationState.ACCEPTED and rect.confirmed_at is not None
    actions = [(e.action, e.from_state, e.to_state) for e in operation_record_for(rect).order_by("seq")]
    assert actions == [("create", "", "open"), ("file", "open", "filed"), ("send_back", "filed", "sent_back"),
                       ("file", "sent_back", "filed"), ("accept", "filed", "accepted")]

    record = accountability_record_create(
        user=org.supervisor, finding=finding, circumstance=circumstance, person_name="张某", person_post="审查岗",
        measure=AccountabilityMeasure.ADMONITION, ground="《行政许可法》第七十二条", decided_on=TODAY)
    assert (record.power_id, record.department_id, record.circumstance.text) == (
        power.pk, org.dept.pk, "对符合法定条件的申请不予受理的。")


def test_accountability_circumstance_must_be_the_powers(org):
    power = PowerFactory(department=org.dept, division=org.division)
    foreign = AccountabilityCircumstanceFactory(power=PowerFactory(department=org.other_dept,
                                                                   division=org.other_dept_division))
    other_power_same_dept = AccountabilityCircumstanceFactory(
        power=PowerFactory(department=org.dept, division=org.division))
    finding = finding_record(user=org.supervisor, plan=_plan(org), description="问题", power=power)
    for circumstance in (foreign, other_power_same_dept):
        with pytest.raises(ValidationError) as exc:
            accountability_record_create(user=org.supervisor, finding=finding, circumstance=circumstance,
                                         person_name="张某", measure=AccountabilityMeasure.CRITICISM, ground="依据",
                                         decided_on=TODAY)
        assert "circumstance" in exc.value.error_dict
    assert AccountabilityRecord.objects.count() == 0


def test_only_the_regions_supervisor_plans_and_records(org):
    city_supervisor = make_user(Role.SUPERVISOR, org.city_office, username="city_sup")
    for user in (org.clerk, org.office_reviewer, city_supervisor):
        with pytest.raises(PermissionDenied):
            inspection_plan_create(user=user, department=org.dept, title="x", period_start=TODAY,
                                   period_end=TODAY)
    with pytest.raises(PermissionDenied):
        inspection_plan_create(user=org.supervisor, department=org.office, title="x", period_start=TODAY,
                               period_end=TODAY)
    plan = _plan(org)
    with pytest.raises(PermissionDenied):
        finding_record(user=city_supervisor, plan=plan, description="问题")


def test_finding_links_must_be_in_the_inspected_department(org):
    other = PowerFactory(department=org.other_dept, division=org.other_dept_division)
    with pytest.raises(ValidationError) as exc:
        finding_record(user=org.supervisor, plan=_plan(org), description="问题", power=other)
    assert "power" in exc.value.error_dict


def test_an_alert_flags_the_risk_points_at_its_post(org, calendar_2026):
    power = confirmed_power(org.dept)
    review_post = power.flowchart.steps.get(name="审查").post
    accept_post = power.flowchart.steps.get(name="受理").post
    at_review = RiskPointFactory(power=power, post=review_post, state=ReviewState.CONFIRMED)
    at_accept = RiskPointFactory(power=power, post=accept_post, state=ReviewState.CONFIRMED)
    draft = RiskPointFactory(power=power, post=review_post)
    system = case_system(org.dept)
    # 审查 has 5 working days: started Mon 2 Nov, still running on Mon 9 Nov → step over.
    push(system, [("received", "2026-11-02 09:00", {"power": power.code}),
                  ("accepted", "2026-11-02 09:10"),
                  ("step_started", "2026-11-02 09:20", {"step": "受理", "person": "甲"}),
                  ("step_finished", "2026-11-02 10:00", {"step": "受理", "person": "甲"}),
                  ("step_started", "2026-11-02 10:10", {"step": "审查", "person": "乙"})],
         today=datetime.date(2026, 11, 2))
    push(system, [("step_finished", "2026-11-12 10:00", {"step": "审查", "person": "乙"})],
         today=datetime.date(2026, 11, 12))
    alert = Alert.objects.get(rule="step_over")
    assert alert.post_id == review_post.pk
    flags = dict(RiskPoint.objects.values_list("pk", "regrading_required"))
    assert flags == {at_review.pk: True, at_accept.pk: False, draft.pk: False}
    fired = {rp.pk: (rp.alerts_fired, rp.findings_fired) for rp in isel.fired_riskpoints(user=org.supervisor)}
    assert fired[at_review.pk] == (1, 0) and fired[at_accept.pk] == (0, 0)
    assert [rp.pk for rp in isel.fired_riskpoints(user=org.supervisor, fired_only=True)] == [at_review.pk,
                                                                                              draft.pk]


def test_rectification_deadline_in_the_past_is_refused(org):
    finding = finding_record(user=org.supervisor, plan=_plan(org), description="问题")
    with pytest.raises(ValidationError) as exc:
        rectification_create(user=org.supervisor, finding=finding, requirement="整改",
                             deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert "deadline" in exc.value.error_dict


def test_an_accepted_complaint_flags_its_powers_risk_points(org):
    power = PowerFactory(department=org.dept, division=org.division)
    point = RiskPointFactory(power=power, state=ReviewState.CONFIRMED)
    declined_power = PowerFactory(department=org.dept, division=org.division)
    quiet = RiskPointFactory(power=declined_power, state=ReviewState.CONFIRMED)
    now = timezone.now()
    ComplaintFactory(department=org.dept, power=power, state="accepted", accepted_at=now)
    ComplaintFactory(department=org.dept, power=declined_power, state="declined", declined_at=now)
    assert riskpoints_fired_by_complaints(since=now - datetime.timedelta(days=2)) == 1
    point.refresh_from_db()
    quiet.refresh_from_db()
    assert (point.regrading_required, quiet.regrading_required) == (True, False)
    fired = {rp.pk: rp.complaints_fired for rp in isel.fired_riskpoints(user=org.supervisor, fired_only=True)}
    assert fired == {point.pk: 1}


def test_a_reimport_may_not_replace_circumstances_an_accountability_record_cites(org):
    """The import replaces a draft's lists wholesale; a circumstance that an accountability
    record cites cannot go (PROTECT), and the clerk is told which row and why, with nothing
    saved; before, the refused delete read as a code conflict without a row."""
    from powerlist.catalogue.spreadsheets import power_import
    from powerlist.catalogue.spreadsheets.columns import HEADERS
    from tests.powerlist.spreadsheet_helpers import row, xlsx

    power = PowerFactory(department=org.dept, division=org.division, code="210000-FG-XK-001", name="企业投资项目核准")
    circumstance = AccountabilityCircumstanceFactory(power=power, text="对符合法定条件的申请不予受理的。")
    finding = finding_record(user=org.supervisor, plan=_plan(org), description="不予受理未说明理由", power=power)
    accountability_record_create(user=org.supervisor, finding=finding, circumstance=circumstance, person_name="张某",
                                 measure=AccountabilityMeasure.CRITICISM, ground="依据", decided_on=TODAY)
    content = xlsx([row("210000-FG-XK-001", name="企业投资项目核准(新)", cells={"追责情形": "1.擅自增设条件的。"}),
                    row("210000-FG-XK-002")])

    result = power_import(user=org.clerk, department=org.dept, rows_or_file=content)

    assert not result.saved
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (2, "追责情形", "事项210000-FG-XK-001的追责情形已被责任追究记录引用,不能通过导入整体替换;"
                    "请在事项页面逐条修改,或从表格中删去该列后再导入。")]
    power.refresh_from_db()
    assert power.name == "企业投资项目核准" and not Power.objects.filter(code="210000-FG-XK-002").exists()
    assert list(power.accountability_circumstances.values_list("text", flat=True)) == ["对符合法定条件的申请不予受理的。"]

    # Without the column the same file imports, and the cited circumstance stays.
    headers = [h for h in HEADERS if h != "追责情形"]
    rows = [row("210000-FG-XK-001", name="企业投资项目核准(新)"), row("210000-FG-XK-002")]
    content = xlsx([[r.get(h) for h in headers] for r in rows], headers=headers)
    result = power_import(user=org.clerk, department=org.dept, rows_or_file=content)
    assert result.saved and (result.created, result.updated) == (1, 1)
    power.refresh_from_db()
    assert power.name == "企业投资项目核准(新)"
    assert list(power.accountability_circumstances.values_list("text", flat=True)) == ["对符合法定条件的申请不予受理的。"]


def test_a_finding_names_its_case_by_the_case_number(org, client, calendar_2026):
    power = confirmed_power(org.dept)
    push(case_system(org.dept), [("received", "2026-11-02 09:00", {"power": power.code, "case": "XK-2026-0042"})],
         today=datetime.date(2026, 11, 2))
    other = confirmed_power(org.other_dept)
    push(case_system(org.other_dept, code="sys-2"),
         [("received", "2026-11-02 09:00", {"power": other.code, "case": "XK-2026-0043"})],
         today=datetime.date(2026, 11, 2))
    plan = _plan(org)
    client.force_login(org.supervisor)
    url = f"/supervision/inspections/{plan.pk}/"
    # Another department's case number is not one of the inspected department's.
    page = client.post(url, {"description": "超期未办结", "case": "XK-2026-0043"})
    assert page.status_code == 200
    assert "被检查部门没有这个编号的办件。" in page.content.decode()
    assert not plan.findings.exists()

    page = client.post(url, {"description": "超期未办结", "case": "XK-2026-0042"})
    assert page.status_code == 302
    assert plan.findings.get().case.number == "XK-2026-0042"
