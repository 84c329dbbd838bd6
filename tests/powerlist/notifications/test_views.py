"""The inbox page, its mark-read forms and the unread count in the header."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from powerlist.notifications.models import Notification
from tests.powerlist.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

INBOX = "/inbox/"


def test_inbox_lists_only_own_notices_newest_first(client, org):
    NotificationFactory(recipient=org.clerk, title="较早的消息", created_at=timezone.now() - datetime.timedelta(hours=1))
    NotificationFactory(recipient=org.clerk, title="最新的消息", url="/powers/42/")
    NotificationFactory(recipient=org.other_clerk, title="别人的消息")
    client.force_login(org.clerk)
    html = client.get(INBOX).content.decode()
    assert "别人的消息" not in html
    assert html.index("最新的消息") < html.index("较早的消息")
    assert '<a href="/powers/42/"><strong>最新的消息</strong></a>' in html


def test_unread_tab_hides_read_notices(client, org):
    NotificationFactory(recipient=org.clerk, title="已读的消息", read_at=timezone.now())
    NotificationFactory(recipient=org.clerk, title="未读的消息")
    client.force_login(org.clerk)
    html = client.get(INBOX, {"show": "unread"}).content.decode()
    assert "未读的消息" in html and "已读的消息" not in html
    html = client.get(INBOX).content.decode()
    assert "未读的消息" in html and "已读的消息" in html


def test_inbox_pages_by_twenty(client, org):
    NotificationFactory.create_batch(23, recipient=org.clerk)
    client.force_login(org.clerk)
    first, second = client.get(INBOX), client.get(INBOX, {"page": 2})
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 3
    assert "第 2 / 2 页" in second.content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_inbox_query_count_is_constant(client, org, n, django_assert_max_num_queries):
    NotificationFactory.create_batch(n, recipient=org.clerk)
    client.force_login(org.clerk)
    # session, user, roles (navigation), the header's department and region, unread
    # count, page count, page rows
    with django_assert_max_num_queries(8):
        assert client.get(INBOX).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_mark_one_read(client, org):
    notice = NotificationFactory(recipient=org.clerk)
    other = NotificationFactory(recipient=org.clerk)
    client.force_login(org.clerk)
    response = client.post(f"/inbox/{notice.pk}/read/", {"next": "/inbox/?page=1"})
    assert response.status_code == 302 and response.url == "/inbox/?page=1"
    notice.refresh_from_db()
    other.refresh_from_db()
    assert notice.read_at is not None and other.read_at is None


def test_marking_again_keeps_the_first_reading_time(client, org):
    first_read = timezone.now() - datetime.timedelta(days=2)
    notice = NotificationFactory(recipient=org.clerk, read_at=first_read)
    client.force_login(org.clerk)
    client.post(f"/inbox/{notice.pk}/read/")
    notice.refresh_from_db()
    assert notice.read_at == first_read


def test_another_users_notice_is_404_and_stays_unread(client, org):
    notice = NotificationFactory(recipient=org.other_clerk)
    client.force_login(org.clerk)
    assert client.post(f"/inbox/{notice.pk}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_read_needs_post(client, org):
    notice = NotificationFactory(recipient=org.clerk)
    client.force_login(org.clerk)
    assert client.get(f"/inbox/{notice.pk}/read/").status_code == 405
    assert client.get("/inbox/read-all/").status_code == 405


def test_mark_read_needs_the_csrf_token(org):
    notice = NotificationFactory(recipient=org.clerk)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(org.clerk)
    assert strict.post(f"/inbox/{notice.pk}/read/").status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read_touches_only_own_notices(client, org):
    NotificationFactory.create_batch(3, recipient=org.clerk)
    theirs = NotificationFactory(recipient=org.other_clerk)
    client.force_login(org.clerk)
    assert client.post("/inbox/read-all/").url == "/inbox/"
    assert not Notification.objects.filter(recipient=org.clerk, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_next_pointing_elsewhere_returns_to_the_inbox(client, org):
    notice = NotificationFactory(recipient=org.clerk)
    client.force_login(org.clerk)
    response = client.post(f"/inbox/{notice.pk}/read/", {"next": "https://evil.example/"})
    assert response.url == "/inbox/"


def test_header_shows_the_unread_count_on_every_page(client, org):
    NotificationFactory.create_batch(3, recipient=org.clerk)
    NotificationFactory(recipient=org.clerk, read_at=timezone.now())
    NotificationFactory.create_batch(2, recipient=org.other_clerk)
    client.force_login(org.clerk)
    for url in ("/workspace/", "/powers/", INBOX):
        html = client.get(url).content.decode()
        assert 'href="/inbox/" aria-label="3 条未读消息">消息(3)</a>' in html, url


def test_header_count_drops_after_marking_all_read(client, org):
    NotificationFactory.create_batch(2, recipient=org.clerk)
    client.force_login(org.clerk)
    response = client.post("/inbox/read-all/", follow=True)
    assert 'aria-label="0 条未读消息">消息(0)</a>' in response.content.decode()


def test_anonymous_pages_show_no_inbox_link(client, db):
    assert 'href="/inbox/"' not in client.get("/accounts/login/").content.decode()
