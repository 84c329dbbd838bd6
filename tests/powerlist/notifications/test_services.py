"""notifications_send: grouping into plain messages and digests, and its query count."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from powerlist.notifications.models import Notification
from powerlist.notifications.services import notifications_send
from tests.powerlist.factories import UserFactory
from tests.powerlist.notifications.factories import notice_event

pytestmark = pytest.mark.django_db


def test_one_event_is_a_plain_message_with_the_comment(org):
    [row] = notifications_send(events=[notice_event(
        [org.clerk], kind="owner", action_label="退回修改", state_label="草稿",
        actor_name="李审核", comment="依据条款不全", item_url="/powers/7/",
    )])
    row.refresh_from_db()
    assert row.recipient == org.clerk
    assert row.kind == "owner"
    assert row.title == "退回修改:210000-FG-XK-001 企业投资项目核准"
    assert row.body == "意见:依据条款不全\n行政权力事项 · 操作人:李审核 · 当前状态:草稿"
    assert row.url == "/powers/7/"
    assert row.item_count == 1
    assert row.read_at is None and row.emailed_at is None


def test_three_events_for_one_recipient_become_one_digest(org):
    events = [
        notice_event([org.dept_reviewer], item_label=f"210000-FG-XK-00{i} 事项{i}", item_url=f"/powers/{i}/")
        for i in (1, 2, 3)
    ]
    [row] = notifications_send(events=events)
    assert row.recipient == org.dept_reviewer
    assert row.item_count == 3
    assert row.title == "3 项行政权力事项已提交审核,待您处理"
    assert row.body == (
        "· 210000-FG-XK-001 事项1\n· 210000-FG-XK-002 事项2\n· 210000-FG-XK-003 事项3\n操作人:王经办"
    )
    assert row.url == "/workspace/"


def test_owner_digest_is_not_a_request_to_act_and_keeps_the_shared_comment(org):
    events = [
        notice_event([org.clerk], kind="owner", action_label="退回修改", comment="请补充依据",
                     item_label=f"事项{i}", item_url=f"/powers/{i}/")
        for i in (1, 2)
    ]
    [row] = notifications_send(events=events)
    assert row.title == "2 项行政权力事项已退回修改"
    assert row.body == "· 事项1\n· 事项2\n意见:请补充依据\n操作人:王经办"


def test_digest_names_the_first_five_items_and_counts_the_rest(org):
    events = [notice_event([org.dept_reviewer], item_label=f"事项{i}", item_url=f"/powers/{i}/")
              for i in range(1, 8)]
    [row] = notifications_send(events=events)
    assert row.item_count == 7
    assert row.body.splitlines() == ["· 事项1", "· 事项2", "· 事项3", "· 事项4", "· 事项5", "…… 共 7 项", "操作人:王经办"]


def test_two_recipients_get_one_row_each(org):
    rows = notifications_send(events=[notice_event([org.dept_reviewer, org.other_reviewer])])
    assert sorted(r.recipient_id for r in rows) == sorted([org.dept_reviewer.pk, org.other_reviewer.pk])
    assert Notification.objects.count() == 2
    assert {r.title for r in rows} == {"提交审核:210000-FG-XK-001 企业投资项目核准"}


def test_different_actions_and_item_kinds_are_separate_notices(org):
    rows = notifications_send(events=[
        notice_event([org.clerk], kind="owner", action_label="退回修改", item_url="/powers/1/"),
        notice_event([org.clerk], kind="owner", action_label="编委办确认", item_url="/powers/2/"),
        notice_event([org.clerk], kind="owner", action_label="退回修改", item_kind="流程图",
                     item_url="/flowcharts/3/"),
    ])
    assert [(r.title.split(":")[0], r.item_count) for r in rows] == [("退回修改", 1), ("编委办确认", 1), ("退回修改", 1)]
    assert [r.url for r in rows] == ["/powers/1/", "/powers/2/", "/flowcharts/3/"]


def test_the_same_item_twice_counts_once(org):
    [row] = notifications_send(events=[notice_event([org.clerk]), notice_event([org.clerk])])
    assert row.item_count == 1
    assert row.url == "/powers/1/"


def test_no_events_or_no_recipients_write_nothing(org, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notifications_send(events=[]) == []
        assert notifications_send(events=[notice_event([])]) == []


def test_lazy_labels_are_written_in_the_portals_language(org):
    """An office user browsing in English still writes the clerk's notice in Chinese."""
    with translation.override("en"):
        [row] = notifications_send(events=[notice_event(
            [org.clerk], kind="owner", action_label=gettext_lazy("退回修改"), item_kind=gettext_lazy("行政权力事项"),
        )])
    assert row.title == "退回修改:210000-FG-XK-001 企业投资项目核准"


def test_a_long_label_is_cut_to_one_line_that_fits(org):
    [row] = notifications_send(events=[notice_event([org.clerk], item_label="企业\n投资" + "项" * 400)])
    row.refresh_from_db()
    assert len(row.title) == 300
    assert row.title.startswith("提交审核:企业 投资项项")


@pytest.mark.parametrize("n", [1, 200])
def test_query_count_does_not_grow_with_events(org, n, django_assert_max_num_queries):
    recipients = [org.dept_reviewer, org.other_reviewer, org.office_reviewer]
    events = [notice_event(recipients, item_label=f"事项{i}", item_url=f"/powers/{i}/") for i in range(n)]
    with django_assert_max_num_queries(1):
        rows = notifications_send(events=events)
    assert len(rows) == 3
    assert {r.item_count for r in rows} == {n}


@pytest.mark.parametrize("n", [1, 200])
def test_query_count_does_not_grow_with_recipients(db, n, django_assert_max_num_queries):
    recipients = UserFactory.create_batch(n, department=None)
    with django_assert_max_num_queries(2):
        rows = notifications_send(events=[notice_event(recipients)])
    assert len(rows) == n
    assert Notification.objects.count() == n
