"""factory_boy factories for notifications, and a NoticeEvent builder."""

import factory
from factory.django import DjangoModelFactory

from powerlist.notifications.models import Notification
from powerlist.notifications.services import NoticeEvent


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    kind = Notification.Kind.OWNER
    title = factory.Sequence(lambda n: f"退回修改:210000-FG-XK-{n:03d} 企业投资项目核准")
    body = "意见:依据条款不全"
    url = factory.Sequence(lambda n: f"/powers/{n + 1}/")


def notice_event(recipients, **fields):
    """A NoticeEvent for `recipients` (users), with readable defaults."""
    defaults = {
        "kind": "queue",
        "item_label": "210000-FG-XK-001 企业投资项目核准",
        "item_url": "/powers/1/",
        "item_kind": "行政权力事项",
        "actor_name": "王经办",
        "action_label": "提交审核",
        "state_label": "部门审核中",
        "comment": "",
    }
    defaults.update(fields)
    return NoticeEvent(recipient_ids=frozenset(u.pk for u in recipients), **defaults)
