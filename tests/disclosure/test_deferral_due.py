"""A recorded deferral (暂缓公开) that reaches its expected date: the department's clerks
and the region's office are reminded once by the daily beat task, the staff register marks
it and filters it, and nothing is disclosed by the date alone (the entry stays recorded)."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from disclosure.register import NonDisclosure, RegisterState
from disclosure.register_services import deferrals_due_notify, non_disclosure_create, register_lapse
from disclosure.tasks import deferrals_due_task
from powerlist.notifications.models import Notification
from tests.disclosure.factories import record_non_disclosure
from tests.powerlist.factories import PowerFactory

DUE = dt.date(2027, 3, 1)
DEFERRAL = {"kind": "deferred", "ground": "process", "expected_date": DUE}


def _deferral(org, *, code, name, expected_date=DUE):
    power = PowerFactory(department=org.dept, division=org.division, code=code, name=name)
    return record_non_disclosure(org, power, kind="deferred", ground="process", legal_basis="《政府信息公开条例》第十六条",
                                 reason="过程性信息,决定作出前暂缓公开。", expected_date=expected_date)


def _reminders():
    return list(Notification.objects.filter(title__startswith="到期").order_by("recipient__username")
                .values_list("recipient__username", "title"))


@pytest.mark.django_db
def test_the_clerk_and_the_office_are_reminded_once_on_the_expected_date(org, django_capture_on_commit_callbacks):
    entry = _deferral(org, code="210000-XK-0901", name="建设项目选址意见书核发")
    with django_capture_on_commit_callbacks(execute=True):
        assert deferrals_due_notify(today=dt.date(2027, 2, 28)) == 0
    assert _reminders() == []

    with django_capture_on_commit_callbacks(execute=True):
        assert deferrals_due_notify(today=DUE) == 1
    title = "到期:暂缓公开:210000-XK-0901 建设项目选址意见书核发"
    # The clerk of the division and the province's office; not the department reviewer,
    # the other department's clerk, nor the city.
    assert _reminders() == [("clerk", title), ("office_reviewer", title)]
    notice = Notification.objects.get(recipient=org.clerk, title=title)
    assert notice.url == f"/register/{entry.pk}/"
    assert notice.kind == "queue"
    assert notice.body.splitlines() == ["意见:预计公开日期 2027-03-01 已到,请决定解除登记(下次公开时公开)或重新登记。",
                                        "不予公开登记 · 操作人:系统 · 当前状态:已备案"]

    # Once only: the next days' passes find nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert deferrals_due_notify(today=DUE) == 0
        assert deferrals_due_notify(today=dt.date(2027, 3, 9)) == 0
    assert len(_reminders()) == 2
    entry.refresh_from_db()
    # Nothing is disclosed by the date: the entry is still recorded.
    assert (entry.state, entry.due_notified_on) == (RegisterState.RECORDED, DUE)


@pytest.mark.django_db
def test_a_late_pass_reminds_of_every_overdue_deferral_in_one_digest(org, django_capture_on_commit_callbacks):
    _deferral(org, code="210000-XK-0902", name="甲事项", expected_date=dt.date(2027, 1, 10))
    _deferral(org, code="210000-XK-0903", name="乙事项", expected_date=dt.date(2027, 2, 20))
    _deferral(org, code="210000-XK-0904", name="丙事项", expected_date=dt.date(2027, 4, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert deferrals_due_notify(today=DUE) == 2
    digest = Notification.objects.get(recipient=org.office_reviewer)
    assert digest.title == "2 项不予公开登记已到期,待您处理"
    assert digest.body.splitlines() == ["· 暂缓公开:210000-XK-0902 甲事项", "· 暂缓公开:210000-XK-0903 乙事项",
                                        "操作人:系统"]
    assert digest.item_count == 2


@pytest.mark.django_db
def test_no_reminder_for_withheld_draft_or_lapsed_entries(org, django_capture_on_commit_callbacks):
    record_non_disclosure(org, PowerFactory(department=org.dept, division=org.division))  # withheld, no date
    non_disclosure_create(user=org.clerk, power=PowerFactory(department=org.dept, division=org.division),
                          data={**DEFERRAL, "legal_basis": "《政府信息公开条例》第十六条", "reason": "草稿。"})
    lapsed = _deferral(org, code="210000-XK-0905", name="已解除事项")
    register_lapse(user=org.clerk, obj=lapsed, comment="理由已消除。")
    with django_capture_on_commit_callbacks(execute=True):
        assert deferrals_due_notify(today=dt.date(2030, 1, 1)) == 0
    assert _reminders() == []


@pytest.mark.django_db
def test_the_daily_task_is_scheduled_and_runs_on_today(org, django_capture_on_commit_callbacks):
    entry = _deferral(org, code="210000-XK-0906", name="今日到期事项", expected_date=timezone.localdate())
    entry_schedule = settings.CELERY_BEAT_SCHEDULE["disclosure-deferrals-due"]
    assert entry_schedule["task"] == "disclosure.deferrals_due"
    assert "disclosure.deferrals_due" in app.tasks
    with django_capture_on_commit_callbacks(execute=True):
        assert deferrals_due_task() == {"reminded": 1}
    assert NonDisclosure.objects.get(pk=entry.pk).due_notified_on == timezone.localdate()
    assert {u for u, _t in _reminders()} == {"clerk", "office_reviewer"}


@pytest.mark.django_db
def test_the_register_marks_and_filters_due_deferrals(org, client, django_assert_max_num_queries):
    today = timezone.localdate()
    due = _deferral(org, code="210000-XK-0907", name="已到期暂缓事项", expected_date=today - dt.timedelta(days=1))
    _deferral(org, code="210000-XK-0908", name="未到期暂缓事项", expected_date=today + dt.timedelta(days=30))
    client.force_login(org.office_reviewer)

    html = client.get("/register/").content.decode()
    assert html.count("已到期</strong>") == 1
    assert "未到期暂缓事项" in html

    with django_assert_max_num_queries(14):
        html = client.get("/register/?due=1").content.decode()
    assert "已到期暂缓事项" in html and "未到期暂缓事项" not in html

    html = client.get(f"/register/{due.pk}/").content.decode()
    assert "暂缓公开已到预计公开日期" in html
    assert "到期不会自动公开" in html


@pytest.mark.django_db
def test_the_register_pages_keep_the_filter(org, client):
    for n in range(51):
        non_disclosure_create(user=org.clerk, power=PowerFactory(department=org.dept, division=org.division),
                              data={"kind": "withheld", "ground": "state_secret", "expected_date": None,
                                    "legal_basis": "《保守国家秘密法》第十三条", "reason": f"涉密{n}。"})
    client.force_login(org.clerk)
    html = client.get("/register/?state=draft").content.decode()
    assert 'href="?state=draft&amp;page=2"' in html
