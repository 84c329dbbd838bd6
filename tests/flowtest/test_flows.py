"""The engine is general: a short review (draft → office review → recorded, as the
non-disclosure register will use) and a handling flow that is not a review chain
(received → accepted / declined → assigned → answered → closed, as complaints will
use) run through the same engine, pages, API, workspace queues, notices and record as
the review chain. Expected cells are written out by hand."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework.test import APIClient

from powerlist.models import ReviewLogEntry
from powerlist.notifications.models import Notification
from powerlist.org.roles import Role
from powerlist.review.engine import flow_apply, flow_batch
from powerlist.review.history import flow_record, flow_state_history
from powerlist.review.record import operation_record_append
from tests.flowtest.contracts import TicketContract
from tests.flowtest.models import SHORT_REVIEW, HANDLING, RecordAction, RecordState, ShortRecord, Ticket
from tests.flowtest.models import TicketAction as TA
from tests.flowtest.models import TicketState as TS

R = Role

SHORT = {
    (RecordState.DRAFT, RecordAction.SUBMIT, R.CLERK): RecordState.OFFICE_REVIEW,
    (RecordState.OFFICE_REVIEW, RecordAction.RETURN, R.OFFICE_REVIEWER): RecordState.DRAFT,
    (RecordState.OFFICE_REVIEW, RecordAction.RECORD, R.OFFICE_REVIEWER): RecordState.RECORDED,
}
TICKET = {
    (TS.RECEIVED, TA.ACCEPT, R.SUPERVISOR): TS.ACCEPTED,
    (TS.RECEIVED, TA.DECLINE, R.SUPERVISOR): TS.DECLINED,
    (TS.ACCEPTED, TA.ASSIGN, R.SUPERVISOR): TS.ASSIGNED,
    (TS.ASSIGNED, TA.ANSWER, R.CLERK): TS.ANSWERED,
    (TS.ANSWERED, TA.CLOSE, R.SUPERVISOR): TS.CLOSED,
}
USER_BY_ROLE = {R.CLERK: "clerk", R.OFFICE_REVIEWER: "office_reviewer", R.SUPERVISOR: "supervisor",
                R.DEPARTMENT_REVIEWER: "dept_reviewer", R.ESTABLISHMENT_CONFIRMER: "establishment"}


def _record(org, state=RecordState.DRAFT):
    return ShortRecord.objects.create(region=org.province, department=org.dept, division=org.division,
                                      title="某事项暂缓公开", state=state)


def _ticket(org, state=TS.RECEIVED):
    return Ticket.objects.create(region=org.province, department=org.dept, subject="投诉:超时未办", state=state)


@pytest.mark.parametrize(("flow", "expected"), [(SHORT_REVIEW, SHORT), (HANDLING, TICKET)], ids=["short", "handling"])
def test_tables_allow_exactly_the_hand_written_cells(flow, expected):
    allowed = {(t.source, t.action, role): t.target for t in flow.transitions for role in t.roles}
    assert allowed == expected


@pytest.mark.django_db
@pytest.mark.parametrize("cell", sorted(SHORT) + sorted(TICKET), ids=lambda c: "-".join(c))
def test_each_allowed_cell_runs_and_is_recorded(org, cell):
    state, action, role = cell
    obj = _record(org, state) if cell in SHORT else _ticket(org, state)
    result = flow_apply(user=getattr(org, USER_BY_ROLE[role]), obj=obj, action=action, comment="已核实。")
    assert result.state == (SHORT | TICKET)[cell]
    entry = ReviewLogEntry.objects.latest("id")
    assert (entry.action, entry.from_state, entry.to_state, entry.actor_role) == (action, state, result.state, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [R.CLERK, R.DEPARTMENT_REVIEWER, R.ESTABLISHMENT_CONFIRMER])
def test_roles_outside_the_handling_flow_are_refused_with_a_reason(org, role):
    ticket = _ticket(org)
    with pytest.raises(PermissionDenied, match="纪检监察"):
        flow_apply(user=getattr(org, USER_BY_ROLE[role]), obj=ticket, action=TA.ACCEPT)


@pytest.mark.django_db
def test_scope_a_city_ticket_is_read_but_not_handled_by_the_province(org):
    # The province's supervisor reads the regions below, but acts in its own region only.
    ticket = Ticket.objects.create(region=org.city, department=org.city_dept, subject="市级来件")
    with pytest.raises(PermissionDenied, match="管辖范围"):
        flow_apply(user=org.supervisor, obj=ticket, action=TA.ACCEPT)


@pytest.mark.django_db
def test_a_ticket_of_another_department_is_not_found_by_its_clerk(org):
    ticket = _ticket(org, TS.ASSIGNED)
    with pytest.raises(Http404):
        flow_apply(user=org.other_clerk, obj=ticket, action=TA.ANSWER, comment="答复")


@pytest.mark.django_db
def test_decline_needs_a_reason(org):
    ticket = _ticket(org)
    with pytest.raises(ValidationError, match="不予受理"):
        flow_apply(user=org.supervisor, obj=ticket, action=TA.DECLINE, comment=" ")
    ticket = flow_apply(user=org.supervisor, obj=ticket, action=TA.DECLINE, comment="不属于本机关职责范围。")
    assert ticket.state == TS.DECLINED


@pytest.mark.django_db
def test_time_in_each_state_comes_from_the_record(org, django_capture_on_commit_callbacks):
    ticket = _ticket(org)
    operation_record_append(obj=ticket, actor=org.supervisor, role=R.SUPERVISOR, action="create", from_state="",
                            to_state=TS.RECEIVED)
    for action, user in ((TA.ACCEPT, org.supervisor), (TA.ASSIGN, org.supervisor)):
        ticket = flow_apply(user=user, obj=ticket, action=action)
    ReviewLogEntry.objects.filter(action="create").update(created_at=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    ReviewLogEntry.objects.filter(action=TA.ACCEPT).update(created_at=dt.datetime(2026, 12, 1, 11, tzinfo=dt.UTC))
    ReviewLogEntry.objects.filter(action=TA.ASSIGN).update(created_at=dt.datetime(2026, 12, 2, 11, tzinfo=dt.UTC))
    spells = flow_state_history(ticket)
    assert [(s.state, s.duration) for s in spells[:2]] == [
        (TS.RECEIVED, dt.timedelta(hours=2)), (TS.ACCEPTED, dt.timedelta(days=1))]
    assert spells[2].state == TS.ASSIGNED and spells[2].left_at is None


@pytest.mark.django_db
def test_the_record_is_labelled_in_the_items_own_flow(org):
    # Outside the review flows the record's action choices know none of these names: a
    # page showed "accept" and "assign" before flow_record.
    ticket = _ticket(org)
    operation_record_append(obj=ticket, actor=org.supervisor, role=R.SUPERVISOR, action="create", from_state="",
                            to_state=TS.RECEIVED)
    for action in (TA.ACCEPT, TA.ASSIGN):
        ticket = flow_apply(user=org.supervisor, obj=ticket, action=action)
    operation_record_append(obj=ticket, actor=org.supervisor, role=R.SUPERVISOR, action="peek",
                            from_state=TS.ASSIGNED, to_state=TS.ASSIGNED)
    assert [str(e.label) for e in flow_record(ticket)] == ["创建", "受理", "交办", "peek"]
    assert [str(e.label) for e in flow_record(ticket, labels={"create": "来件登记", "peek": "查阅"})] == [
        "来件登记", "受理", "交办", "查阅"]


@pytest.mark.django_db
def test_short_review_notifies_the_office_and_then_the_clerk(org, django_capture_on_commit_callbacks):
    record = _record(org)
    with django_capture_on_commit_callbacks(execute=True):
        record = flow_apply(user=org.clerk, obj=record, action=RecordAction.SUBMIT)
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("office_reviewer", "queue")]
    with django_capture_on_commit_callbacks(execute=True):
        flow_apply(user=org.office_reviewer, obj=record, action=RecordAction.RETURN, comment="请写明法律依据。")
    notice = Notification.objects.get(recipient=org.clerk)
    assert notice.kind == "owner" and "请写明法律依据。" in notice.body


@pytest.mark.django_db
def test_a_batch_of_submissions_is_one_digest_for_the_office(org, django_capture_on_commit_callbacks):
    records = [_record(org) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        result = flow_batch(user=org.clerk, objs=records, action=RecordAction.SUBMIT)
    assert len(result.done) == 4
    notice = Notification.objects.get(recipient=org.office_reviewer)
    assert notice.item_count == 4


@pytest.mark.django_db
def test_the_pages_take_any_flow(client, org):
    ticket = _ticket(org)
    client.force_login(org.supervisor)
    response = client.post(f"/review/flowtest.ticket/{ticket.pk}/accept/", {"version": ticket.version})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TS.ACCEPTED
    # Not an action of this flow at all: 404. An action of the flow in the wrong state: 403 with the reason.
    assert client.post(f"/review/flowtest.ticket/{ticket.pk}/submit/").status_code == 404
    response = client.post(f"/review/flowtest.ticket/{ticket.pk}/close/", {"version": ticket.version})
    assert response.status_code == 403
    assert "当前状态“已受理”下不能执行此操作。" in response.content.decode()


@pytest.mark.django_db
def test_a_ticket_the_user_may_not_read_is_404_on_the_page_like_a_missing_one(client, org):
    ticket = _ticket(org, TS.ASSIGNED)
    client.force_login(org.other_clerk)
    assert client.post(f"/review/flowtest.ticket/{ticket.pk}/answer/", {"comment": "答复"}).status_code == 404
    assert client.post("/review/flowtest.ticket/999999/answer/", {"comment": "答复"}).status_code == 404


@pytest.mark.django_db
def test_the_api_reads_and_takes_any_flow(org):
    ticket = _ticket(org, TS.ASSIGNED)
    api = APIClient()
    api.force_authenticate(org.clerk)
    state = api.get(f"/api/v1/flow/flowtest.ticket/{ticket.pk}/").json()
    assert (state["state"], state["state_label"], state["version"]) == ("assigned", "已交办", 1)
    assert state["actions"] == [
        {"action": "answer", "label": "答复", "comment": "required", "comment_required": True}]
    response = api.post(f"/api/v1/flow/flowtest.ticket/{ticket.pk}/answer/", {"version": 1}, format="json")
    assert response.status_code == 400
    response = api.post(f"/api/v1/flow/flowtest.ticket/{ticket.pk}/answer/",
                        {"comment": "已于12月2日办结。", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "answered"
    response = api.post(f"/api/v1/flow/flowtest.ticket/{ticket.pk}/answer/",
                        {"comment": "再次答复", "version": 1}, format="json")
    assert response.status_code == 409


@pytest.mark.django_db
def test_the_workspace_shows_the_handling_queue_to_the_supervisor(client, org, monkeypatch):
    monkeypatch.setattr(TicketContract, "on_workspace", True)
    _ticket(org, TS.RECEIVED)
    _ticket(org, TS.ANSWERED)
    _ticket(org, TS.ASSIGNED)  # waits for the clerk, not the supervisor
    client.force_login(org.supervisor)
    response = client.get("/workspace/supervision/")
    tickets, = (q for q in response.context["queues"] if q.model_label == "flowtest.ticket")
    assert {t.state for t in tickets.items} == {TS.RECEIVED, TS.ANSWERED}
    assert [a.action for a in tickets.actions] == ["close"]
