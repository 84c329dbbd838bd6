"""The identity canary: a name and a phone number filed through the public form must
appear nowhere — no page, API answer, notice, email, log line, record entry or error
report, for any role — except the one permitted view: the handling supervisor's
identity page, itself written to the operation record."""

import logging
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from powerlist.notifications.models import Notification
from powerlist.org.roles import Role
from powerlist.review.record import operation_record_for
from powerlist.review.record_models import ReviewLogEntry
from supervision.complaints import services
from supervision.complaints.flow import ComplaintState
from supervision.complaints.models import Complaint
from tests.powerlist.factories import make_user
from tests.supervision.complaints.helpers import CANARY_NAME, CANARY_PHONE
from tests.supervision.complaints.public import file_through_form, form_data

CANARIES = (CANARY_NAME, CANARY_PHONE, "沈阳市隐名路")
SEEDS = ("/supervision/complaints/", "/supervision/complaints/copies/", "/workspace/", "/inbox/",
         "/api/v1/notifications/", "/complaints/status/", "/admin/", "/admin/supervision/complaintpolicy/",
         "/supervision/", "/supervision/alerts/")
FOLLOW = ("/supervision/complaints", "/workspace", "/inbox", "/api/v1/", "/complaints/", "/admin/supervision")
SKIP = ("/accounts/logout", "/captcha/", "/static/", "/admin/logout", "/i18n/")
HREF = re.compile(r'href="([^"#]+)"')


def _assert_clean(text, where):
    for canary in CANARIES:
        assert canary not in text, f"{canary} leaked in {where}"


def crawl(client, seeds, *, limit=80):
    """GET every same-site page reachable from `seeds` under FOLLOW; returns how many."""
    queue, seen = list(seeds), set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = unescape(body.decode("utf-8", "replace"))
        _assert_clean(text, f"GET {url} ({response.status_code})")
        for link in HREF.findall(text):
            link = unescape(link)
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith(FOLLOW):
                continue
            if link not in seen:
                queue.append(link)
    return len(seen)


@pytest.fixture
def filed(org, client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = "mail.example.invalid"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in (org.supervisor, org.clerk, org.dept_reviewer):
        user.email = f"{user.username}@example.invalid"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response, code, phrase = file_through_form(client, org.dept, name=CANARY_NAME, phone=CANARY_PHONE,
                                                   address="沈阳市隐名路1号")
    assert code, response.content.decode()[:2000]
    return Complaint.objects.get(tracking_code=code), phrase


def test_canary_never_leaks_but_to_the_one_permitted_view(org, filed, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    complaint, phrase = filed
    supervisor = Client()
    supervisor.force_login(org.supervisor)
    for action, extra in (("accept", {}), ("assign", {}),
                          ("handle", {"finding": "resolved", "comment": "经查属实,已整改。"}),
                          ("reply", {"comment": "已责令窗口整改。"})):
        with django_capture_on_commit_callbacks(execute=True):
            response = supervisor.post(reverse("supervision:complaint_action", args=[complaint.pk, action]),
                                       {"version": Complaint.objects.get(pk=complaint.pk).version, **extra})
        assert response.status_code == 302, action
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.REPLIED

    # The one permitted view, recorded.
    identity = supervisor.post(reverse("supervision:complaint_identity", args=[complaint.pk]))
    assert CANARY_NAME in identity.content.decode() and CANARY_PHONE in identity.content.decode()
    assert [e.actor_id for e in operation_record_for(complaint) if e.action == services.VIEW_IDENTITY_ACTION] == [
        org.supervisor.pk]

    # The complainant looks it up and rates the reply.
    public = Client()
    public.post(reverse("complaints:track"), {"tracking_code": complaint.tracking_code, "phrase": phrase})
    with django_capture_on_commit_callbacks(execute=True):
        public.post(reverse("complaints:status_action", args=["rate"]), {"rating": "2", "comment": "基本满意"})

    complaint_pages = [f"/supervision/complaints/{complaint.pk}/", f"/supervision/complaints/copies/{complaint.pk}/",
                       f"/api/v1/flow/supervision.complaint/{complaint.pk}/"]
    city_supervisor = make_user(Role.SUPERVISOR, org.city_office, username="city_supervisor")
    pages = {}
    for name, user in (("supervisor", org.supervisor), ("city_supervisor", city_supervisor), ("clerk", org.clerk),
                       ("dept_reviewer", org.dept_reviewer), ("office_reviewer", org.office_reviewer),
                       ("admin", org.admin), ("other_clerk", org.other_clerk)):
        client = Client()
        client.force_login(user)
        pages[name] = crawl(client, (*complaint_pages, *SEEDS))
    pages["anonymous"] = crawl(Client(), (*complaint_pages, "/", "/complaints/new/", "/complaints/track/"))
    pages["complainant"] = crawl(public, ("/complaints/status/", *complaint_pages))
    assert pages["supervisor"] > 10 and pages["complainant"] >= 3

    # Notices (rows and emails), the operation record, the logs.
    assert Notification.objects.filter(recipient__in=[org.supervisor, org.clerk, org.dept_reviewer]).count() >= 3
    for notice in Notification.objects.all():
        _assert_clean(f"{notice.title} {notice.body} {notice.url}", f"notification {notice.pk}")
    assert mail.outbox
    for message in mail.outbox:
        _assert_clean(f"{message.subject} {message.body} {message.to}", "email")
    for entry in ReviewLogEntry.objects.all():
        _assert_clean(f"{entry.object_repr} {entry.comment} {entry.snapshot} {entry.actor_name}", f"record {entry.pk}")
    _assert_clean(caplog.text, "logs")
    _assert_clean(" ".join(str(r.__dict__) for r in caplog.records), "log records")


def test_canary_stays_out_of_error_reports(org, client, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("storage down")

    monkeypatch.setattr(services, "complaint_file", broken)
    client.raise_request_exception = False
    caplog.set_level(logging.ERROR, logger="django.request")
    response = client.post(reverse("complaints:new"), form_data(org.dept, name=CANARY_NAME, phone=CANARY_PHONE,
                                                               address="沈阳市隐名路1号"))
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    reporter = ExceptionReporter(record.request, *record.exc_info)
    _assert_clean(reporter.get_traceback_text(), "error report (text)")
    _assert_clean(reporter.get_traceback_html(), "error report (html)")
