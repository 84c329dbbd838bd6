"""Browser journeys: Playwright's sync API driving Debian's chromium against `live_server`.

No browser is ever downloaded: the tests use /usr/bin/chromium (or E2E_CHROMIUM). Without
it the tests skip with the reason, except in CI (CI=true), where a missing browser fails.
A failing test leaves a screenshot and the page's HTML in var/e2e-failures/.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# ORM calls made from the test body (factories, assertions on the database).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000
PASSWORD = "pw-secret-123"  # what tests/powerlist/factories.py sets for every user
FAILURES_DIR = Path(__file__).resolve().parents[2] / "var" / "e2e-failures"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def _in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason):
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def playwright_instance():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright; no browser download needed)")
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"chromium not found at {CHROMIUM} (apt-get install chromium; set E2E_CHROMIUM to override)")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context (cookies, storage) per test, in Chinese by default."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _save_failure(page, request.node.nodeid)
    context.close()


# The name the team brief uses.
browser_page = page


def _save_failure(page, nodeid):
    FAILURES_DIR.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]
    try:
        page.screenshot(path=str(FAILURES_DIR / f"{stem}.png"), full_page=True)
        (FAILURES_DIR / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception:  # noqa: BLE001 - a dead page must not hide the test's own failure
        pass


def login(page, live_server, username, password=PASSWORD):
    """Log in through the real login form; returns on the page the login redirects to."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login as {username!r} failed: {page.inner_text('main')}"
    return page


def logout(page):
    with page.expect_navigation():
        page.click("header form.inline-form button[type=submit]")


def switch_user(page, live_server, username, password=PASSWORD):
    """Log the current user out (if any) and log `username` in, in the same page."""
    if page.url.startswith(live_server.url) and page.locator("header form.inline-form").count():
        logout(page)
    return login(page, live_server, username, password)


def press(page, button):
    """Press a button that posts a form, wait for the next page and require its success
    message (the failure shows the page's text)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    assert page.locator(".message-success").count() == 1, page.inner_text("main")


def assert_accessible(page, *, impacts=("serious", "critical")):
    """Run axe-core on the current page and fail on violations of the given impacts,
    listing each rule with the elements it flagged."""
    # Evaluated through the DevTools protocol: an inline <script> tag would be refused by
    # the page's Content-Security-Policy (docs/security.md).
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
            }));
        }"""
    )
    # axe lets aria-describedby point at nothing; a screen reader then never reads the error.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby],[aria-labelledby],[aria-controls]')]
            .flatMap(el => ['aria-describedby', 'aria-labelledby', 'aria-controls']
                .flatMap(a => (el.getAttribute(a) || '').split(/\\s+/).filter(Boolean)
                    .filter(id => !document.getElementById(id))
                    .map(id => `${el.tagName.toLowerCase()}#${el.id || '?'} ${a}="${id}"`)))"""
    )
    if broken and "serious" in impacts:
        result.append({"id": "broken-idref", "impact": "serious",
                       "help": "ARIA attributes must reference elements that exist",
                       "nodes": [{"target": b, "summary": "no element with that id"} for b in broken[:5]]})
    bad = [v for v in result if v["impact"] in impacts]
    if bad:
        lines = [f"{len(bad)} accessibility violation(s) on {page.url}:"]
        for v in bad:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
            for node in v["nodes"]:
                lines.append(f"    {node['target']}: {node['summary']}".replace("\n", " | "))
        pytest.fail("\n".join(lines), pytrace=False)
    return result


__all__ = ["login", "logout", "switch_user", "press", "assert_accessible", "PASSWORD"]
