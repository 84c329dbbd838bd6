"""The API documentation pages render in a browser that cannot reach the internet
(the government intranet): Redoc and Swagger UI come from the portal's static files."""

from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _offline(page, live_server):
    """Abort every request to another host, and remember it."""
    own = urlparse(live_server.url).netloc
    external = []

    def route(route):
        if urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return external


def test_redoc_renders_the_schema_offline(page, live_server, org):
    external = _offline(page, live_server)
    login(page, live_server, "clerk")  # the schema is for signed-in staff
    errors, console = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/api/docs/")
    page.locator("h2", has_text="行政权力列表").first.wait_for()
    assert page.get_by_text("/api/v1/powers/{id}/confirm-establishment/").count() >= 1
    # Search runs in a web worker: the page's content security policy lets it run.
    page.fill("input[placeholder='Search...']", "version")
    page.locator("[data-role='search:results'] li").first.wait_for()
    assert external == [] and errors == []
    # The only thing the policy refuses is Redoc's own logo from cdn.redoc.ly.
    assert all("cdn.redoc.ly" in message for message in console), console


def test_swagger_ui_renders_the_schema_offline(page, live_server, org):
    external = _offline(page, live_server)
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/api/swagger/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/powers/batch/").count() == 1
    assert external == []
