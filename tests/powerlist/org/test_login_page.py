"""The login page and the header never offer 登录 to a signed-in user."""

import pytest

pytestmark = pytest.mark.django_db


def test_login_page_for_a_signed_in_user_says_who_and_offers_workspace_and_logout(client, org):
    client.force_login(org.clerk)
    body = client.get("/accounts/login/").content.decode()
    assert f"您已登录为 {org.clerk}。" in body
    assert '<a class="btn btn-primary" href="/workspace/">进入工作台</a>' in body
    assert '<form action="/accounts/logout/" method="post"' in body
    assert 'id="id_password"' not in body
    assert ">登录<" not in body


def test_login_page_for_a_visitor_shows_the_form(client, org):
    body = client.get("/accounts/login/").content.decode()
    assert 'id="id_password"' in body and "<h1>登录</h1>" in body
    assert "您已登录为" not in body


@pytest.mark.parametrize("path", ["/workspace/", "/powers/", "/accounts/login/"])
def test_header_of_a_signed_in_user_offers_logout_not_login(client, org, path):
    client.force_login(org.clerk)
    body = client.get(path).content.decode()
    header = body[body.index("<header"):body.index("</header>")]
    assert "退出" in header
    assert 'href="/accounts/login/"' not in header and "登录" not in header
