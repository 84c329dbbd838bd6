"""/api/v1/notifications/: own notices only, and marking them read."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from powerlist.notifications.models import Notification
from tests.powerlist.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


@pytest.fixture
def api(org):
    client = APIClient()
    client.force_authenticate(org.clerk)
    return client


def test_list_has_own_notices_only(api, org):
    mine = NotificationFactory(recipient=org.clerk, title="我的消息", item_count=3)
    NotificationFactory(recipient=org.other_clerk, title="别人的消息")
    data = api.get(URL).json()
    assert data["count"] == 1
    [row] = data["results"]
    assert row["id"] == mine.pk
    assert row["title"] == "我的消息"
    assert row["item_count"] == 3
    assert row["is_read"] is False


def test_unread_filter(api, org):
    NotificationFactory(recipient=org.clerk, read_at=timezone.now())
    unread = NotificationFactory(recipient=org.clerk)
    assert [r["id"] for r in api.get(URL, {"unread": "1"}).json()["results"]] == [unread.pk]


def test_mark_read(api, org):
    notice = NotificationFactory(recipient=org.clerk)
    response = api.post(f"{URL}{notice.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_another_users_notice_is_404(api, org):
    theirs = NotificationFactory(recipient=org.other_clerk)
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.post(f"{URL}{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_non_numeric_id_is_404(api):
    assert api.post(f"{URL}abc/read/").status_code == 404


def test_read_all(api, org):
    NotificationFactory.create_batch(2, recipient=org.clerk)
    NotificationFactory(recipient=org.other_clerk)
    assert api.post(f"{URL}read-all/").json() == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_anonymous_is_refused(db):
    assert APIClient().get(URL).status_code in (401, 403)


@pytest.mark.parametrize("n", [1, 30])
def test_list_query_count_is_constant(api, org, n, django_assert_max_num_queries):
    NotificationFactory.create_batch(n, recipient=org.clerk)
    with django_assert_max_num_queries(2):
        assert api.get(URL).status_code == 200
