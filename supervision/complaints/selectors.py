"""Reads of complaints for the pages and panels, scoped in SQL by the same rules as
supervision.complaints.permissions: supervisors their region and below, administrators
everything, the department complained about its redacted copies once assigned."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.org.roles import Role
from powerlist.review.record import operation_record_for
from supervision.complaints.flow import COMPLAINANT, COMPLAINT_FLOW, FILE_ACTION, ComplaintAction, ComplaintState
from supervision.complaints.models import Complaint
from supervision.complaints.permissions import DEPARTMENT_COPY_STATES
from supervision.permissions import handles_department, sees_everything, supervised_region

NOTHING = Q(pk__in=[])
LIST_RELATED = ("department", "region", "power")


def full_scope_q(user) -> Q:
    """Complaints `user` sees whole (supervisors of the region or above, administrators)."""
    if sees_everything(user):
        return Q()
    region = supervised_region(user)
    if region is None:
        return NOTHING
    return Q(region__path__startswith=region.path)


def department_copy_q(user) -> Q:
    """Complaints of which `user`'s department holds the redacted copy."""
    if not handles_department(user):
        return NOTHING
    return Q(department_id=user.department_id, state__in=DEPARTMENT_COPY_STATES)


def complaint_list(*, user, state=None, overdue=False, today=None):
    """The supervisor's list (whole complaints), newest first; filters by state, or the
    acceptances past their 5-working-day limit."""
    qs = Complaint.objects.filter(full_scope_q(user)).select_related(*LIST_RELATED)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state=ComplaintState.RECEIVED, accept_due_on__lt=today or timezone.localdate())
    return qs.order_by("-received_at", "-id")


def complaint_copy_list(*, user):
    """The department's redacted copies."""
    return (Complaint.objects.filter(department_copy_q(user)).select_related(*LIST_RELATED)
            .order_by("-received_at", "-id"))


def complaint_get(*, user, pk):
    """The whole complaint if `user` may read it whole, else None (404)."""
    return (Complaint.objects.filter(full_scope_q(user), pk=pk)
            .select_related(*LIST_RELATED, "case", "assigned_to").first())


def complaint_copy_get(*, user, pk):
    return Complaint.objects.filter(department_copy_q(user), pk=pk).select_related(*LIST_RELATED).first()


def complaint_counts(*, user, today=None):
    """{state: n} in the supervisor's own region (where they act), plus the acceptances
    overdue today: one aggregate query."""
    if not user.department_id or not user.has_role(Role.SUPERVISOR):
        return None
    today = today or timezone.localdate()
    overdue_q = Q(state=ComplaintState.RECEIVED, accept_due_on__lt=today)
    row = Complaint.objects.filter(region_id=user.department.region_id).aggregate(
        overdue=Count("pk", filter=overdue_q),
        **{s: Count("pk", filter=Q(state=s)) for s in ComplaintState.values},
    )
    return row


def overdue_acceptances(*, user, today=None, limit=10):
    """The oldest complaints still not accepted or declined past their limit, in the
    supervisor's region."""
    today = today or timezone.localdate()
    return list(Complaint.objects.filter(region_id=user.department.region_id, state=ComplaintState.RECEIVED,
                                         accept_due_on__lt=today)
                .select_related(*LIST_RELATED).order_by("accept_due_on", "id")[:limit])


# What the public timeline shows of each recorded action: the state it led to and,
# for these actions only, the text written for the complainant.
PUBLIC_TEXT_ACTIONS = {ComplaintAction.DECLINE, ComplaintAction.REPLY}


def complaint_public_timeline(complaint):
    """[(time, what happened, public text)] for the complainant's page: states and the
    reply or the reason for declining, never who acted (supervisors and complainant
    alike are named by their part only)."""
    rows = []
    for entry in operation_record_for(complaint):
        if entry.action == FILE_ACTION:
            label = COMPLAINT_FLOW.label_of_state(ComplaintState.RECEIVED)
        elif entry.action in ComplaintAction.values:
            label = COMPLAINT_FLOW.label_of_action(entry.action)
        else:
            continue  # a supervisor opening the identity or an attachment
        who = _("投诉人") if entry.actor_role == COMPLAINANT else _("受理机关")
        text = entry.comment if entry.action in PUBLIC_TEXT_ACTIONS else ""
        rows.append({"at": entry.created_at, "label": label, "by": who,
                     "state": COMPLAINT_FLOW.label_of_state(entry.to_state), "text": text})
    return rows


def complaints_panel_context(*, user, role):
    """The supervisor's workspace panel: counts by state and the overdue acceptances
    in their region; None for a user who supervises no region."""
    counts = complaint_counts(user=user)
    if counts is None:
        return None
    return {**counts, "oldest": overdue_acceptances(user=user) if counts["overdue"] else []}
