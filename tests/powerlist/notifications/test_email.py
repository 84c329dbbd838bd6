"""Emails of notices: only with EMAIL_HOST, after commit, retried on SMTP failure."""

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from powerlist.notifications.models import Notification
from powerlist.notifications.services import notifications_send
from powerlist.notifications.tasks import notification_email
from tests.powerlist.notifications.factories import NotificationFactory, notice_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_on(settings):
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn/"
    settings.DEFAULT_FROM_EMAIL = "portal@example.gov.cn"


def _with_emails(org):
    org.clerk.email = "clerk@example.gov.cn"
    org.clerk.save(update_fields=["email"])
    org.dept_reviewer.email = "reviewer@example.gov.cn"
    org.dept_reviewer.save(update_fields=["email"])


def test_each_recipient_with_an_address_gets_the_notice_after_commit(org, email_on, django_capture_on_commit_callbacks):
    _with_emails(org)
    event = notice_event([org.clerk, org.dept_reviewer, org.other_clerk], kind="owner", action_label="退回修改",
                         comment="依据条款不全", item_url="/powers/7/")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications_send(events=[event])
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["clerk@example.gov.cn", "reviewer@example.gov.cn"]
    message = next(m for m in mail.outbox if m.to == ["clerk@example.gov.cn"])
    assert message.subject == "[权力清单管理门户] 退回修改:210000-FG-XK-001 企业投资项目核准"
    assert message.from_email == "portal@example.gov.cn"
    assert message.body == (
        "退回修改:210000-FG-XK-001 企业投资项目核准\n\n"
        "意见:依据条款不全\n行政权力事项 · 操作人:王经办 · 当前状态:部门审核中\n\n"
        "查看:https://portal.example.gov.cn/powers/7/"
    )
    assert message.attachments == [] and message.cc == [] and message.bcc == []
    emailed = dict(Notification.objects.values_list("recipient__username", "emailed_at"))
    assert emailed["clerk"] is not None and emailed["dept_reviewer"] is not None
    assert emailed["other_clerk"] is None


def test_no_email_without_email_host(org, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _with_emails(org)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications_send(events=[notice_event([org.clerk])])
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_inactive_recipients_get_no_email(org, email_on):
    _with_emails(org)
    org.clerk.is_active = False
    org.clerk.save(update_fields=["is_active"])
    notice = NotificationFactory(recipient=org.clerk)
    assert notification_email(notification_ids=[notice.pk]) == 0
    assert mail.outbox == []


class FlakyBackend(EmailBackend):
    """locmem, but the second message sent fails once (the SMTP server went away)."""

    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 2:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


def test_smtp_failure_asks_for_a_retry_that_sends_only_what_is_left(org, email_on, settings):
    settings.EMAIL_BACKEND = "tests.powerlist.notifications.test_email.FlakyBackend"
    FlakyBackend.calls = 0
    _with_emails(org)
    first = NotificationFactory(recipient=org.clerk, title="第一条")
    second = NotificationFactory(recipient=org.dept_reviewer, title="第二条")
    with pytest.raises(Retry):
        notification_email.delay([first.pk, second.pk])
    assert [m.subject for m in mail.outbox] == ["[权力清单管理门户] 第一条"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.emailed_at is not None and second.emailed_at is None
    # The retry (here run by hand; the worker runs it after the backoff).
    notification_email.delay([first.pk, second.pk])
    assert [m.subject for m in mail.outbox] == ["[权力清单管理门户] 第一条", "[权力清单管理门户] 第二条"]
    assert FlakyBackend.calls == 3


def test_already_emailed_notices_are_not_sent_again(org, email_on):
    _with_emails(org)
    notice = NotificationFactory(recipient=org.clerk)
    assert notification_email(notification_ids=[notice.pk]) == 1
    assert notification_email(notification_ids=[notice.pk]) == 0
    assert len(mail.outbox) == 1
