"""Panels: what the apps above powerlist (riskpoints, later disclosure and supervision)
add to powerlist's pages, so that powerlist's templates never load a higher app's tags
or name its URLs.

An app registers its panels at start-up (AppConfig.ready) with a template, a context
function and an order; powerlist's views ask for the panels of a page and its templates
include each one:

    {% for panel in panels %}{% include panel.template with panel=panel.context ... only %}{% endfor %}

Three places take panels: the power page (context(*, user, power)), the workspace
overview (context(*, user)) and a role's workspace page (context(*, user, role), for
the roles it was registered with). A context function returns the panel's template
context, or None to leave the panel out for this user. Panels show in ascending order,
then by key; registering a key again replaces that panel.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable
    order: int = 100
    roles: frozenset = frozenset()


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    context: dict


_POWER, _WORKSPACE, _ROLE = "power", "workspace", "role"
_registry = {_POWER: {}, _WORKSPACE: {}, _ROLE: {}}


def register_power_panel(key, *, template, context, order=100):
    """A panel on the power page; `context(*, user, power)`."""
    _registry[_POWER][key] = Panel(key, template, context, order)


def register_workspace_panel(key, *, template, context, order=100):
    """A panel on the workspace overview; `context(*, user)`."""
    _registry[_WORKSPACE][key] = Panel(key, template, context, order)


def register_role_panel(key, *, roles, template, context, order=100):
    """A panel on the workspace page of each of `roles`; `context(*, user, role)`."""
    _registry[_ROLE][key] = Panel(key, template, context, order, frozenset(roles))


def empty_context(**kwargs):
    """A context function for a panel that always shows and needs no data (an empty
    state that a higher app replaces by registering the same key)."""
    return {}


def _shown(panels, **kwargs):
    shown = []
    for panel in sorted(panels, key=lambda p: (p.order, p.key)):
        context = panel.context(**kwargs)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.template, context))
    return shown


def power_panels(*, user, power) -> list:
    return _shown(_registry[_POWER].values(), user=user, power=power)


def workspace_panels(*, user) -> list:
    return _shown(_registry[_WORKSPACE].values(), user=user)


def role_panels(*, user, role) -> list:
    return _shown([p for p in _registry[_ROLE].values() if role in p.roles], user=user, role=role)
