"""factory_boy factories for inspections, findings and rectifications."""

import datetime

import factory
from factory.django import DjangoModelFactory

from supervision.models import Complaint, Finding, InspectionPlan, Rectification
from tests.powerlist.factories import DepartmentFactory, UserFactory


class InspectionPlanFactory(DjangoModelFactory):
    class Meta:
        model = InspectionPlan

    department = factory.SubFactory(DepartmentFactory)
    region = factory.SelfAttribute("department.region")
    title = "2026 年第四季度行政审批专项检查"
    period_start = datetime.date(2026, 10, 1)
    period_end = datetime.date(2026, 12, 31)
    created_by = factory.SubFactory(UserFactory)


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    plan = factory.SubFactory(InspectionPlanFactory)
    region = factory.SelfAttribute("plan.region")
    department = factory.SelfAttribute("plan.department")
    description = "审查环节未执行两人以上审查制度"
    recorded_by = factory.SelfAttribute("plan.created_by")


class RectificationFactory(DjangoModelFactory):
    class Meta:
        model = Rectification

    finding = factory.SubFactory(FindingFactory)
    region = factory.SelfAttribute("finding.region")
    department = factory.SelfAttribute("finding.department")
    requirement = "建立并落实两人以上审查制度"
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


class ComplaintFactory(DjangoModelFactory):
    """A complaint row as the complaint flow leaves it (states and stamps set directly:
    the assessment and the fired risk points only read them)."""

    class Meta:
        model = Complaint

    tracking_code = factory.Sequence(lambda n: f"TS{n:08d}")
    phrase_hash = "x"
    department = factory.SubFactory(DepartmentFactory)
    region = factory.SelfAttribute("department.region")
    subject = "power"
    title = "办理拖延"
    content = "办理拖延"
    content_redacted = "办理拖延"
    accept_due_on = datetime.date(2026, 12, 31)
