"""The password policy and the change an administrator's password forces."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from powerlist.org import services
from powerlist.org.models import User
from powerlist.org.passwords import password_policy, temporary_password_generate


@pytest.mark.django_db
@pytest.mark.parametrize(("password", "fault"), [
    ("Qz7#kd2", "密码太短:至少需要 10 个字符。"),
    ("48213957302", "密码只包含数字。"),
    ("password123", "这个密码太常见了。"),
    ("wangxiaoming", "密码跟 用户名 太相似了。"),
    ("Lixiaoming8", "密码跟 姓名 太相似了。"),
    ("wxm@example.gov.cn", "密码跟 电子邮件地址 太相似了。"),
])
def test_policy_refuses(password, fault):
    user = User(username="wangxiaoming", display_name="lixiaoming", email="wxm@example.gov.cn")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert fault in exc.value.messages


@pytest.mark.django_db
def test_policy_accepts_a_long_unusual_password():
    user = User(username="wangxiaoming", display_name="王小明")
    validate_password("Taiyuan-Road-8848", user)


def test_policy_text_names_every_rule():
    assert password_policy() == [
        "你的密码不能与你的其他个人信息太相似。",
        "你的密码必须包含至少 10 个字符。",
        "你的密码不能是一个常见密码。",
        "你的密码不能全都是数字。",
    ]


@pytest.mark.django_db
def test_temporary_passwords_pass_the_policy_and_differ():
    user = User(username="u1")
    passwords = {temporary_password_generate(user=user) for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        validate_password(password, user)


@pytest.fixture
def fresh(admins):
    user, password = services.user_create(actor=admins.province_admin, username="xinren", display_name="新人",
                                          department=admins.dept, roles=["clerk"])
    return user, password


@pytest.mark.django_db
def test_forced_change_redirects_every_page_until_changed(client, fresh):
    user, password = fresh
    assert client.post("/accounts/login/", {"username": "xinren", "password": password}).status_code == 302
    response = client.get("/workspace/")
    assert (response.status_code, response["Location"]) == (302, "/account/password/")
    response = client.get("/powers/?q=x")
    assert response["Location"] == "/account/password/?next=%2Fpowers%2F%3Fq%3Dx"
    assert client.get("/api/v1/me/").status_code == 403
    assert client.get("/account/password/").status_code == 200
    # The policy applies, and the temporary password cannot be kept.
    response = client.post("/account/password/", {"old_password": password, "new_password1": "12345678901",
                                                  "new_password2": "12345678901"})
    assert response.status_code == 200 and "密码只包含数字。" in response.content.decode()
    response = client.post("/account/password/", {"old_password": password, "new_password1": password,
                                                  "new_password2": password})
    assert "新密码不能与当前密码相同。" in response.content.decode()
    response = client.post("/account/password/", {"old_password": password, "new_password1": "Taiyuan-Road-8848",
                                                  "new_password2": "Taiyuan-Road-8848"})
    assert (response.status_code, response["Location"]) == (302, "/workspace/")
    assert not User.objects.get(pk=user.pk).must_change_password
    assert client.get("/workspace/").status_code == 200


@pytest.mark.django_db
def test_forced_change_lets_the_user_log_out(client, fresh):
    user, password = fresh
    client.post("/accounts/login/", {"username": "xinren", "password": password})
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/workspace/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_change_returns_to_next(client, fresh):
    user, password = fresh
    client.force_login(user)
    response = client.post("/account/password/?next=/powers/", {
        "old_password": password, "new_password1": "Taiyuan-Road-8848", "new_password2": "Taiyuan-Road-8848",
        "next": "/powers/"})
    assert response["Location"] == "/powers/"


@pytest.mark.django_db
def test_a_user_without_the_flag_is_not_redirected(client, org):
    client.force_login(org.clerk)
    assert client.get("/workspace/").status_code == 200
