"""Factories and helpers for disclosure tests: confirmed powers with realistic names,
confirmed flowcharts, and canaries that must never be published."""

from django.utils import timezone

from powerlist.catalogue.services import power_update
from powerlist.flowcharts.models import Flowchart, Step, StepTransition
from powerlist.flowcharts.services import flowchart_freeze_revision
from powerlist.models import Category
from powerlist.posts.models import Post
from powerlist.review.engine import review_approve, review_return, review_start_revision, review_submit
from powerlist.review.models import ReviewState
from tests.powerlist.factories import PowerFactory
from tests.powerlist.helpers import confirm

CATEGORIES = {
    "XK": ("行政许可", "许可", 10),
    "CF": ("行政处罚", "处罚", 20),
    "JF": ("行政给付", "给付", 30),
    "QR": ("行政确认", "确认", 40),
}


def category(code):
    name, short, order = CATEGORIES[code]
    return Category.objects.get_or_create(code=code, defaults={"name": name, "short_name": short, "order": order})[0]


def confirmed_power(org, *, name, code, category_code="XK", department=None, division=None, **fields):
    """A power walked through the whole review chain: its revision 1 is in force."""
    department = department or org.dept
    division = division or (org.division if department == org.dept else department.divisions.first())
    power = PowerFactory(department=department, division=division, name=name, code=code,
                         category=category(category_code), **fields)
    users = org
    if department == org.city_dept:
        users = _city_users(org)
    return confirm(users, power)


def _city_users(org):
    class Users:
        clerk, dept_reviewer, office_reviewer = org.city_clerk, org.city_reviewer, org.city_office_reviewer
        establishment, legal = org.city_establishment, org.city_legal
    return Users


def revise(org, power, **data):
    """Open a revision of a confirmed power and save `data` into the working copy."""
    power = review_start_revision(user=org.clerk, obj=power)
    return power_update(user=org.clerk, power=power, data=data)


def revise_and_confirm(org, power, **data):
    return confirm(org, revise(org, power, **data))


def canary_draft(org, name="金丝雀草稿事项审批"):
    return PowerFactory(department=org.dept, division=org.division, name=name, code="210000-XK-CANARY1",
                        category=category("XK"))


def canary_under_review(org, name="金丝雀审核中修订名称"):
    """A confirmed power whose revision (renamed to `name`) waits in office review."""
    power = confirmed_power(org, name="建设工程消防设计审查", code="210000-XK-CANARY2")
    power = revise(org, power, name=name)
    power = review_submit(user=org.clerk, obj=power)
    return review_approve(user=org.dept_reviewer, obj=power)


def canary_returned(org, name="金丝雀退回事项许可"):
    power = PowerFactory(department=org.dept, division=org.division, name=name, code="210000-XK-CANARY3",
                         category=category("XK"))
    power = review_submit(user=org.clerk, obj=power)
    return review_return(user=org.dept_reviewer, obj=power, comment="材料不全,请补充。")


def confirmed_flowchart(power, *, steps):
    """A power flowchart confirmed directly (as the review chain's last step would):
    `steps` is [(name, post name or None, days)]; the steps run in order."""
    chart = Flowchart.objects.create(kind=Flowchart.Kind.POWER, region=power.region, department=power.department,
                                     category=power.category, power=power, division=power.division,
                                     title=f"{power.name}流程图", state=ReviewState.CONFIRMED,
                                     confirmed_at=timezone.now())
    made = []
    for n, (name, post_name, days) in enumerate(steps):
        post = None
        if post_name:
            post = Post.objects.get_or_create(department=power.department, name=post_name,
                                              defaults={"duties": f"负责{name}。"})[0]
        made.append(Step.objects.create(
            flowchart=chart, order=n, name=name, post=post, time_limit_days=days, is_final=n == len(steps) - 1,
            complaint_channels="投诉电话:024-12345" if n == 0 else "",
        ))
    for a, b in zip(made, made[1:]):
        StepTransition.objects.create(flowchart=chart, source=a, target=b)
    flowchart_freeze_revision(flowchart=chart)
    return chart


def record_non_disclosure(org, power, *, kind="withheld", ground="state_secret", legal_basis="《中华人民共和国保守国家秘密法》第十三条",
                          reason="事项内容涉及国家秘密。", expected_date=None):
    """A non-disclosure entry filed by the clerk and recorded by the office."""
    from disclosure.register_services import non_disclosure_create, register_record, register_submit

    clerk, office = (org.clerk, org.office_reviewer) if power.department_id == org.dept.pk else (
        org.city_clerk, org.city_office_reviewer)
    record = non_disclosure_create(user=clerk, power=power, data={
        "kind": kind, "ground": ground, "legal_basis": legal_basis, "reason": reason, "expected_date": expected_date})
    record = register_submit(user=clerk, obj=record)
    return register_record(user=office, obj=record, comment="同意备案。")


def canary_withheld(org, name="金丝雀不予公开事项"):
    """A confirmed power the register withholds: never on any public page."""
    power = confirmed_power(org, name=name, code="210000-XK-CANARY4")
    record_non_disclosure(org, power)
    return power
