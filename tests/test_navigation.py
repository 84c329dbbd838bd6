"""Menus, tabs, workspace cards and action rows show only what the user may open: for
each role of the conftest `org` fixture (and a stand-in), every link in the main
navigation, the tabs, the cards, the action rows and the panels of the pages those
links reach answers without a 403 or 404."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from guardian.shortcuts import assign_perm

from powerlist.models import User
from tests.powerlist.factories import PowerFactory


USERS = ("clerk", "dept_reviewer", "office_reviewer", "establishment", "legal", "expert", "supervisor", "admin",
         "stand_in", "city_clerk")
START = ("/workspace/", "/powers/", "/flowcharts/", "/riskpoints/")
# Links the walk does not follow: leaving the site, changing language, and downloads
# whose answer is a file built from the whole list (checked in their own tests).
NOT_FOLLOWED = ("http", "#", "/i18n/", "/accounts/logout/", "/api/")
LINK_AREAS = {"cards", "tabs", "actions-row", "panel"}


class _Links(HTMLParser):
    """The hrefs inside <nav> and inside elements with one of LINK_AREAS' classes."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.links = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        inside = (self.stack and self.stack[-1][1]) or tag == "nav" or bool(classes & LINK_AREAS)
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.append((tag, inside))
        if tag == "a" and inside and attrs.get("href"):
            self.links.add(attrs["href"].split("#")[0])

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def _links(body):
    parser = _Links()
    parser.feed(body)
    return {href for href in parser.links if href and not href.startswith(NOT_FOLLOWED)}


@pytest.fixture
def people(org):
    stand_in = User.objects.get(pk=org.other_reviewer.pk)
    assign_perm("powerlist.act_as_department_reviewer", stand_in, org.dept)
    org.stand_in = stand_in
    PowerFactory(department=org.dept, division=org.division)
    return org


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERS)
def test_every_menu_tab_and_card_link_opens(client, people, username):
    client.force_login(getattr(people, username))
    seen, broken, pages = set(), [], list(START)
    while pages:
        url = pages.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (403, 404):
            broken.append((url, response.status_code))
            continue
        if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
            pages.extend(_links(response.content.decode()) - seen)
    assert broken == []
    assert len(seen) > len(START)


ROLE_TEST = re.compile(r"""role\s*==|has_role|is_superuser|==\s*["'](clerk|department_reviewer|office_reviewer|"""
                       r"""establishment_confirmer|legal_confirmer|expert|supervisor|administrator)["']""")


def test_no_template_tests_a_role():
    """Templates get flags computed from the predicates (or panels), never a role test."""
    offenders = [str(path.relative_to(settings.BASE_DIR)) for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
                 if ROLE_TEST.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
