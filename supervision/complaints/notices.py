"""Notices about complaints: what they say is the tracking code and the masked title,
never who filed the complaint (the canary test crawls them)."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powerlist.notifications.services import NoticeEvent, notifications_send
from powerlist.org.roles import Role
from powerlist.org.selectors import user_ids_acting_as
from supervision.complaints.flow import COMPLAINANT_LABEL


def _send_after_commit(event):
    if event.recipient_ids:
        transaction.on_commit(lambda: notifications_send(events=[event]))


def _event(*, complaint, recipient_ids, action_label, url):
    return NoticeEvent(
        kind="queue", recipient_ids=frozenset(recipient_ids),
        item_label=f"{complaint.tracking_code} {complaint.title}", item_url=url,
        item_kind=complaint._meta.verbose_name, actor_name=COMPLAINANT_LABEL,
        action_label=action_label, state_label=complaint.flow.label_of_state(complaint.state), comment="",
    )


def complaint_notice_filed(*, complaint):
    """Tell the supervisors of the complaint's region that a complaint arrived."""
    _send_after_commit(_event(
        complaint=complaint, recipient_ids=user_ids_acting_as(role=Role.SUPERVISOR, obj=complaint),
        action_label=_("收到投诉"), url=reverse("supervision:complaint_detail", args=[complaint.pk]),
    ))


def complaint_notice_department(*, complaint):
    """Hand the department complained about its redacted copy (its clerks and reviewers)."""
    ids = set(user_ids_acting_as(role=Role.CLERK, obj=complaint))
    ids |= set(user_ids_acting_as(role=Role.DEPARTMENT_REVIEWER, obj=complaint))
    _send_after_commit(_event(
        complaint=complaint, recipient_ids=ids, action_label=_("转来投诉(已隐去投诉人信息)"),
        url=reverse("supervision:complaint_copy", args=[complaint.pk]),
    ))
