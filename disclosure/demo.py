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
    seed_register(ctx)


def seed_register(ctx):
    """One recorded non-disclosure entry (a draft power of the clerk's division that is
    to stay unpublished) and one recorded adjustment note naming a published power, in
    the demo department; after the publications, so their counts stay as they are.
    Idempotent: a department that has either already is left alone."""
    import datetime as dt

    from disclosure.register import AdjustmentNote, NonDisclosure
    from disclosure.register_services import (
        adjustment_note_create, non_disclosure_create, register_record, register_submit,
    )

    users, fgw = ctx.get("users"), ctx.get("fgw")
    if not users or fgw is None or "clerk" not in users or "office_reviewer" not in users:
        return
    clerk, office = users["clerk"], users["office_reviewer"]
    if not NonDisclosure.objects.filter(department=fgw).exists():
        power = (Power.objects.filter(department=fgw, state=ReviewState.DRAFT, in_force__isnull=True,
                                      division_id=clerk.division_id).order_by("code").first())
        if power is not None:
            record = non_disclosure_create(user=clerk, power=power, data={
                "kind": "deferred", "ground": "process", "legal_basis": "《中华人民共和国政府信息公开条例》第十六条第二款",
                "reason": "该事项的实施办法正在研究论证,属过程性信息,论证完成后公开。",
                "expected_date": dt.date(2027, 6, 30)})
            register_record(user=office, obj=register_submit(user=clerk, obj=record), comment="同意暂缓公开。")
            ctx["stdout"].write(f"Disclosure: {power.name} recorded as deferred (暂缓公开).")
    if not AdjustmentNote.objects.filter(department=fgw).exists():
        published = Power.objects.filter(department=fgw, in_force__isnull=False).order_by("code").first()
        if published is not None:
            note = adjustment_note_create(user=clerk, department=fgw, data={
                "title": "根据机构改革方案调整部分职责", "reason": "按照省级机构改革方案,优化价格监管职责分工。",
                "ground": "《辽宁省机构改革方案》", "effective_date": dt.date(2026, 11, 1)},
                items=[{"change": "changed", "code": published.code, "name": "", "detail": "明确由投资处承办"}])
            register_record(user=office, obj=register_submit(user=clerk, obj=note))
            ctx["stdout"].write("Disclosure: one adjustment note recorded.")
