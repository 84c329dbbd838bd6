"""The panel registry: the apps above powerlist add sections to its pages without
powerlist's templates naming them."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from powerlist.org.roles import Role
from powerlist.workspace import panels


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, so the apps' real panels stay untouched."""
    monkeypatch.setattr(panels, "_registry", {"power": {}, "workspace": {}, "role": {}})


def test_power_panels_come_in_order_and_a_none_context_hides_one(registry):
    panels.register_power_panel("late", template="b.html", context=lambda *, user, power: {"n": 2}, order=30)
    panels.register_power_panel("early", template="a.html", context=lambda *, user, power: {"n": 1}, order=10)
    panels.register_power_panel("hidden", template="c.html", context=lambda *, user, power: None, order=20)
    shown = panels.power_panels(user="u", power="p")
    assert [(p.key, p.template, p.context) for p in shown] == [("early", "a.html", {"n": 1}), ("late", "b.html", {"n": 2})]


def test_equal_orders_fall_back_to_the_key_and_registering_a_key_again_replaces_it(registry):
    panels.register_workspace_panel("b", template="b.html", context=lambda *, user: {})
    panels.register_workspace_panel("a", template="old.html", context=lambda *, user: {})
    panels.register_workspace_panel("a", template="a.html", context=lambda *, user: {})
    assert [(p.key, p.template) for p in panels.workspace_panels(user="u")] == [("a", "a.html"), ("b", "b.html")]


def test_role_panels_show_only_on_the_pages_of_their_roles(registry):
    panels.register_role_panel("queue", roles=[Role.EXPERT, Role.SUPERVISOR], template="q.html",
                               context=lambda *, user, role: {"role": role})
    assert [p.context for p in panels.role_panels(user="u", role=Role.EXPERT)] == [{"role": Role.EXPERT}]
    assert [p.context for p in panels.role_panels(user="u", role=Role.SUPERVISOR)] == [{"role": Role.SUPERVISOR}]
    assert panels.role_panels(user="u", role=Role.CLERK) == []


HIGHER_APPS = ("riskpoints", "disclosure", "supervision")


def test_powerlist_templates_never_load_a_higher_apps_tags_or_urls():
    """The one-way rule for templates: powerlist's pages take panels instead."""
    folder = Path(settings.BASE_DIR) / "templates" / "powerlist"
    offences = []
    for template in sorted(folder.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"{%\s*(?:load|url|include|extends)\s[^%]*%}", text):
            if any(app in tag for app in HIGHER_APPS):
                offences.append(f"{template.relative_to(folder)}: {tag}")
    assert offences == []
