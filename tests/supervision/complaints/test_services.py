"""Filing, the deadlines on the working-day calendar, the identity and its erasure."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from powerlist.review.record import operation_record_for
from supervision.complaints import services
from supervision.complaints.flow import ComplaintAction, ComplaintOutcome, ComplaintRating, ComplaintState
from supervision.complaints.models import Complaint, ComplaintIdentity, ComplaintPolicy, ComplaintSubject
from supervision.complaints.principal import complainant_actor, complainant_authenticate
from supervision.complaints.selectors import complaints_panel_context, complaint_public_timeline
from tests.supervision.complaints.helpers import CANARY_NAME, CANARY_PHONE, act, drive, file_complaint

S, A = ComplaintState, ComplaintAction
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(monkeypatch, *args):
    moment = datetime.datetime(*args, tzinfo=SHANGHAI)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment


def test_identity_is_stored_apart_and_encrypted(org):
    complaint = file_complaint(org.dept, name=CANARY_NAME, phone=CANARY_PHONE, id_number="210102199001011234",
                               address="沈阳市和平区隐名路1号")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_token, phone_token, id_number_token, address_token FROM "
                       "supervision_complaintidentity WHERE complaint_id = %s", [complaint.pk])
        row = cursor.fetchone()
        cursor.execute("SELECT * FROM supervision_complaint WHERE id = %s", [complaint.pk])
        complaint_row = " ".join(str(v) for v in cursor.fetchone())
    raw = " ".join(row)
    assert all(row) and CANARY_NAME not in raw and CANARY_PHONE not in raw and "210102" not in raw
    assert CANARY_NAME not in complaint_row and CANARY_PHONE not in complaint_row
    assert str(ComplaintIdentity.objects.get(complaint=complaint)) == f"#{complaint.pk}"


def test_anonymous_complaint_keeps_no_identity_even_if_typed(org):
    complaint, _phrase = services.complaint_file(
        subject=ComplaintSubject.DEPARTMENT, department=org.dept, title="t", content="c", is_anonymous=True,
        identity={"name": CANARY_NAME, "phone": CANARY_PHONE})
    assert not ComplaintIdentity.objects.filter(complaint=complaint).exists()


def test_named_complaint_needs_name_and_a_way_to_reach(org):
    with pytest.raises(ValidationError) as exc:
        services.complaint_file(subject=ComplaintSubject.DEPARTMENT, department=org.dept, title="t", content="c",
                                identity={"name": "张三"})
    assert "匿名投诉" in str(exc.value)
    assert Complaint.objects.count() == 0


def test_title_and_department_copy_are_masked(org):
    complaint = file_complaint(org.dept, name=CANARY_NAME, phone=CANARY_PHONE,
                               title=f"{CANARY_NAME}投诉窗口",
                               content=f"我是{CANARY_NAME},电话{CANARY_PHONE},身份证210102199001011234。另一号码13700002222。")
    assert complaint.title == "***投诉窗口"
    assert complaint.content_redacted == "我是***,电话***,身份证***。另一号码***。"
    assert CANARY_NAME in complaint.content  # the handling supervisors read it as written


def test_case_complaint_finds_the_case_in_the_department(org):
    with pytest.raises(ValidationError) as exc:
        file_complaint(org.dept, subject=ComplaintSubject.CASE, case_number="NO-SUCH")
    assert "办件编号" in str(exc.value.message_dict["case_number"])


def test_phrase_and_code_authenticate_only_together(org):
    one, two = file_complaint(org.dept), file_complaint(org.dept)
    assert complainant_authenticate(tracking_code=one.tracking_code, phrase=one.phrase)[0] == one
    assert complainant_authenticate(tracking_code=one.tracking_code.lower(), phrase=f" {one.phrase.lower()} ")[0] == one
    assert complainant_authenticate(tracking_code=one.tracking_code, phrase=two.phrase) == (None, None)
    assert complainant_authenticate(tracking_code="TSNOSUCH", phrase=one.phrase) == (None, None)
    assert one.phrase not in Complaint.objects.get(pk=one.pk).phrase_hash


def test_accept_due_date_counts_five_working_days_over_national_day(org, calendar_2026, monkeypatch):
    # Received Wed 30 Sep 2026: 1–7 Oct are holidays; 8 (Thu), 9 (Fri), 10 (Sat, adjusted
    # working day), 12 (Mon), 13 (Tue) Oct are the five working days.
    at(monkeypatch, 2026, 9, 30, 10, 0)
    complaint = file_complaint(org.dept)
    assert complaint.accept_due_on == datetime.date(2026, 10, 13)


def test_declined_with_reason_within_the_limit(org, calendar_2026, monkeypatch):
    at(monkeypatch, 2026, 9, 30, 10, 0)
    complaint = file_complaint(org.dept)
    with pytest.raises(ValidationError, match="必须填写意见"):
        services.complaint_decline(user=org.supervisor, complaint=complaint, reason="  ")
    at(monkeypatch, 2026, 10, 13, 17, 0)
    done = services.complaint_decline(user=org.supervisor, complaint=complaint, reason="属于诉讼事项,请向人民法院起诉。")
    assert done.state == S.DECLINED and done.decline_reason == "属于诉讼事项,请向人民法院起诉。"
    assert done.declined_at.astimezone(SHANGHAI).date() <= done.accept_due_on
    timeline = complaint_public_timeline(done)
    assert [r["label"] for r in timeline] == ["已收到", "不予受理"]
    assert timeline[1]["text"] == "属于诉讼事项,请向人民法院起诉。" and timeline[1]["by"] == "受理机关"


def test_overdue_acceptance_shows_on_the_supervisors_panel(org, calendar_2026, monkeypatch):
    at(monkeypatch, 2026, 9, 30, 10, 0)
    late = file_complaint(org.dept)
    accepted = file_complaint(org.dept)
    act(accepted, A.ACCEPT, org.supervisor)
    at(monkeypatch, 2026, 10, 13, 18, 0)
    assert complaints_panel_context(user=org.supervisor, role="supervisor")["overdue"] == 0
    at(monkeypatch, 2026, 10, 14, 9, 0)
    panel = complaints_panel_context(user=org.supervisor, role="supervisor")
    assert panel["overdue"] == 1 and panel["oldest"] == [late] and panel["received"] == 1
    assert complaints_panel_context(user=org.clerk, role="clerk") is None


def test_closed_is_not_resolved_the_outcome_is_the_finding(org):
    complaint = drive(file_complaint(org.dept), S.HANDLED, supervisor=org.supervisor)
    assert complaint.outcome == "" and complaint.finding == ComplaintOutcome.RESOLVED
    replied = act(complaint, A.REPLY, org.supervisor)
    closed = act(replied, A.CLOSE, org.supervisor)
    assert closed.outcome == ComplaintOutcome.RESOLVED and closed.closed_at is not None
    other = drive(file_complaint(org.dept), S.ASSIGNED, supervisor=org.supervisor)
    handled = services.complaint_handle(user=org.supervisor, complaint=other,
                                        finding=ComplaintOutcome.NOT_SUBSTANTIATED, findings_text="经查不属实。")
    closed = act(act(handled, A.REPLY, org.supervisor), A.CLOSE, org.supervisor)
    assert closed.outcome == ComplaintOutcome.NOT_SUBSTANTIATED


def test_handle_needs_a_finding_and_withdrawn_is_not_one(org):
    complaint = drive(file_complaint(org.dept), S.ASSIGNED, supervisor=org.supervisor)
    for finding in ("", ComplaintOutcome.WITHDRAWN, "resolved'; --"):
        with pytest.raises(ValidationError, match="办理结论"):
            services.complaint_handle(user=org.supervisor, complaint=complaint, finding=finding, findings_text="x")
    complaint.refresh_from_db()
    assert complaint.state == S.ASSIGNED and complaint.finding == ""


def test_withdrawal_closes_with_outcome_withdrawn(org):
    complaint = file_complaint(org.dept)
    done = services.complaint_withdraw(actor=complainant_actor(complaint.pk), complaint=complaint)
    assert (done.state, done.outcome) == (S.CLOSED, ComplaintOutcome.WITHDRAWN)


def test_rating_once_and_reopen_within_fifteen_working_days(org, calendar_2026, monkeypatch):
    at(monkeypatch, 2026, 9, 14, 9, 0)
    complaint = drive(file_complaint(org.dept), S.HANDLED, supervisor=org.supervisor)
    # Replied Mon 14 Sep 2026: 15–18 Sep (4), Sun 20 Sep, an adjusted working day (5),
    # 21–24 Sep (9; Fri 25 Sep is Mid-Autumn), 28–30 Sep (12), the National Day week
    # none, 8 Oct (13), 9 Oct (14), Sat 10 Oct, an adjusted working day (15).
    replied = act(complaint, A.REPLY, org.supervisor)
    assert replied.reopen_until == datetime.date(2026, 10, 10)
    actor = complainant_actor(complaint.pk)
    with pytest.raises(ValidationError, match="请选择评价"):
        services.complaint_rate(actor=actor, complaint=replied, rating=9)
    rated = services.complaint_rate(actor=actor, complaint=replied, rating=ComplaintRating.DISSATISFIED,
                                    comment="没有解决")
    assert rated.rating == ComplaintRating.DISSATISFIED and rated.state == S.REPLIED
    with pytest.raises(ValidationError, match="评价过"):
        services.complaint_rate(actor=actor, complaint=rated, rating=ComplaintRating.SATISFIED)
    at(monkeypatch, 2026, 10, 11, 9, 0)
    with pytest.raises(ValidationError, match="15 个工作日"):
        services.complaint_reopen(actor=actor, complaint=rated, reason="仍未解决")
    at(monkeypatch, 2026, 10, 10, 16, 0)
    reopened = services.complaint_reopen(actor=actor, complaint=rated, reason="仍未解决")
    assert (reopened.state, reopened.reopened_count, reopened.rating, reopened.finding) == (S.ASSIGNED, 1, None, "")
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.rating, stored.rating_comment, stored.rated_at, stored.findings_text, stored.handled_at) == (
        None, "", None, "", None)
    # The new reply may be rated afresh.
    again = act(act(stored, A.HANDLE, org.supervisor), A.REPLY, org.supervisor)
    assert services.complaint_rate(actor=actor, complaint=again, rating=ComplaintRating.SATISFIED).rating == 3


def test_identity_view_is_for_the_handling_supervisors_and_recorded(org):
    complaint = file_complaint(org.dept, name=CANARY_NAME, phone=CANARY_PHONE)
    for user in (org.admin, org.clerk, org.office_reviewer):
        with pytest.raises(PermissionDenied):
            services.complaint_identity_view(user=user, complaint=complaint)
    before = operation_record_for(complaint).count()
    identity = services.complaint_identity_view(user=org.supervisor, complaint=complaint)
    assert identity == {"name": CANARY_NAME, "phone": CANARY_PHONE, "id_number": "", "address": ""}
    entries = list(operation_record_for(complaint))
    assert len(entries) == before + 1
    assert (entries[-1].action, entries[-1].actor_id) == (services.VIEW_IDENTITY_ACTION, org.supervisor.pk)
    # The complainant's timeline does not show who opened their identity.
    assert [(r["label"], r["by"]) for r in complaint_public_timeline(complaint)] == [("已收到", "投诉人")]


def test_identities_are_erased_after_the_retention_period(org, monkeypatch):
    policy = ComplaintPolicy.current()
    policy.identity_retention_days = 30
    policy.save()
    at(monkeypatch, 2026, 3, 2, 9, 0)
    old = drive(file_complaint(org.dept), S.CLOSED, supervisor=org.supervisor)
    declined = drive(file_complaint(org.dept), S.DECLINED, supervisor=org.supervisor)
    still_open = file_complaint(org.dept)
    at(monkeypatch, 2026, 3, 20, 9, 0)
    recent = drive(file_complaint(org.dept), S.CLOSED, supervisor=org.supervisor)
    at(monkeypatch, 2026, 4, 1, 9, 1)  # 30 days and a minute after 2 March
    from supervision.tasks import complaint_identities_erase

    assert complaint_identities_erase.delay().get() == 2
    assert set(ComplaintIdentity.objects.values_list("complaint_id", flat=True)) == {still_open.pk, recent.pk}
    for complaint in (old, declined):
        complaint.refresh_from_db()
        assert complaint.identity_erased_at is not None
        with pytest.raises(PermissionDenied, match="已按保留期限删除"):
            services.complaint_identity_view(user=org.supervisor, complaint=complaint)
    assert services.complaint_identities_erase() == 0


def test_attachments_are_checked_by_content(org):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a png", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        file_complaint(org.dept, attachments=[fake])
    assert "不符" in str(exc.value.message_dict["attachments"])
    exe = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        file_complaint(org.dept, attachments=[exe])
    assert "JPG、PNG" in str(exc.value.message_dict["attachments"])
    assert Complaint.objects.count() == 0
    png = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    complaint = file_complaint(org.dept, attachments=[png])
    stored = complaint.attachments.get()
    assert (stored.name, stored.content_type, stored.size) == ("现场.png", "image/png", 40)
    assert stored.file.name.endswith(".png") and "现场" not in stored.file.name
