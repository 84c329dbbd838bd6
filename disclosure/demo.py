"""Demo publications, called by seed_demo after powerlist's and riskpoints' seeds
(ctx["fgw"], ctx["city_fgw"], ctx["users"]): the province 发展改革委 publishes twice,
with one sub-item revised and confirmed in between (so the portal shows a history and a
difference), and the city 发展改革委 once, when it has a confirmed power (the demo's city
adoptions are not confirmed yet). Idempotent: a department that published
already is left alone."""

from powerlist.catalogue.services import power_update
from powerlist.models import Power
from powerlist.review.engine import (
    review_approve, review_confirm_establishment, review_confirm_legal, review_start_revision, review_submit,
)
from powerlist.review.models import ReviewState

from disclosure.models import Publication
from disclosure.services import publication_create


def _revise_one(users, department):
    """Shorten the promised time limit of one confirmed sub-item, through the whole chain
    (a sub-item, so the main items keep the review states powerlist's demo shows)."""
    candidates = (
        Power.objects.filter(department=department, state=ReviewState.CONFIRMED, parent__isnull=False)
        .select_related("parent").order_by("code")
    )
    power = next((p for p in candidates if (p.promised_limit_days or p.parent.promised_limit_days or 0) > 2), None)
    if power is None:
        return None
    days = (power.promised_limit_days or power.parent.promised_limit_days) - 2
    power = review_start_revision(user=users["clerk"], obj=power)
    power = power_update(user=users["clerk"], power=power, data={"promised_limit_days": days})
    power = review_submit(user=users["clerk"], obj=power)
    power = review_approve(user=users["dept_reviewer"], obj=power)
    power = review_approve(user=users["office_reviewer"], obj=power)
    power = review_confirm_establishment(user=users["establishment"], obj=power)
    return review_confirm_legal(user=users["legal"], obj=power)


def seed(ctx):
    users, fgw, city_fgw = ctx.get("users"), ctx.get("fgw"), ctx.get("city_fgw")
    if not users or fgw is None:
        return
    if not Publication.objects.filter(department=fgw).exists():
        publication_create(user=users["dept_reviewer"], department=fgw,
                           note="首次公开本部门经确认的行政职权目录、运行流程图和廉政风险防控措施。")
        revised = _revise_one(users, fgw)
        if revised is not None:
            publication_create(
                user=users["dept_reviewer"], department=fgw,
                note=f"“{revised.name}”承诺办理时限压缩为{revised.promised_limit_days}个工作日。",
            )
        ctx["stdout"].write(f"Disclosure: {fgw.name} published {Publication.objects.filter(department=fgw).count()} times.")
    reviewer = users.get("city_reviewer")
    if city_fgw is not None and reviewer is not None and not Publication.objects.filter(department=city_fgw).exists():
        if Power.objects.filter(department=city_fgw, in_force__isnull=False).exists():
            publication_create(user=reviewer, department=city_fgw, note="首次公开本部门经确认的行政职权目录。")
            ctx["stdout"].write(f"Disclosure: {city_fgw.name} published once.")
