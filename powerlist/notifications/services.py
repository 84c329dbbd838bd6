"""Writing notices: one row per recipient per action or batch, and marking them read."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from powerlist.notifications.models import Notification
from powerlist.notifications.tasks import notification_email

# Items named in a digest's body; the rest are counted ("… 等 12 项").
DIGEST_LISTED_ITEMS = 5
# Kinds where the recipient is asked to act (the digest says "待您处理").
ACTION_KINDS = frozenset({Notification.Kind.QUEUE, Notification.Kind.ASSIGNMENT})


@dataclass(frozen=True)
class NoticeEvent:
    """Something a user should hear about. Text fields may be lazy translations: they
    are rendered in the portal's language (LANGUAGE_CODE) when the notice is written,
    whatever language the actor's request used."""

    kind: str
    recipient_ids: frozenset
    item_label: str
    item_url: str
    item_kind: str
    actor_name: str
    action_label: str
    state_label: str
    comment: str


def notifications_send(*, events: list[NoticeEvent]) -> list[Notification]:
    """Write the notices for `events` (all events of one action or one batch).

    Guarantees: one notification per (recipient, kind, action_label, item_kind); one
    event gives a plain message linking to its item, several give one digest with their
    count, the first DIGEST_LISTED_ITEMS labels and a link to the workspace; the same
    item twice for the same recipient counts once. Rows are written with one bulk
    insert, so the number of queries does not grow with the events. When
    settings.EMAIL_HOST is set, one Celery task is enqueued after commit to email the
    recipients that have an address. Call it after the action's transaction commits
    (transaction.on_commit). Returns the new rows, in the order of first appearance.
    """
    groups: dict[tuple, list[NoticeEvent]] = {}
    seen = set()
    for event in events:
        kind, action, item_kind, url = str(event.kind), str(event.action_label), str(event.item_kind), str(event.item_url)
        for recipient_id in sorted(event.recipient_ids):
            key = (recipient_id, kind, action, item_kind)
            if (key, url) not in seen:
                seen.add((key, url))
                groups.setdefault(key, []).append(event)
    if not groups:
        return []
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        rows = [
            Notification(recipient_id=recipient_id, kind=kind, created_at=now, item_count=len(group),
                         **_message(kind, group))
            for (recipient_id, kind, _action, _item_kind), group in groups.items()
        ]
    created = Notification.objects.bulk_create(rows)
    if settings.EMAIL_HOST:
        ids = [row.pk for row in created]
        transaction.on_commit(lambda: notification_email.delay(ids))
    return created


def _message(kind, group) -> dict:
    first = group[0]
    if len(group) == 1:
        lines = []
        if str(first.comment):
            lines.append(_("意见:%(comment)s") % {"comment": first.comment})
        lines.append(
            _("%(kind)s · 操作人:%(actor)s · 当前状态:%(state)s")
            % {"kind": first.item_kind, "actor": first.actor_name, "state": first.state_label}
        )
        return {
            "title": _title(_("%(action)s:%(item)s") % {"action": first.action_label, "item": first.item_label}),
            "body": "\n".join(lines),
            "url": str(first.item_url),
        }
    params = {"n": len(group), "kind": first.item_kind, "action": first.action_label}
    if kind in ACTION_KINDS:
        title = _("%(n)d 项%(kind)s已%(action)s,待您处理") % params
    else:
        title = _("%(n)d 项%(kind)s已%(action)s") % params
    lines = [f"· {event.item_label}" for event in group[:DIGEST_LISTED_ITEMS]]
    if len(group) > DIGEST_LISTED_ITEMS:
        lines.append(_("…… 共 %(n)d 项") % params)
    comments = {str(event.comment) for event in group}
    if len(comments) == 1 and first.comment:
        lines.append(_("意见:%(comment)s") % {"comment": first.comment})
    actors = {str(event.actor_name) for event in group}
    if len(actors) == 1:
        lines.append(_("操作人:%(actor)s") % {"actor": first.actor_name})
    return {"title": _title(title), "body": "\n".join(lines), "url": reverse("powerlist:workspace")}


def _title(text):
    # One line (it becomes the mail's subject) that fits the column.
    return Truncator(" ".join(text.split())).chars(Notification._meta.get_field("title").max_length)


def notification_mark_read(*, user, notification_id) -> Notification:
    """Mark one of the user's own notices read (idempotent: the first reading time
    stays). Raises Http404 for another user's notice or an unknown id."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise Http404(_("没有这条消息。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notice of the user read, in one update. Returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
