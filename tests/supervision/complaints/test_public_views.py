"""The public pages without an account: the form, the captcha, the rate limit, the lookup."""

import os

import pytest
import redis
from django.urls import reverse

from supervision.complaints.flow import ComplaintState
from supervision.complaints.models import Complaint
from tests.supervision.complaints.helpers import drive
from tests.supervision.complaints.public import captcha_solved, file_through_form, form_data

# The suite's own Redis database (CI: db 15), flushed before and after each test.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_home_and_power_page_link_to_the_form(client, org, power):
    home = client.get(reverse("home"))
    assert reverse("complaints:new") in home.content.decode()
    page = client.get(reverse("complaints:new") + f"?power={power.pk}")
    # An unpublished power is not offered: the form asks for the region instead.
    assert "被投诉部门所在地区" in page.content.decode()


def test_region_step_then_form_without_javascript(client, org):
    first = client.get(reverse("complaints:new"))
    assert first.status_code == 200 and org.province.name in first.content.decode()
    form = client.get(reverse("complaints:new") + f"?region={org.province.pk}")
    html = form.content.decode()
    assert org.dept.name in html and org.city_dept.name not in html
    assert 'src="/captcha/image/' in html and "<script" not in html.split("<main", 1)[1]


def test_filing_gives_a_code_and_a_phrase_and_the_lookup_shows_the_reply(client, org):
    response, code, phrase = file_through_form(client, org.dept)
    assert response.status_code == 200 and code and phrase
    assert "no-store" in response["Cache-Control"]
    complaint = Complaint.objects.get(tracking_code=code)
    drive(complaint, ComplaintState.REPLIED, supervisor=org.supervisor)
    wrong = client.post(reverse("complaints:track"), {"tracking_code": code, "phrase": "AAAA-BBBB-CCCC-DDDD"})
    assert "查询码或查询密语不正确" in wrong.content.decode()
    ok = client.post(reverse("complaints:track"), {"tracking_code": code, "phrase": phrase}, follow=True)
    html = ok.content.decode()
    assert "您反映的问题经核查属实" in html and "已答复" in html
    assert "张三" not in html and org.supervisor.username not in html and str(org.supervisor) not in html
    rated = client.post(reverse("complaints:status_action", args=["rate"]), {"rating": "3", "comment": "满意"},
                        follow=True)
    assert "满意" in rated.content.decode()
    complaint.refresh_from_db()
    assert complaint.rating == 3


def test_wrong_captcha_is_refused_in_chinese_and_nothing_saved(client, org):
    data = form_data(org.dept)
    data["captcha_1"] = "WRONG"
    response = client.post(reverse("complaints:new"), data)
    assert "验证码不正确" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_missing_department_and_bad_department_are_field_errors(client, org):
    for value in ("", "999999999", "abc", str(10**30)):
        response = client.post(reverse("complaints:new"), form_data(org.dept, department=value))
        assert response.status_code == 200
        assert Complaint.objects.count() == 0


@pytest.fixture
def redis_cache(settings):
    """django-ratelimit counts on the shared Redis cache, as in production."""
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    connection.flushdb()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": TEST_REDIS_URL}}
    yield connection
    connection.flushdb()


def test_rate_limit_per_client_is_429_with_a_chinese_message(client, org, settings, redis_cache):
    settings.COMPLAINT_FILE_RATE = "2/h"
    for _i in range(2):
        response, code, _phrase = file_through_form(client, org.dept)
        assert code
    third = client.post(reverse("complaints:new"), form_data(org.dept))
    assert third.status_code == 429 and "提交次数过多" in third.content.decode()
    assert Complaint.objects.count() == 2
    # Another address is not held back by the first one's count.
    other = client.post(reverse("complaints:new"), form_data(org.dept), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and "phrase" in other.context
    assert any(key.startswith(b":1:rl:") for key in redis_cache.keys())


def test_lookup_is_rate_limited_too(client, org, settings, redis_cache):
    settings.COMPLAINT_TRACK_RATE = "3/h"
    for _i in range(3):
        assert client.post(reverse("complaints:track"), {"tracking_code": "TSX", "phrase": "x"}).status_code == 200
    assert client.post(reverse("complaints:track"), {"tracking_code": "TSX", "phrase": "x"}).status_code == 429


def test_status_page_needs_the_code_and_phrase_first(client, org):
    response = client.get(reverse("complaints:status"))
    assert response.status_code == 302 and response["Location"] == reverse("complaints:track")
    assert client.post(reverse("complaints:status_action", args=["rate"]), {"rating": "3"}).status_code == 302


def test_complainant_cannot_act_outside_the_flow(client, org):
    _response, code, phrase = file_through_form(client, org.dept)
    client.post(reverse("complaints:track"), {"tracking_code": code, "phrase": phrase})
    response = client.post(reverse("complaints:status_action", args=["rate"]), {"rating": "3"})
    assert response.status_code == 403
    assert client.post(reverse("complaints:status_action", args=["accept"]), {}).status_code == 404
    withdrawn = client.post(reverse("complaints:status_action", args=["withdraw"]), {}, follow=True)
    assert "投诉人撤回" in withdrawn.content.decode()


def test_captcha_images_are_served_locally(client, db):
    key = captcha_solved()["captcha_0"]
    image = client.get(f"/captcha/image/{key}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
