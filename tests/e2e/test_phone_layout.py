"""Phones: at 390 × 844 no staff page scrolls sideways, the flowchart on the power page
scales to the width with a link to the full-size drawing, and the flowchart editor's
fields stack with nothing cut off; at 1280 the power page still shows the drawing
beside its outline.

The staff pages are found, not listed: for each demo role (seed_demo's users) the test
crawls same-origin links from the workspace, every kind of page (path with numbers
folded) before a second of any kind, at most two of a kind and PAGES_PER_ROLE pages a
role. Logout, the Django admin, the API and downloads are left out."""

import re
from collections import Counter
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from powerlist.models import Flowchart
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "phone-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# One user per role, and the city clerk (a lower level: adoption, another region).
ROLES = ("clerk", "dept_reviewer", "office_reviewer", "establishment", "legal", "expert", "supervisor", "admin",
         "city_clerk")
PAGES_PER_ROLE = 45
PER_KIND = 2
SKIP = re.compile(r"^/(accounts/logout|admin|api|i18n|jsi18n|static|media)(/|$)|/(download|attachment|svg|export|"
                  r"template)/")

WIDEST = """(limit) => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit + 1)
    .slice(-3)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
        + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


@pytest.fixture
def demo():
    call_command("seed_demo", "--password", DEMO_PASSWORD, "--force", stdout=StringIO())


@pytest.fixture
def context_at(browser):
    contexts = []

    def open_page(viewport):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _kind(url):
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _crawl(page, base, *, check):
    """Visit the staff pages reachable from the workspace; `check(page, path)` runs on
    each HTML page. Returns the paths visited."""
    origin = urlsplit(base).netloc
    queue, seen, visits, visited = [f"{base}/workspace/"], set(), Counter(), []
    while queue and len(visited) < PAGES_PER_ROLE:
        # Stable sort: the least-seen kind of page first, in the order found.
        queue.sort(key=lambda u: visits[_kind(u)])
        url = queue.pop(0)
        if url in seen or visits[_kind(url)] >= PER_KIND:
            continue
        seen.add(url)
        visits[_kind(url)] += 1
        try:
            response = page.goto(url)
        except Exception as exc:  # noqa: BLE001 - Playwright raises on a download
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        path = url[len(base):]
        visited.append(path)
        check(page, path, response.status)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = href.split("#")[0]
            parts = urlsplit(href)
            if (parts.netloc == origin and parts.scheme.startswith("http") and parts.path != "/"
                    and not SKIP.search(parts.path) and href not in seen):
                queue.append(href)
    return visited


def test_no_staff_page_scrolls_sideways_on_a_phone(demo, context_at, live_server):
    offenders, visited = [], {}

    def check(page, path, status):
        if status >= 500:
            offenders.append(f"{role} {path}: HTTP {status}")
            return
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            offenders.append(f"{role} {path}: {width}px wide ({', '.join(page.evaluate(WIDEST, PHONE['width']))})")

    for role in ROLES:
        page = context_at(PHONE)
        login(page, live_server, role, DEMO_PASSWORD)
        visited[role] = _crawl(page, live_server.url, check=check)
        page.context.close()
    assert not offenders, f"{len(offenders)} page(s) wider than 390 px:\n" + "\n".join(offenders)
    # The crawl reached the pages the phone work is about.
    everything = {path for paths in visited.values() for path in paths}
    for pattern in (r"^/workspace/$", r"^/powers/\d+/$", r"^/powers/\d+/edit/$", r"^/powers/new/$",
                    r"^/flowcharts/\d+/$", r"^/flowcharts/\d+/edit/$", r"^/riskpoints/\d+/$",
                    r"^/riskpoints/powers/\d+/new/$", r"^/riskpoints/coverage/", r"^/powers/catalogue/",
                    r"^/workspace/\w+/$", r"^/administration/"):
        assert any(re.search(pattern, p) for p in everything), f"no page like {pattern} was reached"
    assert sum(len(paths) for paths in visited.values()) >= 150


def _chart_power():
    return Flowchart.objects.filter(power__isnull=False, steps__isnull=False).order_by("pk").first().power


def test_flowchart_is_readable_and_editor_usable_on_a_phone(demo, context_at, live_server):
    power = _chart_power()
    page = context_at(PHONE)
    login(page, live_server, "clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/powers/{power.pk}/")
    svg = page.locator("#flowchart-heading ~ .flowchart-view svg.flowchart-svg").first
    box = svg.bounding_box()
    # Full width of the content (390 less the page margins), not a thumbnail beside the text.
    assert box["width"] >= 330 and box["x"] + box["width"] <= PHONE["width"]
    outline = page.locator("#flowchart-heading ~ .flowchart-view .flowchart-outline").bounding_box()
    assert outline["y"] >= box["y"] + box["height"]  # the outline below the drawing
    zoom = page.get_by_role("link", name="放大查看").first
    assert zoom.get_attribute("href").endswith(f"/flowcharts/{power.flowchart.pk}/svg/")

    page.goto(f"{live_server.url}/flowcharts/{power.flowchart.pk}/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name, post = page.locator("#id_step-0-name").bounding_box(), page.locator("#id_step-0-post").bounding_box()
    assert post["x"] + post["width"] <= PHONE["width"] - 8  # the post select is not cut off
    assert post["y"] > name["y"] + name["height"] - 1  # stacked, not side by side
    assert post["width"] >= 250


def test_power_page_on_a_desktop_shows_the_drawing_beside_its_outline(demo, context_at, live_server):
    power = _chart_power()
    page = context_at(DESKTOP)
    login(page, live_server, "clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/powers/{power.pk}/")
    figure = page.locator("#flowchart-heading ~ .flowchart-view .flowchart-figure").bounding_box()
    outline = page.locator("#flowchart-heading ~ .flowchart-view .flowchart-outline").bounding_box()
    assert figure["x"] + figure["width"] <= outline["x"]  # side by side
    assert abs(figure["y"] - outline["y"]) < 5
    assert figure["width"] >= 400
    fields = page.locator("dl.fields").first
    term, value = fields.locator("dt").first.bounding_box(), fields.locator("dd").first.bounding_box()
    assert term["x"] + term["width"] <= value["x"] and abs(term["y"] - value["y"]) < 5  # labels beside values
