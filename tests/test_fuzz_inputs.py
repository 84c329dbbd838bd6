"""Property: no query string makes any page or API endpoint answer 5xx.

The endpoints are discovered from the URL conf (tests/sitemap.py), detail routes with
the id of a real object; the parameters are those of the view's FilterSet plus the
names lists commonly take. Hypothesis sends random and hostile values (non-numeric
and out-of-range ids, NUL bytes, 10,000-character strings, unknown choices) as a
clerk and as an office reviewer. Bounded: FUZZ_EXAMPLES examples per endpoint and
user (default 8). docs/hardening.md has the counts before and after the fixes.
"""

import os

import pytest
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sitemap import Site, site_urls

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
COMMON_PARAMS = ["q", "page", "state", "category", "department", "division", "power", "stage", "kind", "level",
                 "role", "disposition", "include_lower", "regrading", "layout", "list", "group", "unread", "show",
                 "active", "version", "next", "format", "page_size", "ordering"]
HOSTILE = ["abc", "", " ", "\x00", "a\x00b", "x" * 10_000, "许可" * 2_000, "9" * 30, "-1", "0", "1.5", "1e5",
           "NaN", "inf", "-0", "2147483648", "9223372036854775808", "-9223372036854775809", "１２３", "٣",
           "<script>alert(1)</script>", "' OR 1=1 --", "%", "%00", "[]", "{}", "true", "None", "\u202e", "😀",
           "draft", "clerk", "region", "power", "confirmed", "../../etc/passwd"]
# Views that answer something other than a page for GET whatever the query string
# (a redirect, 405) still count: only 5xx fails.
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def filter_names(path):
    """The query parameters the view declares (its FilterSet), plus the common ones."""
    match = resolve(path)
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    filterset = getattr(view_class, "filterset_class", None)
    declared = list(filterset.base_filters) if filterset is not None else []
    return sorted(set(declared) | set(COMMON_PARAMS))


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _probe(client, path, names, examples, record):
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(params=st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=3))
    def probe(params):
        record(params, client.get(path, params).status_code)

    return probe


def fuzz(site, users, *, examples=EXAMPLES):
    """GET every discovered URL with hypothesis-drawn query strings: (the 5xx answers,
    the number of requests)."""
    failures, attempts = [], []
    for role in users:
        user = site.users[role]
        client = _client(user)
        for url in site_urls():
            path = site.path(url, "in", user)

            def record(params, status, role=role, url=url, path=path):
                attempts.append(1)
                if status >= 500:
                    failures.append((role, url.name, path, params, status))

            _probe(client, path, filter_names(path), examples, record)()
    return failures, len(attempts)


def test_no_query_string_makes_any_endpoint_fail(org):
    site = Site(org)
    failures, attempts = fuzz(site, ["clerk", "office_reviewer"])
    assert attempts > 0
    report = "\n".join(f"{role} GET {path} {repr(params)[:300]} -> {status} ({name})"
                       for role, name, path, params, status in failures[:40])
    assert not failures, f"{len(failures)} of {attempts} requests answered 5xx:\n{report}"
