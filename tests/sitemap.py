"""The site as the machines see it: every URL discovered from the URL conf, and a seeded
organisation with, for each kind of object a URL names, one the user may read (in scope)
and one they may not (out of scope: a draft of another region's department), plus an id
that does not exist. Used by tests/test_fuzz_inputs.py and tests/test_permission_matrix.py.

A new URL whose path parameter is not in PATH_VALUES fails those tests with "no value for
path parameter …", so a new route is walked from the day it exists.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from powerlist.catalogue.models import ImportUpload
from powerlist.models import Job, Notification
from powerlist.org.models import STAND_IN_PERMISSION, DepartmentUserObjectPermission
from powerlist.org.roles import Role
from supervision.models import Alert, Case
from tests.powerlist.factories import PowerFactory, make_user
from tests.powerlist.flowchart_helpers import PostFactory, linear
from tests.powerlist.spreadsheet_helpers import row, xlsx
from tests.riskpoints.factories import BenchmarkFactory, CountermeasureFactory, RiskPointFactory
from tests.supervision.factories import case_system, confirmed_power, push
from tests.supervision.inspection_factories import RectificationFactory

# Not walked: Django's admin (its own permission system, tested by Django) and the
# development-only media route.
SKIPPED = re.compile(r"^(admin:|\?$)")
MISSING_ID = 987_654_321
# Objects that belong to one user: in scope is the requester's own.
OWN_RESOURCES = {"notification", "job", "upload"}


@dataclass(frozen=True)
class SiteUrl:
    name: str
    route: str
    params: tuple

    @property
    def is_api(self):
        return self.route.startswith("api/")


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "?")
            yield SiteUrl(name=name, route=prefix + str(entry.pattern),
                          params=tuple(entry.pattern.regex.groupindex))


def site_urls():
    """Every named URL of the site (pages and API), admin and media left out; a name
    that appears twice (one view at two routes) is kept once per route."""
    return [url for url in _walk(get_resolver()) if not SKIPPED.match(url.name)]


# Which object a path parameter names, by URL name (first match wins), and values
# that are the same for every scope.
PATH_VALUES = [
    (r"^riskpoints:measure_(edit|delete|in_force|attachment)$", "pk", "measure"),
    (r"^riskpoints:benchmark_(detail|edit)$", "pk", "benchmark"),
    (r"^riskpoints:", "pk", "riskpoint"),
    (r"^riskpoints:", "power_pk", "power"),
    (r"^api:benchmark-", "pk", "benchmark"),
    (r"^api:riskpoint-", "pk", "riskpoint"),
    (r"^api:power-", "pk", "power"),
    (r"^api:flowchart-", "pk", "flowchart"),
    (r"^api:post-", "pk", "post"),
    (r"^api:notification-", "pk", "notification"),
    (r"^api:flow-", "pk", "power"),
    (r"^notifications:", "pk", "notification"),
    (r"^powerlist:power_import_preview$", "pk", "upload"),
    (r"^powerlist:job_", "pk", "job"),
    (r"^powerlist:flowchart_", "pk", "flowchart"),
    (r"^powerlist:flowchart_start$", "power_pk", "power"),
    (r"^powerlist:post_list_department$", "department_id", "department"),
    (r"^powerlist:post_", "pk", "post"),
    (r"^powerlist:(power_|review_action$)", "pk", "power"),
    (r"^powerlist:power_create_sub_item$", "parent_pk", "power"),
    (r"^powerlist:user_admin_grant_revoke$", "grant_pk", "grant"),
    (r"^powerlist:user_admin_", "pk", "user"),
    (r"^supervision:calendar_year$", "year", "year"),
    (r"^supervision:case_", "pk", "case"),
    (r"^supervision:alert_", "pk", "alert"),
    (r"^supervision:inspection_detail$", "pk", "inspection"),
    (r"^supervision:(rectification_create|accountability_create)$", "pk", "finding"),
    (r"^supervision:rectification_detail$", "pk", "rectification"),
    (r"^supervision:assessment_department$", "pk", "department"),
    (r"^supervision:assessment_public$", "region_code", "region"),
    (r"^supervision:complaint_attachment$", "attachment_id", "complaint_attachment"),
    (r"^supervision:complaint_", "pk", "complaint"),
    (r"^opendata_api:region-detail$", "code", "region"),
    (r"^opendata_api:department-detail$", "pk", "department"),
    (r"^opendata_api:", "region_code", "region"),
    (r"^opendata_api:", "code", "power_code"),
    (r"^disclosure:non_disclosure", "pk", "non_disclosure"),
    (r"^disclosure:adjustment", "pk", "adjustment"),
    (r"^disclosure:retraction$", "pk", "retraction"),
    (r"^disclosure:retract$", "power_id", "power"),
    (r"^disclosure:", "region_code", "region"),
    (r"^disclosure:", "department_id", "department"),
    (r"^disclosure:", "category_id", "category"),
    (r"^disclosure:", "code", "power_code"),
]
CONSTANT_VALUES = {"label": "powerlist.power", "action": "submit", "review_action": "submit", "slug": "clerk",
                   "role": "clerk", "version": 1, "fmt": "xlsx", "key": "nosuchcaptchakey",
                   "identifier": "nosuchdataset", "file_id": 987654321}
# Path values that are not the object's pk.
VALUE_ATTRIBUTE = {"region": "code", "power_code": "code"}


def resource_of(url, param):
    for pattern, name, resource in PATH_VALUES:
        if name == param and re.search(pattern, url.name):
            return resource
    if param in CONSTANT_VALUES:
        return None
    raise LookupError(f"no value for path parameter {param!r} of URL {url.name} ({url.route}): "
                      "add it to tests/sitemap.py PATH_VALUES")


def object_resources(url):
    """The kinds of object the URL's path names (empty: a URL without an object)."""
    return [r for r in (resource_of(url, p) for p in url.params) if r is not None]


class Site:
    """The org fixture's users plus, per resource, an in-scope and an out-of-scope
    object. Objects that belong to a user (notices, jobs, uploads) exist for each user:
    in scope is the requester's own, out of scope another region's clerk's."""

    def __init__(self, org):
        self.org = org
        self.users = {
            "clerk": org.clerk, "department_reviewer": org.dept_reviewer, "office_reviewer": org.office_reviewer,
            "establishment_confirmer": org.establishment, "legal_confirmer": org.legal, "expert": org.expert,
            "supervisor": org.supervisor, "administrator": org.admin,
        }
        power = PowerFactory(department=org.dept, division=org.division, code="210000-XK-SITE-1")
        city_power = PowerFactory(department=org.city_dept, division=org.city_division, region=org.city,
                                  code="210100-XK-SITE-1")
        riskpoint, city_riskpoint = RiskPointFactory(power=power), RiskPointFactory(power=city_power)
        self.shared = {
            "power": (power, city_power),
            "flowchart": (linear(power, ["受理", "决定"]), linear(city_power, ["受理", "决定"])),
            "post": (PostFactory(department=org.dept, name="审核岗"),
                     PostFactory(department=org.city_dept, name="审核岗")),
            "riskpoint": (riskpoint, city_riskpoint),
            "measure": (CountermeasureFactory(riskpoint=riskpoint), CountermeasureFactory(riskpoint=city_riskpoint)),
            "benchmark": (BenchmarkFactory(power=power), BenchmarkFactory(power=city_power)),
            "department": (org.dept, org.city_dept),
            "user": (org.clerk, org.city_clerk),
            "grant": (self._grant(org.dept), self._grant(org.city_dept)),
            "region": (org.province, org.city),
            "category": (power.category, city_power.category),
            "power_code": (power, city_power),
        }
        for department, code in ((org.dept, "site-1"), (org.city_dept, "site-2")):
            push(case_system(department, code=code), [("received", "2026-11-02 09:00",
                                                       {"power": confirmed_power(department).code})],
                 today=datetime.date(2026, 12, 30))
        self.shared["case"] = tuple(Case.objects.get(department=d) for d in (org.dept, org.city_dept))
        self.shared["alert"] = tuple(Alert.objects.filter(department=d).order_by("pk").first()
                                     for d in (org.dept, org.city_dept))
        rectifications = tuple(RectificationFactory(finding__plan__department=d, finding__plan__created_by=org.supervisor)
                               for d in (org.dept, org.city_dept))
        self.shared["rectification"] = rectifications
        self.shared["finding"] = tuple(r.finding for r in rectifications)
        self.shared["inspection"] = tuple(r.finding.plan for r in rectifications)
        self.shared["complaint"], self.shared["complaint_attachment"] = self._complaints(org)
        self.shared.update(self._register(org, power, city_power))
        self.own = {}
        for user in [*self.users.values(), org.city_clerk]:
            self.own[user.pk] = {
                "notification": Notification.objects.create(recipient=user, kind=Notification.Kind.QUEUE,
                                                            title="待办", url="/workspace/"),
                "job": Job.objects.create(kind="power_export", user=user),
                "upload": self._upload(user),
            }

    @staticmethod
    def _complaints(org):
        """A complaint about the province's department, assigned (so the department holds
        its redacted copy), and one about the city's, each with an attachment."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from supervision.complaints.services import complaint_accept, complaint_assign, complaint_file

        complaints = []
        for department in (org.dept, org.city_dept):
            png = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
            complaint, _phrase = complaint_file(subject="department", department=department, title="窗口推诿",
                                                content="窗口推诿。", is_anonymous=True, attachments=[png])
            complaints.append(complaint)
        complaint_assign(user=org.supervisor, complaint=complaint_accept(user=org.supervisor, complaint=complaints[0]))
        return tuple(complaints), tuple(c.attachments.get() for c in complaints)

    @staticmethod
    def _register(org, power, city_power):
        """A draft non-disclosure entry and adjustment note of each department (filed by
        its clerk), and a retraction recorded by each region's office."""
        from disclosure.register import Retraction, RetractionState
        from disclosure.register_services import adjustment_note_create, non_disclosure_create

        data = {"kind": "withheld", "ground": "state_secret", "legal_basis": "《保守国家秘密法》第九条",
                "reason": "涉及国家秘密。", "expected_date": None}
        note = {"title": "职能调整", "reason": "机构改革。", "ground": "《机构改革方案》",
                "effective_date": datetime.date(2026, 12, 1)}
        pairs = ((org.clerk, org.dept, power), (org.city_clerk, org.city_dept, city_power))
        return {
            "non_disclosure": tuple(non_disclosure_create(user=u, power=p, data=dict(data)) for u, _d, p in pairs),
            "adjustment": tuple(adjustment_note_create(user=u, department=d, data=dict(note), items=[
                {"change": "changed", "code": p.code, "detail": "承办处室调整。"}]) for u, d, p in pairs),
            "retraction": tuple(Retraction.objects.create(region_id=p.region_id, department_id=p.department_id,
                                                          power=p, state=RetractionState.RETRACTED,
                                                          explanation="误将内部事项公开。") for _u, _d, p in pairs),
        }

    def _grant(self, department):
        stand_in = make_user(Role.CLERK, department)
        return DepartmentUserObjectPermission.objects.create(
            user=stand_in, content_object=department,
            permission=Permission.objects.get(codename=STAND_IN_PERMISSION),
            valid_until=datetime.date.today() + datetime.timedelta(days=30))

    @staticmethod
    def _upload(user):
        upload = ImportUpload(user=user, department=user.department, filename="清单.xlsx")
        upload.file.save("清单.xlsx", ContentFile(xlsx([row("210000-XK-UPLOAD-1")])), save=False)
        upload.save()
        return upload

    def object(self, resource, scope, user):
        """scope: "in", "out" or "missing" (an id no object has)."""
        if resource == "year":
            return 2026 if scope != "missing" else 1999
        if scope == "missing":
            return None
        if resource in OWN_RESOURCES:
            owner = user if (scope == "in" and user is not None) else self.org.city_clerk
            return self.own[owner.pk][resource]
        return self.shared[resource][0 if scope == "in" else 1]

    def path(self, url, scope="in", user=None):
        kwargs = {}
        for param in url.params:
            resource = resource_of(url, param)
            if resource is None:
                kwargs[param] = CONSTANT_VALUES[param]
                continue
            obj = self.object(resource, scope, user)
            if isinstance(obj, int):
                kwargs[param] = obj
            elif obj is None:
                kwargs[param] = MISSING_ID if resource != "job" else "00000000-0000-4000-8000-000000000000"
            else:
                kwargs[param] = getattr(obj, VALUE_ATTRIBUTE.get(resource, "pk"))
        return reverse(url.name, kwargs=kwargs)

