"""Effective values of sub-items: the one place a blank field of a sub-item is resolved
to its main item's value.

A sub-item stores only what it sets itself (blank texts, None time limits and empty lists
otherwise). Everything that shows or publishes a power resolves it here: pages and
exports through `power_effective` (working copies) or `effective_data` (frozen revision
data, so the catalogue in force resolves against the main item's version in force), and
queries through `effective_expressions` (annotations, for filtering and sorting).
"""

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

from powerlist.catalogue.models import INHERITED_FIELDS, INHERITED_LISTS, Power


def _blank(value):
    return value is None or value == "" or value == []


def effective_data(own: dict, main: dict | None) -> dict:
    """A snapshot dict (services.power_snapshot or a revision's data) with the blanks of a
    sub-item filled from its main item's snapshot `main`. The result lists the names it
    filled under "inherited" (empty for main items and when `main` is None)."""
    data = dict(own)
    inherited = []
    if main is not None:
        for name in (*INHERITED_FIELDS, *INHERITED_LISTS):
            if _blank(own.get(name)) and not _blank(main.get(name)):
                data[name] = main[name]
                inherited.append(name)
    data["inherited"] = inherited
    return data


def power_effective(power, snapshot) -> dict:
    """The effective content of a working copy: `snapshot(power)` resolved against
    `snapshot(power.parent)`. Costs no query when the power was fetched with
    effective_prefetch() (or power_queryset())."""
    own = snapshot(power)
    return effective_data(own, snapshot(power.parent) if power.parent_id else None)


def effective_prefetch(prefix=""):
    """prefetch_related lookups that make power_effective free for a list of powers."""
    lists = ("legal_bases", "responsibility_items__steps__post", "accountability_circumstances")
    return [f"{prefix}{name}" for name in lists] + [f"{prefix}parent__{name}" for name in lists]


def effective_expressions():
    """{"effective_<field>": expression} for every inherited field: the sub-item's own
    value, else its main item's (annotate a Power queryset with them to filter or sort
    on effective values in the database)."""
    expressions = {}
    for name in INHERITED_FIELDS:
        field = Power._meta.get_field(name)
        own = F(name) if field.null else NullIf(F(name), Value(""))
        fallback = () if field.null else (Value(""),)
        expressions[f"effective_{name}"] = Coalesce(own, F(f"parent__{name}"), *fallback, output_field=field)
    return expressions
