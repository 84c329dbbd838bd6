"""Emailing notices, after commit, on the Celery worker."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from powerlist.notifications.models import Notification


@shared_task(
    name="powerlist.notifications.notification_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def notification_email(notification_ids):
    """Email each notice in `notification_ids` whose recipient is active and has an
    address, over one SMTP connection, and set its emailed_at. The mail holds the
    notice's title, body and link, nothing else. Notices already emailed are skipped,
    so a retry after an SMTP failure (exponential backoff, from one minute up to an
    hour, eight tries) sends only what is left."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True,
                                    recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    if not pending:
        return 0
    sent = []
    try:
        with get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
            for notification in pending:
                connection.send_messages([_email(notification)])
                sent.append(notification.pk)
    finally:
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


def _email(notification):
    link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    parts = [notification.title, notification.body]
    if link:
        parts.append(_("查看:%(link)s") % {"link": link})
    return EmailMessage(
        subject=f"[{settings.PORTAL_NAME}] {notification.title}",
        body="\n\n".join(part for part in parts if part),
        to=[notification.recipient.email],
    )
