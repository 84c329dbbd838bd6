"""Risk point and countermeasure writes, the review with experts, re-grading, attachments."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from powerlist.models import Flowchart, Power, ReviewLogEntry, ReviewState, Step
from powerlist.org.roles import Role
from powerlist.review.engine import review_approve, review_return, review_start_revision, review_submit
from riskpoints.models import Countermeasure, ExpertAssignment, RiskGradingRule, RiskLevel, RiskPoint
from riskpoints.permissions import can_view_riskpoint
from riskpoints.selectors import riskpoint_list
from riskpoints.services import (
    countermeasure_create,
    countermeasure_mark_in_force,
    grading_rule_update,
    riskpoint_assign_experts,
    riskpoint_create,
    riskpoint_record_opinion,
    riskpoint_suggest_level,
    riskpoint_update,
    riskpoints_flag_for_regrading,
)
from tests.powerlist.factories import CategoryFactory, PowerFactory, make_user
from tests.riskpoints.factories import CountermeasureFactory, RiskPointFactory
from tests.riskpoints.helpers import confirm_riskpoint

pytestmark = pytest.mark.django_db

DATA = {
    "stage": "decision", "post_name": "投资审批岗", "source": "business_process",
    "description": "违规核准不符合产业政策的项目", "manifestation": "降低标准核准",
    "likelihood": 4, "impact": 5, "level": "high", "monitoring_indicator": "核准项目抽查不合格率",
    "responsible_person": "王经办", "responsible_leader": "李处长",
}
MEASURE = {"kind": "new_rule", "text": "建立集体审议制度", "responsible_unit": "投资处",
           "responsible_person": "王经办", "deadline": datetime.date(2030, 1, 1)}


def test_clerk_creates_draft_with_suggested_level_and_log(org, power):
    rp = riskpoint_create(user=org.clerk, power=power, data=DATA)
    assert (rp.state, rp.number, rp.department, rp.region, rp.division) == (
        "draft", 1, org.dept, org.province, org.division)
    assert rp.suggested_level == RiskLevel.HIGH
    assert ReviewLogEntry.objects.filter(object_id=rp.pk, action="create").exists()
    assert riskpoint_create(user=org.clerk, power=power, data=DATA).number == 2


def test_level_other_than_suggestion_needs_reason(org, power):
    with pytest.raises(ValidationError) as exc:
        riskpoint_create(user=org.clerk, power=power, data={**DATA, "level": "low"})
    assert "level_reason" in exc.value.message_dict
    rp = riskpoint_create(user=org.clerk, power=power, data={**DATA, "level": "low", "level_reason": "已有电子监察"})
    assert rp.level == "low" and rp.suggested_level == "high"


def test_required_fields_and_ranges(org, power):
    with pytest.raises(ValidationError) as exc:
        riskpoint_create(user=org.clerk, power=power, data={**DATA, "description": "", "likelihood": 9,
                                                             "post_name": ""})
    assert {"description", "likelihood", "post_name"} <= set(exc.value.message_dict)


def test_step_must_belong_to_the_powers_flowchart(org, power):
    other = PowerFactory(department=org.dept, division=org.division)
    chart = Flowchart.objects.create(region=org.province, department=org.dept, category=other.category,
                                     power=other, title="流程")
    step = Step.objects.create(flowchart=chart, name="审查")
    with pytest.raises(ValidationError) as exc:
        riskpoint_create(user=org.clerk, power=power, data={**DATA, "step": step})
    assert "step" in exc.value.message_dict


@pytest.mark.parametrize("username", ["other_clerk", "dept_reviewer", "office_reviewer", "expert", "city_clerk"])
def test_only_clerk_in_scope_creates(org, power, username):
    with pytest.raises(PermissionDenied):
        riskpoint_create(user=getattr(org, username), power=power, data=DATA)


def test_clerk_of_other_division_cannot_create(org):
    power = PowerFactory(department=org.dept, division=org.other_division)
    with pytest.raises(PermissionDenied):
        riskpoint_create(user=org.clerk, power=power, data=DATA)


def test_grading_rule_by_score_and_by_kind(org, power):
    rule = RiskGradingRule(region=org.province, mode="score", high_threshold=16, medium_threshold=6)
    assert riskpoint_suggest_level(power=power, likelihood=4, impact=4, rule=rule)[0] == "high"
    assert riskpoint_suggest_level(power=power, likelihood=2, impact=3, rule=rule)[0] == "medium"
    assert riskpoint_suggest_level(power=power, likelihood=1, impact=5, rule=rule)[0] == "low"
    zd = PowerFactory(department=org.dept, division=org.division, name="机关资产处置",
                      category=CategoryFactory(code="ZD", name="内部重大事项决定"))
    level, reason = riskpoint_suggest_level(power=zd, likelihood=1, impact=1,
                                            rule=RiskGradingRule(region=org.province, mode="both"))
    assert level == "high" and "内部重大事项决定" in reason


def test_office_configures_the_rule_of_its_region_only(org, power):
    grading_rule_update(user=org.office_reviewer, region=org.province,
                        data={"mode": "score", "high_threshold": 20, "medium_threshold": 10})
    assert riskpoint_suggest_level(power=power, likelihood=4, impact=4)[0] == "medium"
    with pytest.raises(PermissionDenied):
        grading_rule_update(user=org.city_office_reviewer, region=org.province, data={"mode": "score"})
    with pytest.raises(ValidationError):
        grading_rule_update(user=org.office_reviewer, region=org.province,
                            data={"high_threshold": 5, "medium_threshold": 10})


def test_submit_needs_a_countermeasure_and_indicator_for_high(org, power):
    rp = riskpoint_create(user=org.clerk, power=power, data={**DATA, "monitoring_indicator": ""})
    with pytest.raises(ValidationError) as exc:
        review_submit(user=org.clerk, obj=rp)
    assert len(exc.value.messages) == 2
    countermeasure_create(user=org.clerk, riskpoint=rp, data=MEASURE)
    rp = riskpoint_update(user=org.clerk, riskpoint=rp, data={"monitoring_indicator": "抽查不合格率"})
    assert review_submit(user=org.clerk, obj=rp).state == ReviewState.DEPARTMENT_REVIEW


def test_measures_are_edited_only_while_draft(org, power):
    rp = RiskPointFactory(power=power)
    CountermeasureFactory(riskpoint=rp)
    rp = review_submit(user=org.clerk, obj=rp)
    with pytest.raises(PermissionDenied):
        countermeasure_create(user=org.clerk, riskpoint=rp, data=MEASURE)
    with pytest.raises(PermissionDenied):
        riskpoint_update(user=org.clerk, riskpoint=rp, data={"description": "x"})


def test_full_review_with_expert_opinion(org, power):
    rp = RiskPointFactory(power=power)
    CountermeasureFactory(riskpoint=rp)
    rp = review_submit(user=org.clerk, obj=rp)
    rp = review_approve(user=org.dept_reviewer, obj=rp)
    assert rp.state == ReviewState.OFFICE_REVIEW
    with pytest.raises(ValidationError):  # no expert asked yet
        review_approve(user=org.office_reviewer, obj=rp)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert, org.other_reviewer])
    riskpoint_record_opinion(user=org.expert, riskpoint=rp, verdict="agree_with_changes", comment="补充监测指标")
    with pytest.raises(ValidationError):  # one expert still open
        review_approve(user=org.office_reviewer, obj=rp)
    riskpoint_record_opinion(user=org.other_reviewer, riskpoint=rp, verdict="agree")
    rp = review_approve(user=org.office_reviewer, obj=rp, comment="确认")
    assert rp.state == ReviewState.CONFIRMED  # no final confirmation for risk points
    rp.refresh_from_db()
    assert rp.confirmed_power_revision == power.revision
    with pytest.raises(PermissionDenied):  # round closed
        riskpoint_record_opinion(user=org.expert, riskpoint=rp, verdict="agree")


def test_office_return_starts_a_new_round(org, power):
    rp = RiskPointFactory(power=power)
    CountermeasureFactory(riskpoint=rp)
    rp = review_submit(user=org.clerk, obj=rp)
    rp = review_approve(user=org.dept_reviewer, obj=rp)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    riskpoint_record_opinion(user=org.expert, riskpoint=rp, verdict="disagree", comment="等级偏低")
    rp = review_return(user=org.office_reviewer, obj=rp, comment="按专家意见修改")
    rp = review_submit(user=org.clerk, obj=rp)
    rp = review_approve(user=org.dept_reviewer, obj=rp)
    with pytest.raises(ValidationError):  # the old round's opinion does not count
        review_approve(user=org.office_reviewer, obj=rp)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    assert ExpertAssignment.objects.filter(riskpoint=rp).count() == 2


@pytest.mark.parametrize("username", ["dept_reviewer", "city_office_reviewer", "clerk", "expert"])
def test_only_office_reviewer_in_scope_assigns(org, power, username):
    rp = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    with pytest.raises(PermissionDenied):
        riskpoint_assign_experts(user=getattr(org, username), riskpoint=rp, experts=[org.expert])


def test_assign_refuses_ineligible_users_and_wrong_state(org, power):
    rp = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    with pytest.raises(ValidationError):  # the point's own department cannot review itself
        riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.dept_reviewer])
    with pytest.raises(ValidationError):  # a clerk is no expert
        riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.other_clerk])
    city_expert = make_user(Role.EXPERT, org.city_office, username="city_expert")
    with pytest.raises(ValidationError):  # an expert of the level below
        riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[city_expert])
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    with pytest.raises(ValidationError):  # twice in one round
        riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    draft = RiskPointFactory(power=power)
    with pytest.raises(PermissionDenied):
        riskpoint_assign_experts(user=org.office_reviewer, riskpoint=draft, experts=[org.expert])


def test_opinion_needs_comment_unless_agree(org, power):
    rp = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    with pytest.raises(ValidationError):
        riskpoint_record_opinion(user=org.expert, riskpoint=rp, verdict="disagree", comment=" ")
    with pytest.raises(PermissionDenied):
        riskpoint_record_opinion(user=org.other_reviewer, riskpoint=rp, verdict="agree")


def test_expert_sees_only_assigned_points(org, power):
    assigned = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    other = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    assert not can_view_riskpoint(org.expert, assigned)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=assigned, experts=[org.expert])
    assert can_view_riskpoint(org.expert, assigned)
    decision = can_view_riskpoint(org.expert, other)
    assert not decision and "未分配" in decision.reason
    assert list(riskpoint_list(user=org.expert)) == [assigned]


def test_regrading_flag_and_revision_detection(org, power):
    rp = RiskPointFactory(power=power)
    CountermeasureFactory(riskpoint=rp)
    confirm_riskpoint(org, rp)
    assert not riskpoint_list(user=org.clerk, filters={"regrading": True}).exists()
    Power.objects.filter(pk=power.pk).update(revision=power.revision + 1)  # a new revision of the power
    assert list(riskpoint_list(user=org.clerk, filters={"regrading": True})) == [rp]
    Power.objects.filter(pk=power.pk).update(revision=power.revision)
    Flowchart.objects.create(region=org.province, department=org.dept, category=power.category, power=power,
                             title="流程图")  # a flowchart appeared after confirmation
    assert riskpoint_list(user=org.clerk, filters={"regrading": True}).count() == 1
    Flowchart.objects.filter(power=power).delete()
    assert riskpoints_flag_for_regrading(power=power, reason="岗位调整") == 1
    flagged = riskpoint_list(user=org.clerk, filters={"regrading": True}).get()
    assert flagged.regrading_note == "岗位调整"
    rp = review_start_revision(user=org.clerk, obj=flagged)
    assert rp.state == ReviewState.DRAFT and rp.revision == 2


def test_mark_measure_in_force_after_confirmation(org, power):
    rp = RiskPointFactory(power=power)
    measure = CountermeasureFactory(riskpoint=rp)
    confirm_riskpoint(org, rp)
    countermeasure_mark_in_force(user=org.clerk, measure=measure)
    assert Countermeasure.objects.get(pk=measure.pk).state == "in_force"
    with pytest.raises(PermissionDenied):
        countermeasure_mark_in_force(user=org.other_clerk, measure=measure)


PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORD_PARTS = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>", "_rels/.rels": "<Relationships/>"}
DOCX = _zip(WORD_PARTS)
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 30


@pytest.mark.parametrize("name,content", [("制度.pdf", PDF), ("制度.docx", DOCX), ("制度.DOC", DOC)])
def test_attachment_accepted(org, power, name, content):
    rp = RiskPointFactory(power=power)
    m = countermeasure_create(user=org.clerk, riskpoint=rp, data=MEASURE,
                              attachment=SimpleUploadedFile(name, content))
    assert m.attachment_name == name and m.attachment.name.startswith(f"riskpoints/measures/{rp.pk}/")
    assert not m.attachment.name.endswith(name)  # stored under our own name


@pytest.mark.parametrize("name,content", [
    ("制度.exe", PDF), ("制度.pdf", DOCX), ("制度.docx", b"<html>"), ("制度.doc", PDF),
])
def test_attachment_refused_by_type_or_content(org, power, name, content):
    rp = RiskPointFactory(power=power)
    with pytest.raises(ValidationError) as exc:
        countermeasure_create(user=org.clerk, riskpoint=rp, data=MEASURE, attachment=SimpleUploadedFile(name, content))
    assert "attachment" in exc.value.message_dict
    assert not rp.countermeasures.exists()


@pytest.mark.parametrize(("content", "message"), [
    (_zip({**WORD_PARTS, "word/embeddings/setup.exe": b"MZ\x90\x00"}), "可执行文件“word/embeddings/setup.exe”"),
    (_zip({**WORD_PARTS, "word/media/image1.png": b"MZ\x90\x00 a PE file renamed"}), "可执行文件“word/media/image1.png”"),
    (_zip({**WORD_PARTS, "word/embeddings/run.sh": b"echo"}), "可执行文件"),
    (_zip({**WORD_PARTS, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "宏"),
    (_zip({"payload.exe": b"MZ\x90\x00"}), "缺少文档正文"),
    (b"PK\x03\x04" + b"\0" * 30, "文件已损坏"),
], ids=["exe-part", "exe-renamed", "script", "macro", "zip-not-word", "broken-zip"])
def test_a_docx_must_be_a_plain_word_document_inside(org, power, content, message):
    rp = RiskPointFactory(power=power)
    with pytest.raises(ValidationError) as exc:
        countermeasure_create(user=org.clerk, riskpoint=rp, data=MEASURE,
                              attachment=SimpleUploadedFile("制度.docx", content))
    assert message in exc.value.message_dict["attachment"][0]
    assert not rp.countermeasures.exists()


def test_attachment_refused_when_too_large(org, power, settings):
    settings.UPLOAD_MAX_BYTES = 100
    rp = RiskPointFactory(power=power)
    with pytest.raises(ValidationError):
        countermeasure_create(user=org.clerk, riskpoint=rp, data=MEASURE,
                              attachment=SimpleUploadedFile("a.pdf", PDF + b"x" * 200))


def test_riskpoint_model_in_review_table_without_final():
    states = {t.source for t in RiskPoint.flow.transitions} | {t.target for t in RiskPoint.flow.transitions}
    assert ReviewState.FINAL_REVIEW not in states
