from functools import cache

from powerlist.notifications.selectors import notification_unread_count


def unread_notifications(request):
    """`unread_notification_count` for the header: counted on first use only (pages that
    never show the header, such as htmx fragments, run no query), once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count():
        return notification_unread_count(user=user)

    return {"unread_notification_count": count}
