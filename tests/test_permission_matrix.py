"""Every URL of the site × every role and anonymous × in scope / out of scope / missing,
against an expectation written out by hand below.

The URLs are discovered from the URL conf (tests/sitemap.py): a URL without a row in
EXPECTED fails with "no expectation for URL name …". Each is fetched with GET (the
safe method every route answers; POST-only routes answer 405 to a signed-in user), with
the ids of a real in-scope object, of an out-of-scope one (a draft of another region's
department) and of none. Two rules hold for every cell, whatever the table says:

- no unauthorised success: what the table does not allow never answers 200;
- no oracle: the out-of-scope object answers exactly like the missing id (status, and
  for the API the body too).

Answers: 200; L = 302 to the login page; 302 = another redirect; 403 = refused with a
reason in the body; 404; 405 (method not allowed).
"""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from tests.sitemap import Site, object_resources, site_urls

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "clerk", "department_reviewer", "office_reviewer", "establishment_confirmer",
         "legal_confirmer", "expert", "supervisor", "administrator")
GENERIC_403 = {"您没有执行此操作的权限。", "您没有执行该操作的权限。", ""}
REASON = re.compile(r'<p class="reason">(.*?)</p>', re.S)


def answer(response):
    """The answer as the table writes it."""
    status = response.status_code
    if status == 302:
        return "L" if response["Location"].startswith(resolve_url(settings.LOGIN_URL)) else "302"
    if status == 403:
        content_type = response.get("Content-Type", "")
        body = response.content.decode()
        if content_type.startswith("application/json"):
            reason = str(response.json().get("detail", ""))
        elif content_type.startswith("text/html"):
            found = REASON.search(body)
            reason = found.group(1).strip() if found else ""
        else:  # the SVG and schema renderers write the reason as text
            reason = body.strip()
        return "403" if reason not in GENERIC_403 else "403 without a reason"
    return str(status)


# Shorthands for cells of URLs that name an object: in scope / out of scope / missing.
L3 = "L/L/L"          # a page, signed out: the login page, whatever the id
A403 = "403/403/403"  # the API, signed out: 403 "身份认证信息未提供", whatever the id
POST3 = "405/405/405"  # a POST-only route fetched with GET
READ = "200/404/404"  # may read what is in scope; the rest is missing
HIDDEN = "404/404/404"  # may read none of it (the expert reads only what it was given)
ALL = "200/200/404"   # reads everything (the administrator; region roles for posts)
ROLE403 = "403/404/404"  # reads it but may not do this; what it may not read is missing
NOT_CLERK = "403/403/403"  # refused for its role before any object is looked at

# One row per URL name (a regular expression, matched in order), one cell per role in
# ROLES: anonymous, clerk, department_reviewer, office_reviewer, establishment_confirmer,
# legal_confirmer, expert, supervisor, administrator.
EVERYONE = ["200"] * 9
SIGNED_IN_PAGE = ["L"] + ["200"] * 8
SIGNED_IN_API = ["403"] + ["200"] * 8
EXPECTED = [
    # The public portal, the login and the language switch.
    (r"^home$", EVERYONE),
    (r"^login$", EVERYONE),
    (r"^logout$", ["405"] * 9),
    (r"^set_language$", ["302"] * 9),
    (r"^javascript-catalog$", EVERYONE),
    # API: lists are scoped, never refused to a signed-in user.
    (r"^api:(me|category-list|power-list|flowchart-list|benchmark-list|riskpoint-list|notification-list)$",
     SIGNED_IN_API),
    (r"^api:review-queue$", ["403"] + ["400"] * 8),  # ?role= is required
    (r"^api:post-list$", ["403", "200", "200", "200", "200", "200", "404", "200", "200"]),
    (r"^api:riskpoint-coverage$", ["403", "200", "200", "200", "403", "403", "403", "200", "200"]),
    (r"^api:(power-batch|notification-read-all)$", ["403"] + ["405"] * 8),
    (r"^api:(flow-item|power-(detail|log|revisions)|flowchart-(detail|svg)|benchmark-detail"
     r"|riskpoint-(detail|opinions))$",
     [A403, READ, READ, READ, READ, READ, HIDDEN, READ, ALL]),
    (r"^api:post-detail$", [A403, READ, READ, ALL, ALL, ALL, HIDDEN, ALL, ALL]),
    (r"^api:notification-detail$", [A403] + [READ] * 8),  # one's own notices only
    (r"^api:(flow-action|power-(approve|confirm-establishment|confirm-legal|return|revise|submit|withdraw)"
     r"|flowchart-content|riskpoint-(countermeasures|experts|opinion|review)|notification-read)$",
     [A403] + [POST3] * 8),
    (r"^api-schema$", SIGNED_IN_API),
    # drf-spectacular's doc pages refuse an anonymous visitor with Django's generic 403.
    (r"^api-(docs|swagger)$", ["403 without a reason"] + ["200"] * 8),
    # Risk points.
    (r"^riskpoints:(list|benchmark_list)$", SIGNED_IN_PAGE),
    (r"^riskpoints:queue$", ["L", "200", "200", "200", "403", "403", "403", "403", "403"]),
    (r"^riskpoints:coverage$", ["L", "200", "200", "200", "403", "403", "403", "200", "200"]),
    (r"^riskpoints:grading_rule$", ["L", "403", "403", "200", "403", "403", "403", "403", "403"]),
    (r"^riskpoints:import$", ["L", "200", "403", "403", "403", "403", "403", "403", "403"]),
    (r"^riskpoints:export$", ["L"] + ["405"] * 8),
    (r"^riskpoints:(power|detail|benchmark_detail)$", [L3, READ, READ, READ, READ, READ, HIDDEN, READ, ALL]),
    (r"^riskpoints:(create|benchmark_create|edit|measure_create|measure_edit|benchmark_edit)$",
     [L3, READ, ROLE403, ROLE403, ROLE403, ROLE403, HIDDEN, ROLE403, "403/403/404"]),
    (r"^riskpoints:(delete|assign_experts|opinion|measure_delete|measure_in_force)$", [L3] + [POST3] * 8),
    # The seeded measure has no attachment: 404 for everyone, in scope too.
    (r"^riskpoints:measure_attachment$", [L3] + [HIDDEN] * 8),
    # Notifications, jobs: one's own only.
    (r"^notifications:inbox$", SIGNED_IN_PAGE),
    (r"^notifications:read_all$", ["L"] + ["405"] * 8),
    (r"^notifications:read$", [L3] + [POST3] * 8),
    (r"^powerlist:job_detail$", [L3] + [READ] * 8),
    (r"^powerlist:job_download$", [L3] + [HIDDEN] * 8),  # the seeded jobs have no file yet
    # The public portal (disclosure): published content only, the same for everyone; the
    # seeded department has published nothing yet, so its pages are missing.
    (r"^disclosure:search$", EVERYONE),
    (r"^disclosure:region$", ["200/200/404"] * 9),
    (r"^disclosure:(department|category|changes|changes_feed|power|power_version|power_compare)$", [HIDDEN] * 9),
    # Open data (docs/open-data.md): public, the same for everyone; nothing is published
    # in the seeded site, so every item is missing and the lists are empty.
    (r"^opendata_api:(region|department|category|publication|power)-list$", EVERYONE),
    (r"^opendata_api:(region-detail|department-detail|power-detail|power-versions|power-version|power-version-svg)$",
     [HIDDEN] * 9),
    (r"^open-api-(schema|docs)$", EVERYONE),
    (r"^opendata:(datasets|catalogue|catalogue_turtle)$", EVERYONE),
    (r"^opendata:download$", ["404"] * 9),
    # Publication PDFs (docs/pdfs.md): public once rendered; the seeded site has none.
    (r"^disclosure:pdf$", ["404"] * 9),
    (r"^disclosure:(region_changes|region_changes_feed)$", ["200/200/404"] * 9),
    # The non-disclosure register and adjustment notes (docs/non-disclosure.md): the lists
    # are scoped; a clerk of the department files and edits; the office reads its level.
    (r"^disclosure:(non_disclosure_list|adjustment_list)$", SIGNED_IN_PAGE),
    (r"^disclosure:(non_disclosure_create|adjustment_create)$", ["L", "200"] + ["403"] * 7),
    (r"^disclosure:(non_disclosure|adjustment)$", [L3, READ, READ, READ, READ, READ, HIDDEN, READ, ALL]),
    (r"^disclosure:(non_disclosure_edit|adjustment_edit)$", [L3, READ] + [ROLE403] * 4 + [HIDDEN, ROLE403, "403/403/404"]),
    # Retracting a power published in error: the office of its region only. The record is
    # read by the department and by the offices and supervisors of its region and above.
    (r"^disclosure:retract$", [L3, ROLE403, ROLE403, READ, ROLE403, ROLE403, HIDDEN, ROLE403, "403/403/404"]),
    (r"^disclosure:retraction$", [L3, READ, READ, ALL, ALL, ALL, HIDDEN, ALL, ALL]),
    # Publishing: the department reviewer of the department. Departments are public (the
    # portal lists them), so refusing another region's department with a reason is no oracle.
    (r"^disclosure:publish$", [L3, "403/403/404", "200/403/404"] + ["403/403/404"] * 6),
    # E-supervision: cases and alerts of the department (department roles) or of the
    # region and below (supervisor); an approval system pushes events with its own token.
    (r"^api:supervision_events$", ["403"] * 9),
    (r"^supervision:board$", ["L", "403", "403", "403", "403", "403", "403", "200", "200"]),
    (r"^supervision:(case_list|alert_list)$", ["L", "200", "200", "403", "403", "403", "403", "200", "200"]),
    (r"^supervision:case_create$", ["L", "200", "403", "403", "403", "403", "403", "403", "403"]),
    (r"^supervision:(case_detail|alert_detail)$", [L3, READ, READ, HIDDEN, HIDDEN, HIDDEN, HIDDEN, ALL, ALL]),
    # Inspections (supervision.inspections): read like cases; planned, recorded and checked
    # by the supervisors of the department's own region (a provincial supervisor reads a
    # city's, and is refused acting on it with a reason).
    (r"^supervision:(inspection_list|rectification_list|accountability_list)$", SIGNED_IN_PAGE),
    (r"^supervision:inspection_create$", ["L", "403", "403", "403", "403", "403", "403", "200", "403"]),
    (r"^supervision:riskpoint_coverage$", ["L", "200", "200", "200", "403", "403", "403", "200", "200"]),
    (r"^supervision:(inspection_detail|rectification_detail)$",
     [L3, READ, READ, HIDDEN, HIDDEN, HIDDEN, HIDDEN, ALL, ALL]),
    (r"^supervision:(rectification_create|accountability_create)$",
     [L3, ROLE403, ROLE403, HIDDEN, HIDDEN, HIDDEN, HIDDEN, "200/403/404", "403/403/404"]),
    # Assessment: the region's office reviewers and supervisors (and above); weights by the
    # region's office; a department reviewer reads their own department; the public page
    # (published results only) is everyone's. Departments are public: no oracle in a 403.
    (r"^supervision:assessment$", ["L", "403", "403", "200", "403", "403", "403", "200", "200"]),
    (r"^supervision:assessment_weights$", ["L", "403", "403", "200", "403", "403", "403", "403", "200"]),
    (r"^supervision:(assessment_compute|assessment_export)$", ["L"] + ["405"] * 8),
    (r"^supervision:assessment_department$",
     [L3, "403/403/404", "200/403/404", "200/200/404", "403/403/404", "403/403/404", "403/403/404",
      "200/200/404", "200/200/404"]),
    (r"^supervision:assessment_public$", ["200/200/404"] * 9),
    # Complaints: supervisors of the region and below read them whole (the handling
    # region acts and opens attachments), the department its redacted copy once assigned;
    # the public pages need no account; the captcha's images are served locally.
    (r"^supervision:complaint_list$", ["L", "302", "302", "403", "403", "403", "403", "200", "200"]),
    (r"^supervision:complaint_copy_list$", ["L", "200", "200", "403", "403", "403", "403", "403", "403"]),
    (r"^supervision:complaint_detail$", [L3, "302/404/404", "302/404/404", HIDDEN, HIDDEN, HIDDEN, HIDDEN, ALL, ALL]),
    (r"^supervision:complaint_copy$", [L3, READ, READ, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN]),
    (r"^supervision:complaint_attachment$",
     [L3, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, "200/403/404", "403/403/404"]),
    (r"^supervision:complaint_(action|identity)$", [L3] + [POST3] * 8),
    (r"^complaints:(new|track)$", EVERYONE),
    (r"^complaints:status$", ["302"] * 9),
    (r"^complaints:(track_end|status_action)$", ["405"] * 9),
    (r"^captcha-image(-2x)?$", ["410"] * 9),
    (r"^captcha-(audio|refresh)$", ["404"] * 9),
    # The working-day calendar: administrators; the calendar of 2026 is not entered here.
    (r"^supervision:calendar_list$", ["L"] + ["403"] * 7 + ["200"]),
    (r"^supervision:calendar_year$", [L3] + [NOT_CLERK] * 7 + [HIDDEN]),
    # Workspace; the clerk's page (/workspace/clerk/) for the clerk and the administrator.
    (r"^powerlist:workspace$", SIGNED_IN_PAGE),
    (r"^powerlist:workspace_role$", ["L", "200", "403", "403", "403", "403", "403", "403", "200"]),
    # Powers and the catalogue.
    (r"^powerlist:(power_list|catalogue|catalogue_working|power_import_template|power_export|flowchart_list"
     r"|password_change)$", SIGNED_IN_PAGE),
    (r"^powerlist:(power_create|power_adopt|power_import|post_create)$",
     ["L", "200", "403", "403", "403", "403", "403", "403", "403"]),
    (r"^powerlist:power_import_preview$", [L3, READ] + [NOT_CLERK] * 7),
    (r"^powerlist:(power_detail|flowchart_detail|flowchart_svg)$",
     [L3, READ, READ, READ, READ, READ, HIDDEN, READ, ALL]),
    (r"^powerlist:(power_edit|flowchart_edit)$",
     [L3, READ, ROLE403, ROLE403, ROLE403, ROLE403, HIDDEN, ROLE403, "403/403/404"]),
    (r"^powerlist:power_create_sub_item$", [L3, READ] + [NOT_CLERK] * 7),
    # GET on the family action has no action to show: 404 (it is a POST target).
    (r"^powerlist:power_family_action$", [L3] + [HIDDEN] * 8),
    (r"^powerlist:(review_batch|flowchart_category_create)$", ["L"] + ["405"] * 8),
    (r"^powerlist:(review_action|flowchart_preview)$", [L3] + [POST3] * 8),
    # A power with a flowchart: its start page redirects to the chart.
    (r"^powerlist:flowchart_start$", [L3, "302/404/404", "302/404/404", "302/404/404", "302/404/404",
                                      "302/404/404", HIDDEN, "302/404/404", "302/302/404"]),
    # Posts: department roles read their department, region roles their region and below.
    (r"^powerlist:post_list$", ["L", "200", "200", "200", "200", "200", "403", "200", "200"]),
    (r"^powerlist:(post_list_department|post_detail)$", [L3, READ, READ, ALL, ALL, ALL, HIDDEN, ALL, ALL]),
    (r"^powerlist:(post_edit|post_delete)$",
     [L3, READ, ROLE403, "403/403/404", "403/403/404", "403/403/404", HIDDEN, "403/403/404", "403/403/404"]),
    # User administration: the administrator (department administrators are tested in
    # tests/powerlist/org).
    (r"^powerlist:user_admin_(list|create|import|import_template|divisions)$", ["L"] + ["403"] * 7 + ["200"]),
    (r"^powerlist:user_admin_detail$", [L3] + [NOT_CLERK] * 7 + [ALL]),
    (r"^powerlist:user_admin_(deactivate|reactivate|password_reset|role_grant|role_revoke|stand_in_grant"
     r"|administrator_grant|grant_revoke)$", [L3] + [POST3] * 8),
]


def expectation(name):
    for pattern, cells in EXPECTED:
        if re.search(pattern, name):
            return cells
    return None


def test_every_url_has_an_expectation():
    missing = [f"no expectation for URL name {url.name} ({url.route})" for url in site_urls()
               if expectation(url.name) is None]
    assert not missing, "\n".join(missing)


def test_every_expectation_names_a_url():
    names = [url.name for url in site_urls()]
    unused = [pattern for pattern, _cells in EXPECTED if not any(re.search(pattern, n) for n in names)]
    assert not unused, unused


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_answers_every_role_as_written(org):
    site = Site(org)
    wrong, oracles = [], []
    clients = {role: _client(site.users.get(role)) for role in ROLES}
    for url in site_urls():
        cells = expectation(url.name)
        assert cells is not None, f"no expectation for URL name {url.name}"
        has_object = bool(object_resources(url))
        for role, cell in zip(ROLES, cells, strict=True):
            client, user = clients[role], site.users.get(role)
            scopes = ("in", "out", "missing") if has_object else ("in",)
            responses = [client.get(site.path(url, scope, user)) for scope in scopes]
            got = "/".join(answer(r) for r in responses)
            if got != cell:
                wrong.append(f"{url.name} as {role}: expected {cell}, got {got}")
            if has_object and cell.split("/")[1] == "404":  # the role may not read the out-of-scope object
                out, missing = responses[1], responses[2]
                same = out.status_code == missing.status_code and (
                    not url.is_api or out.content == missing.content)
                if not same:
                    oracles.append(f"{url.name} as {role}: out of scope {out.status_code} {out.content[:120]!r}"
                                   f" ≠ missing {missing.status_code} {missing.content[:120]!r}")
    assert not wrong and not oracles, "\n".join(wrong + oracles)
