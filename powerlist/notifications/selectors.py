"""Reading a user's own notices."""

from powerlist.notifications.models import Notification


def notification_list(*, user, unread_only=False):
    """The user's notices, newest first (served by the inbox indexes)."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    """How many of the user's notices are unread: one COUNT on the partial index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
