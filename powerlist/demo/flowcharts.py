"""Demo posts and flowcharts: the province 发展改革委's post descriptions, its category
flowcharts for 许可, 审批 and 处罚, and a flowchart for every demo power (copied from
its category flowchart, as a clerk would start one). Flowcharts of confirmed powers
go through the real review chain and are confirmed too; the others stay drafts.

Runs after demo_catalogue. Idempotent: posts by name, flowcharts per power.
"""

from powerlist.catalogue.models import Category, Power
from powerlist.flowcharts.category_templates import PLACEHOLDER
from powerlist.flowcharts.content import flowchart_content, flowchart_time_check
from powerlist.flowcharts.models import Flowchart
from powerlist.flowcharts.services import flowchart_create_for_category, flowchart_create_for_power, flowchart_save
from powerlist.org.models import Division, User
from powerlist.org.roles import Role
from powerlist.posts.models import Post
from powerlist.posts.services import post_create
from powerlist.review.engine import review_approve, review_confirm_establishment, review_confirm_legal, review_submit
from powerlist.review.models import ReviewState

# (name, division, duties, qualifications)
POSTS = (
    ("受理岗", "办公室", "接收申请材料,审查材料是否齐全、是否符合法定形式,出具受理或不予受理凭证;一次性告知需补正的材料。",
     "熟悉本部门行政许可、审批事项的条件和程序;具有两年以上相关工作经历。"),
    ("审查岗", "投资处", "对申请材料进行实质审查,组织现场核查和专家评审,提出审查意见。",
     "具有相关专业知识;与申请人有利害关系的应当回避。"),
    ("审批岗(分管领导)", None, "对审查意见进行审核,作出准予或不予许可、审批的决定;重大事项提交集体研究。",
     "委领导班子成员。"),
    ("送达岗", "办公室", "制作、送达决定文书和证件,公开办理结果,归档。", "熟悉文书送达程序。"),
    ("案件承办岗", "价格处", "价格违法案件的立案、调查取证、告知和文书制作。", "持有行政执法证件;不少于两人共同办案。"),
    ("法制审核岗", "政策法规处", "对重大行政处罚和重大行政决定进行法制审核。", "具有法律职业资格或法律专业背景。"),
    ("听证主持岗", "政策法规处", "主持行政处罚听证,制作听证笔录和听证报告。", "非本案调查人员;熟悉听证程序。"),
    ("执行岗", "价格处", "督促当事人履行处罚决定,依法申请强制执行。", "持有行政执法证件。"),
    ("审核岗", "投资处", "审核、确认、给付等事项的材料审核和公示。", "熟悉相关政策规定。"),
)
DIVISION_CLERKS = {"投资处": "clerk", "价格处": "clerk_price", "政策法规处": "clerk_policy", "办公室": "clerk_general"}
CONTACTS = {
    "投诉举报电话:" + PLACEHOLDER: "投诉举报电话:024-22851234(省发展改革委机关纪委)",
    "通信地址:" + PLACEHOLDER: "通信地址:沈阳市皇姑区北京街1号,邮编110032",
    "网上投诉:" + PLACEHOLDER: "网上投诉:辽宁省权力公开透明运行网“投诉举报”栏目",
}
CATEGORY_CHARTS = ("XK", "SP", "CF")
# The one demo chart left over its promised time limit, so the warning can be seen.
OVER_LIMIT_DEMO = "XK-001"


def _fill_contacts(text):
    for placeholder, value in CONTACTS.items():
        text = text.replace(placeholder, value)
    return text


def _adapt(content, power=None):
    """Fill in the department's complaint channels; fit step time limits into the
    power's promised limit (except the demo of the warning)."""
    for step in content["steps"]:
        for field in ("complaint_channels", "counterpart_rights", "handling_rules", "duty_requirements"):
            step[field] = _fill_contacts(step.get(field) or "")
    if power is not None and not power.code.endswith(OVER_LIMIT_DEMO):
        check = flowchart_time_check(content, power=power)
        if check["warning"] and check["total"]:
            ratio = check["limit"] / check["total"]
            for step in content["steps"]:
                if step.get("time_limit_days"):
                    step["time_limit_days"] = int(step["time_limit_days"] * ratio)
    return content


def _save(user, chart, power=None):
    flowchart_save(user=user, flowchart=chart, content=_adapt(flowchart_content(chart), power))
    chart.refresh_from_db()
    return chart


def _posts(fgw, clerk):
    divisions = {d.name: d for d in Division.objects.filter(department=fgw)}
    existing = set(Post.objects.filter(department=fgw).values_list("name", flat=True))
    for order, (name, division, duties, qualifications) in enumerate(POSTS):
        if name not in existing:
            post_create(user=clerk, department=fgw, data={
                "name": name, "division": divisions.get(division), "duties": duties,
                "qualifications": qualifications, "order": order,
            })


def _confirm(chart, clerk, users):
    chart = review_submit(user=clerk, obj=chart)
    chart = review_approve(user=users["dept_reviewer"], obj=chart, comment="流程符合法定程序,同意报送。")
    chart = review_approve(user=users["office_reviewer"], obj=chart, comment="同意提交最终确认。")
    chart = review_confirm_establishment(user=users["establishment"], obj=chart, comment="")
    return review_confirm_legal(user=users["legal"], obj=chart, comment="流程合法。")


def seed(ctx):
    fgw, users = ctx["fgw"], ctx["users"]
    clerk = users["clerk"]
    _posts(fgw, clerk)
    categories = {c.code: c for c in Category.objects.filter(code__in=CATEGORY_CHARTS)}
    for code in CATEGORY_CHARTS:
        category = categories[code]
        if not Flowchart.objects.filter(kind=Flowchart.Kind.CATEGORY, department=fgw, category=category).exists():
            _save(clerk, flowchart_create_for_category(user=clerk, department=fgw, category=category))

    clerks = {u.division.name: u for u in User.objects.filter(
        username__in=DIVISION_CLERKS.values(), department=fgw).select_related("division")}
    city_clerk = users.get("city_clerk")
    made = 0
    powers = Power.objects.filter(department__in=[fgw, ctx.get("city_fgw")], flowchart__isnull=True)
    for power in powers.select_related("division", "department", "category").order_by("pk"):
        owner = clerks.get(power.division.name) if power.department_id == fgw.pk else city_clerk
        if owner is None or not owner.has_role(Role.CLERK):
            continue
        chart = _save(owner, flowchart_create_for_power(user=owner, power=power), power)
        if power.department_id == fgw.pk and power.state == ReviewState.CONFIRMED:
            _confirm(chart, owner, users)
        made += 1
    stdout = ctx.get("stdout")
    if stdout is not None:
        stdout.write(f"Demo flowcharts: {made} power flowcharts, {len(CATEGORY_CHARTS)} category flowcharts, "
                     f"{Post.objects.filter(department=fgw).count()} posts of {fgw}.")
    return ctx
