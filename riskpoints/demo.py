"""Demo risk points, countermeasures and a discretion benchmark for the province
发展改革委's demo powers, in mixed review states, driven through the real services
(so the review log and the expert records are real).

Runs after powerlist's seed (ctx["fgw"], ctx["users"]). Does nothing when those
powers do not exist yet, or when the department already has risk points.
"""

import datetime

from django.utils import timezone

from powerlist.models import Post, Power, Step
from powerlist.review.engine import review_approve, review_return, review_submit
from riskpoints.models import Countermeasure, DiscretionBenchmark, RiskPoint
from riskpoints.services import (
    benchmark_create,
    countermeasure_create,
    countermeasure_mark_in_force,
    riskpoint_assign_experts,
    riskpoint_create,
    riskpoint_record_opinion,
)

DRAFT, DEPT, OFFICE, OFFICE_ANSWERED, RETURNED, CONFIRMED = (
    "draft", "department_review", "office_review", "office_answered", "returned", "confirmed")

K = Countermeasure.Kind
# power code suffix → (final state, [(stage, post, source, description, manifestation, likelihood, impact,
#   level, reason, indicator, [(kind, text, unit, deadline in days from today, in force?)])])
POINTS = {
    "XK-001": (CONFIRMED, [
        ("decision", "审批岗(分管领导)", "business_process", "违规核准不符合产业政策的项目",
         "对列入限制类、淘汰类目录的项目予以核准;拆分项目规避核准权限", 3, 5, "high",
         "涉及企业投资项目核准,按规则定为高等级", "核准项目事后抽查不符合产业政策比例", [
             (K.REVISED_RULE, "修订《企业投资项目核准办理规程》,明确产业政策符合性审查要点和否决情形", "投资处", 60, True),
             (K.SPLIT_POWER, "审查与决定分离:审查岗提出意见,重大项目经委主任办公会集体研究决定", "投资处", 30, True),
             (K.IT_MONITORING, "核准全流程在投资项目在线审批监管平台办理,电子监察实时比对产业目录", "信息中心", 120, False),
         ]),
        ("execution", "审查岗", "post_duties", "审查中故意拖延或降低标准,收受申请人好处",
         "超承诺时限不出具审查意见;对材料缺陷不一次性告知;与中介机构串通", 3, 4, "high",
         "审查岗直接接触申请人和中介机构", "超时限办理件数;一次性告知执行率", [
             (K.NEW_RULE, "建立审查岗回避和轮岗制度,审查人员与申请人有利害关系的应当回避", "投资处", -10, False),
             (K.IT_MONITORING, "审查环节时限在电子监察系统中自动预警、黄牌红牌督办", "信息中心", 90, False),
         ]),
    ]),
    "SP-001": (OFFICE_ANSWERED, [
        ("decision", "审批岗(分管领导)", "rules", "政府投资项目可研审批中擅自扩大建设规模、提高建设标准",
         "批复投资明显超出估算;对同类项目执行不同标准", 3, 5, "high",
         "涉及财政资金,按规则定为高等级", "批复投资与评估投资偏差率", [
             (K.NEW_RULE, "建立可研报告第三方评估和评估意见公开制度", "投资处", 45, False),
             (K.SPLIT_POWER, "评估机构由系统随机抽取,承办处室不得指定", "投资处", 30, False),
         ]),
    ]),
    "SP-003": (OFFICE, [
        ("execution", "审查岗", "business_process", "节能审查走过场,对未达能效标准的项目出具审查意见",
         "不组织专家评审即出具意见;专家评审意见未采纳不说明理由", 2, 4, "medium",
         "发生可能性较低,影响较大", "节能审查意见抽查不合格率", [
             (K.REVISED_RULE, "修订节能审查专家库管理办法,专家随机抽取、意见全文存档", "投资处", 60, False),
         ]),
    ]),
    "XK-003": (DEPT, [
        ("execution", "审查岗", "external", "招标代理机构资格认定中受中介机构围猎、说情打招呼",
         "对业绩材料造假的申请予以认定;认定结果与评分不符", 3, 3, "medium",
         "外部环境风险,评分9分", "认定结果投诉举报件数", [
             (K.OTHER, "认定结果和评分表在门户网站公示7日,接受社会监督", "投资处", 20, False),
         ]),
    ]),
    "CF-001": (CONFIRMED, [
        ("decision", "法制审核岗", "rules", "行政处罚中滥用自由裁量权,同案不同罚",
         "对情节相近的未批先建行为罚款幅度差距大;以罚代管", 4, 4, "high",
         "行政处罚类别按规则定为高等级", "同类案件罚款幅度偏离裁量基准的件数", [
             (K.DISCRETION, "制定《未批先建行为行政处罚自由裁量基准》,细化为较轻、一般、严重三个阶次", "政策法规处", 30, True),
             (K.NEW_RULE, "重大行政处罚决定须经法制审核和集体讨论", "政策法规处", 30, True),
         ]),
    ]),
    "CF-002": (RETURNED, [
        ("execution", "案件承办岗", "post_duties", "调查取证不全面,对规避招标行为选择性查处",
         "接到举报不立案;调查笔录与事实不符", 3, 4, "high",
         "行政处罚类别按规则定为高等级", "举报案件立案率", [
             (K.NEW_RULE, "建立举报线索登记、分办和结果反馈制度", "投资处", 30, False),
         ]),
    ]),
    "ZD-001": (CONFIRMED, [
        ("decision", "审批岗(分管领导)", "business_process", "预算内投资计划安排中搞“暗箱操作”,向关系项目倾斜",
         "未经集体研究调整计划;安排资金的项目不符合申报条件", 3, 5, "high",
         "内部重大事项决定,按规则定为高等级", "计划调整未经集体研究的次数", [
             (K.SPLIT_POWER, "资金安排实行处室初审、专家评审、主任办公会集体决定三分离", "投资处", 60, True),
             (K.OTHER, "年度计划和项目安排结果在门户网站公开", "办公室", 30, True),
         ]),
        ("supervision", "审核岗", "rules", "对资金使用跟踪检查不到位,项目单位挤占挪用资金未被发现",
         "检查流于形式;发现问题不督促整改", 2, 4, "medium",
         "监督环节,评分8分", "资金项目年度检查覆盖率", [
             (K.IT_MONITORING, "资金拨付和项目进度纳入投资项目在线监管平台,季度自动比对", "投资处", 90, False),
         ]),
    ]),
    "ZD-002": (DRAFT, [
        ("decision", "审批岗(分管领导)", "rules", "前期工作经费分配标准不公开,分配随意",
         "分配结果与申报排序不一致;未说明理由", 3, 4, "high",
         "资金分配,按规则定为高等级", "分配结果与评审排序不一致的项目数", [
             (K.NEW_RULE, "制定前期工作经费分配办法,明确因素法分配公式", "投资处", 45, False),
         ]),
    ]),
    "CF-004": (CONFIRMED, [
        ("execution", "案件承办岗", "post_duties", "价格违法案件查处中降低处罚档次、徇私枉法",
         "对不执行政府指导价行为按较轻情节处罚;案件久拖不结", 3, 4, "high",
         "行政处罚类别按规则定为高等级", "处罚决定与裁量基准阶次不一致的案件数", [
             (K.DISCRETION, "执行《价格违法行为行政处罚裁量基准》,处罚决定书载明裁量阶次和理由", "价格处", 15, True),
             (K.SPLIT_POWER, "调查与审理分离,案件审理委员会集体审理", "价格处", 30, True),
         ]),
    ]),
    "ZD-003": (DEPT, [
        ("decision", "审批岗(分管领导)", "rules", "机关大额资金使用未经集体研究,化整为零规避审批",
         "同一事项分多次报销;超预算支出", 3, 5, "high",
         "资金使用,按规则定为高等级", "大额资金支出未经集体研究的笔数", [
             (K.REVISED_RULE, "修订机关财务管理办法,5万元以上支出须经主任办公会研究", "办公室", 30, False),
             (K.IT_MONITORING, "财务系统对同一供应商30日内累计支出超限自动提示", "办公室", 60, False),
         ]),
    ]),
    # A low point and assessment-stage (考核) points, so every level and every stage has a
    # point and the coverage views show each case.
    "QT-006": (CONFIRMED, [
        ("execution", "受理岗", "post_duties", "政府信息公开申请超期答复或答复不规范",
         "超过法定期限答复;不予公开未说明理由和依据", 2, 2, "low",
         "发生可能性低、影响小,评分4分", "", [
             (K.IT_MONITORING, "依申请公开件在办公系统中登记,到期前3个工作日自动提醒", "办公室", 30, True),
         ]),
    ]),
    "JC-002": (CONFIRMED, [
        ("assessment", "审核岗", "rules", "收费检查年度考核中考核结果失真,对被检查单位评价不实",
         "考核评分不依据检查记录;对问题单位评为合格", 2, 4, "medium",
         "考核环节,评分8分", "考核结果复核差错率", [
             (K.NEW_RULE, "考核评分表与检查记录逐项对应,考核结果经处务会审定后公示", "价格处", 45, True),
         ]),
    ]),
    "JL-002": (DEPT, [
        ("assessment", "审核岗", "external", "表彰奖励评选考核中打招呼、照顾关系",
         "考核排名靠后的单位获得表彰;评审专家与参评单位有利害关系未回避", 2, 3, "low",
         "考核环节,评分6分", "", [
             (K.OTHER, "评选考核结果在门户网站公示7日,评审专家实行回避", "政策法规处", 30, False),
         ]),
    ]),
}
BENCHMARK_POWER = "CF-004"
BENCHMARK = {
    "title": "价格违法行为行政处罚裁量基准(不执行政府指导价、政府定价)",
    "unit": DiscretionBenchmark.Unit.INCOME_MULTIPLE,
    "statutory_min": 0,
    "statutory_max": 5,
    "statutory_text": "《中华人民共和国价格法》第三十九条:经营者不执行政府指导价、政府定价以及法定的价格干预措施、紧急措施的,"
                      "责令改正,没收违法所得,可以并处违法所得五倍以下的罚款;没有违法所得的,可以处以罚款;情节严重的,"
                      "责令停业整顿。",
}
VIOLATION = "不执行政府指导价、政府定价"
CLAUSE = "《中华人民共和国价格法》第十二条"
BASIS = "《中华人民共和国价格法》第三十九条;《价格违法行为行政处罚规定》第九条"
GRADES = (
    ("minor", "违法行为持续时间短、违法所得较少,且主动退还多收价款、及时改正的", 0, 1,
     "责令改正,没收违法所得,可以并处违法所得1倍以下罚款"),
    ("general", "初次违法,违法所得数额一般,在责令期限内改正的", 1, 2,
     "责令改正,没收违法所得,并处违法所得1倍以上2倍以下罚款"),
    ("serious", "多次违法或者违法所得数额较大,或者拒不改正的", 2, 4,
     "责令改正,没收违法所得,并处违法所得2倍以上4倍以下罚款"),
    ("very_serious", "涉及民生必需品、造成恶劣社会影响,或者在突发事件期间违法的", 4, 5,
     "责令改正,没收违法所得,并处违法所得4倍以上5倍以下罚款;情节严重的,责令停业整顿"),
)


def _place(power, post_name):
    post = Post.objects.filter(department_id=power.department_id, name=post_name).first()
    step = Step.objects.filter(flowchart__power=power, post=post).order_by("order").first() if post else None
    return post, step


def _walk(riskpoint, target, clerk, users):
    if target == DRAFT:
        return
    riskpoint = review_submit(user=clerk, obj=riskpoint)
    if target == DEPT:
        return
    riskpoint = review_approve(user=users["dept_reviewer"], obj=riskpoint, comment="经委党组审核,同意报送。")
    if target == OFFICE:
        riskpoint_assign_experts(user=users["office_reviewer"], riskpoint=riskpoint, experts=[users["expert"]])
        return
    riskpoint_assign_experts(user=users["office_reviewer"], riskpoint=riskpoint, experts=[users["expert"]])
    if target == RETURNED:
        riskpoint_record_opinion(user=users["expert"], riskpoint=riskpoint, verdict="disagree",
                                 comment="风险点未覆盖举报线索处理环节,防范措施缺少时限要求。")
        review_return(user=users["office_reviewer"], obj=riskpoint, comment="请按专家意见补充举报处理环节的风险点和措施。")
        return
    riskpoint_record_opinion(user=users["expert"], riskpoint=riskpoint, verdict="agree_with_changes",
                             comment="建议监测指标按季度统计并报领导小组办公室。")
    if target == OFFICE_ANSWERED:
        return
    review_approve(user=users["office_reviewer"], obj=riskpoint, comment="经专家评审,予以确认。")


def seed(ctx):
    fgw, users = ctx.get("fgw"), ctx.get("users") or {}
    if fgw is None or RiskPoint.objects.filter(department=fgw).exists():
        return ctx
    powers = {p.code.rsplit("-FG-", 1)[-1]: p for p in Power.objects.filter(department=fgw).select_related(
        "region", "category", "division")}
    if not powers or "expert" not in users:
        return ctx
    clerks = {u.division.name: u for u in users.values()
              if u.department_id == fgw.pk and u.division_id and u.has_role("clerk")}
    today = timezone.localdate()
    made = 0
    for suffix, (target, points) in POINTS.items():
        power = powers.get(suffix)
        clerk = clerks.get(power.division.name) if power else None
        if power is None or clerk is None:
            continue
        for stage, post_name, source, description, manifestation, likelihood, impact, level, reason, indicator, \
                measures in points:
            post, step = _place(power, post_name)
            riskpoint = riskpoint_create(user=clerk, power=power, data={
                "stage": stage, "post": post, "post_name": "" if post else post_name, "step": step,
                "source": source, "description": description, "manifestation": manifestation,
                "likelihood": likelihood, "impact": impact, "level": level, "level_reason": reason,
                "monitoring_indicator": indicator, "responsible_person": clerk.display_name,
                "responsible_leader": "分管副主任", "next_review_date": today + datetime.timedelta(days=365),
            })
            created = [
                (countermeasure_create(user=clerk, riskpoint=riskpoint, data={
                    "kind": kind, "text": text, "responsible_unit": unit, "responsible_person": clerk.display_name,
                    "deadline": today + datetime.timedelta(days=days)}), in_force)
                for kind, text, unit, days, in_force in measures
            ]
            _walk(riskpoint, target, clerk, users)
            for measure, in_force in created:
                if in_force:
                    countermeasure_mark_in_force(user=clerk, measure=measure, since=today - datetime.timedelta(days=10))
            made += 1
    power = powers.get(BENCHMARK_POWER)
    clerk = clerks.get(power.division.name) if power else None
    if power is not None and clerk is not None and not DiscretionBenchmark.objects.filter(power=power).exists():
        benchmark_create(user=clerk, power=power, data=BENCHMARK, rows=[
            {"violation": VIOLATION, "clause_breached": CLAUSE, "penalty_basis": BASIS, "grade": grade,
             "circumstances": circumstances, "range_min": low, "range_max": high, "measure_text": text}
            for grade, circumstances, low, high, text in GRADES
        ])
    stdout = ctx.get("stdout")
    if stdout is not None:
        stdout.write(f"Demo risk points: {made} points with countermeasures on {len(POINTS)} powers of {fgw}; "
                     "one discretion benchmark.")
    return ctx
