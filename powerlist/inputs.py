"""The input contract for query strings: one set of typed, bounded fields and filters
that every list page and API list uses (docs/hardening.md).

- ids are integers in 1 … 2^63 − 1 (a bigint primary key), never "abc", "1.5" or 10^30;
- choices are validated against their choice set;
- text is at most MAX_QUERY_TEXT characters (and, like every Django and DRF text
  field, free of NUL characters: config/middleware.py refuses those first).

The API turns an invalid filter into a 400 naming the parameter (django-filter's
backend). A page shows itself without the invalid filter and says which one it
dropped (`page_filters`).
"""

import django_filters
from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1
# PostgreSQL's integer column (PositiveIntegerField, version and revision numbers).
MAX_INT = 2**31 - 1
MAX_QUERY_TEXT = 200
# Time limits in working days (a step's, a power's statutory and promised ones): ten years.
MAX_LIMIT_DAYS = 3650


class IdField(forms.IntegerField):
    """A primary key from outside: an integer in 1 … MAX_ID."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """Filters on a foreign key by id (`field_name` the column, e.g. "power_id")."""

    field_class = IdField


@extend_schema_field({"type": "string", "maxLength": MAX_QUERY_TEXT})
class TextFilter(django_filters.CharFilter):
    """Free text, length-capped; the selector decides how it matches."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY_TEXT)
        super().__init__(*args, **kwargs)


class QueryTextField(forms.CharField):
    """A search box on a page: stripped, length-capped."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY_TEXT)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def given(cleaned_data):
    """The filters the client actually set (no empty strings, None or False)."""
    return {key: value for key, value in cleaned_data.items() if value not in (None, "", False)}


def page_filters(request, form):
    """The valid filters of a page's filter form (bound to request.GET). Each invalid
    one is left out, with a message naming it, so the page still answers (never a 500,
    never silently a different list)."""
    if not form.is_bound:
        return {}
    warn_invalid(request, form)
    return given(form.cleaned_data)


def warn_invalid(request, form):
    """A message for each filter of the bound form that was left out as invalid."""
    if not form.is_bound or form.is_valid():
        return
    for name in form.errors:
        label = form.fields[name].label if name in form.fields else name
        messages.warning(request, _("筛选条件“%(label)s”的值无效,已忽略。") % {"label": label or name})
