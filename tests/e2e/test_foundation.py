"""The base layout in a real browser: login, the workspace, accessibility of the main pages,
and the language switch."""

import pytest

from tests.e2e.conftest import assert_accessible, login
from tests.powerlist.factories import LegalBasisFactory, PowerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_and_sees_workspace(org, page, live_server):
    login(page, live_server, "clerk")
    assert page.url.endswith("/workspace/")
    assert page.inner_text("h1") == "工作台"
    cards = page.locator("ul.cards li.card h2")
    assert cards.all_inner_texts() == ["我的事项"]
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的事项").is_visible()


def test_anonymous_user_is_sent_to_login(org, page, live_server):
    page.goto(f"{live_server.url}/workspace/")
    assert "/accounts/login/" in page.url
    assert page.inner_text("h1") == "登录"


def test_wrong_password_shows_an_error(org, page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "wrong-password")
    page.click("main form button[type=submit]")
    assert page.get_by_role("alert").is_visible()


def _power(org):
    power = PowerFactory(department=org.dept, division=org.division, name="企业投资项目核准")
    LegalBasisFactory(power=power)
    return power


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/"],
    ids=["home", "login"],
)
def test_public_pages_are_accessible(org, page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/workspace/",
        "/workspace/clerk/",
        "/powers/",
        "/powers/new/",
        "/powers/{pk}/",
        "/powers/{pk}/edit/",
        "/powers/catalogue/",
    ],
    ids=["workspace", "clerk-queue", "power-list", "power-new", "power-detail", "power-edit", "catalogue"],
)
def test_clerk_pages_are_accessible(org, page, live_server, path):
    power = _power(org)
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}{path.format(pk=power.pk)}")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_city_clerk_adopt_page_is_accessible(org, page, live_server):
    from tests.powerlist.helpers import confirm

    confirm(org, _power(org))
    login(page, live_server, "city_clerk")
    page.goto(f"{live_server.url}/powers/adopt/")
    assert page.get_by_role("button", name="参照").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize(
    "username,path",
    # The catalogue lists its items as definition lists, not a table (axe checks it above).
    [("clerk", "/powers/"), ("city_clerk", "/powers/adopt/"),
     ("dept_reviewer", "/workspace/department-review/")],
)
def test_data_tables_have_captions_and_header_scopes(org, page, live_server, username, path):
    """House rule beyond axe: every data table is named (caption) and its headers scoped."""
    from powerlist.review.engine import review_submit
    from tests.powerlist.helpers import confirm

    confirm(org, _power(org))
    review_submit(user=org.clerk, obj=_power(org))
    login(page, live_server, username)
    page.goto(f"{live_server.url}{path}")
    tables = page.locator("main table")
    assert tables.count() >= 1
    for i in range(tables.count()):
        table = tables.nth(i)
        assert table.locator("caption").count() == 1, table.inner_html()[:300]
        assert table.locator("th:not([scope])").count() == 0, table.inner_html()[:300]


def test_power_form_with_errors_is_accessible(org, page, live_server):
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/powers/new/")
    page.click("main form.form button[type=submit]")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)


def test_reviewer_pages_are_accessible(org, page, live_server):
    from powerlist.review.engine import review_submit
    from tests.powerlist.helpers import confirm

    review_submit(user=org.clerk, obj=_power(org))
    confirm(org, _power(org))
    login(page, live_server, "dept_reviewer")
    for path in ("/workspace/department-review/",):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_forbidden_page_is_accessible(org, page, live_server):
    login(page, live_server, "clerk")
    response = page.goto(f"{live_server.url}/workspace/legal-confirmation/")
    assert response.status == 403
    assert "法制办确认人" in page.inner_text("main")
    assert_accessible(page)


def test_language_switch_to_english(org, page, live_server):
    from tests.test_i18n import ensure_messages_compiled

    ensure_messages_compiled()
    login(page, live_server, "clerk")
    assert page.inner_text("h1") == "工作台"
    page.select_option("#lang-select", "en")
    with page.expect_navigation():
        page.click("form.lang-form button[type=submit]")
    assert page.inner_text("h1") == "Workspace"
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#lang-select", "zh-hans")
    with page.expect_navigation():
        page.click("form.lang-form button[type=submit]")
    assert page.inner_text("h1") == "工作台"


def test_accessibility_check_catches_violations(org, page, live_server):
    """The checker itself: an image without alt text and an unlabelled field must fail."""
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<img src="/static/none.png"><input type="text">')"""
    )
    with pytest.raises(pytest.fail.Exception) as exc:
        assert_accessible(page)
    assert "image-alt" in str(exc.value) and "label" in str(exc.value)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(org, page, live_server):
    login(page, live_server, "clerk")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "跳到主要内容"]
    assert page.locator(".skip-link").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
