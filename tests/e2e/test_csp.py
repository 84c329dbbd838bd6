"""The Content-Security-Policy holds in a real browser: every page of a journey sends the
header, and Chromium reports no violation on the console (it prints each refused script,
style or frame as a "Content Security Policy" message)."""

import pytest

from tests.e2e import test_flowchart_journey as flowchart_journey
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch(page):
    """Collect CSP violations (console) and script errors (pageerror), and the pages whose
    answer lacked the header."""
    seen = {"violations": [], "errors": [], "without_header": []}
    page.on("console", lambda m: seen["violations"].append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))

    def on_response(response):
        if response.request.resource_type == "document" and "content-security-policy" not in response.headers:
            seen["without_header"].append(response.url)

    page.on("response", on_response)
    return seen


def test_pages_of_every_kind_run_without_a_violation(page, live_server, org):
    seen = _watch(page)
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/login/")
    login(page, live_server, "clerk")
    for path in ("/workspace/", "/powers/", "/powers/new/", "/flowcharts/", "/riskpoints/", "/api/swagger/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.locator(".opblock").first.wait_for()  # Swagger UI started from its script file
    page.goto(f"{live_server.url}/api/docs/")
    page.locator("h2", has_text="行政权力列表").first.wait_for()  # Redoc, under its relaxed policy
    assert seen["errors"] == []
    assert seen["without_header"] == []
    # Redoc's sidebar logo from cdn.redoc.ly is the one refusal, and wanted (no internet).
    assert [v for v in seen["violations"] if "cdn.redoc.ly" not in v] == []


def test_admin_pages_run_without_a_violation(page, live_server, org):
    seen = _watch(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw-secret-123")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in ("/admin/", "/admin/axes/accessattempt/", "/admin/powerlist/user/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert seen["errors"] == [] and seen["without_header"] == []
    assert seen["violations"] == []


def test_the_flowchart_journey_with_its_inline_svg_runs_without_a_violation(org, page, live_server):
    seen = _watch(page)
    flowchart_journey.test_clerk_builds_five_step_flowchart_with_branch_and_sees_it_drawn(org, page, live_server)
    assert seen["errors"] == [] and seen["without_header"] == []
    assert seen["violations"] == []


def test_the_locked_out_login_page_is_shown_under_the_policy(page, live_server, org):
    seen = _watch(page)
    for n in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "clerk")
        page.fill("#id_password", f"wrong-{n}")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == "登录已被暂时锁定"
    assert "请在 15 分钟后再试" in page.locator("[role=alert]").inner_text()
    assert seen["violations"] == [] and seen["errors"] == []
