"""Demo powers: about thirty catalogue items of the province 发展改革委 in every review
state, plus a few items the 沈阳市发展改革委 adopted from them.

Every state is reached through the real services (power_create, the review
transitions, power_adopt) acting as the demo users, so the review log is real and
its hash chain verifies. Idempotent: nothing happens when the department already
has powers.
"""

from powerlist.catalogue.family import power_family_apply
from powerlist.catalogue.models import Category, Power
from powerlist.catalogue.responsibility import ResponsibilityStage, split_circumstances, stages_for
from powerlist.catalogue.services import power_adopt, power_create, power_update
from powerlist.demo.organisation import demo_user
from powerlist.org.models import Division
from powerlist.org.roles import Role
from powerlist.review.engine import review_submit
from powerlist.review.models import ReviewAction

# Where each demo power ends up.
DRAFT, RETURNED, DEPT, OFFICE, FINAL, FINAL_HALF, CONFIRMED, REVISING = (
    "draft", "returned", "department_review", "office_review", "final_review", "final_half", "confirmed",
    "revising",
)

# The clerk of each division (the demo's `clerk` works in 投资处).
DIVISION_CLERKS = {
    "投资处": None,
    "价格处": ("clerk_price", "刘价格"),
    "政策法规处": ("clerk_policy", "陈法规"),
    "办公室": ("clerk_general", "吴综合"),
}

LICENSING_DISCIPLINE = "严格按照法定条件和程序办理,不得擅自增设条件;不得索取、收受申请人财物;与申请人有利害关系的应当回避。"
LICENSING_ACCOUNTABILITY = (
    "对符合法定条件的申请不予受理、不在法定期限内作出决定或者违法作出决定的,依照《中华人民共和国行政许可法》"
    "第七十二条至第七十四条和《行政机关公务员处分条例》追究直接负责的主管人员和其他直接责任人员的责任。"
)
PENALTY_DISCIPLINE = "执法人员不得少于两人并出示执法证件;严格执行自由裁量权基准;严禁以罚代管、以罚代刑。"
PENALTY_ACCOUNTABILITY = "没有法定依据或者违反法定程序实施处罚的,依照《中华人民共和国行政处罚法》和《行政机关公务员处分条例》追究责任。"
CHECK_DISCIPLINE = "检查不得妨碍被检查单位正常的生产经营活动;对检查中知悉的商业秘密予以保密。"
INTERNAL_DISCIPLINE = "严格执行集体决策制度,会前充分酝酿,会议记录完整存档;与议题有利害关系的人员应当回避。"
INTERNAL_ACCOUNTABILITY = "违反集体决策程序、个人或者少数人决定重大事项的,依照《中国共产党问责条例》和《行政机关公务员处分条例》追究责任。"

# (code suffix, division, category code, name, final state, fields, legal bases)
# Legal bases: (law, article, quoted text or "").
POWERS = (
    ("XK-001", "投资处", "XK", "企业投资项目核准", REVISING, {
        "statutory_limit_days": 20, "promised_limit_days": 14,
        "conditions": "属于《政府核准的投资项目目录》范围的企业投资项目;提交项目申请书及规划选址、用地预审等依法应当提交的文件。",
        "fee_basis": "不收费",
    }, (("《企业投资项目核准和备案管理条例》", "第三条",
         "对关系国家安全、涉及全国重大生产力布局、战略性资源开发和重大公共利益等项目,实行核准管理。"),
        ("《企业投资项目核准和备案管理条例》", "第十一条",
         "核准机关应当自受理申请之日起20个工作日内,作出是否予以核准的决定。"))),
    ("QT-001", "投资处", "QT", "企业投资项目备案", CONFIRMED, {
        "statutory_limit_days": None, "promised_limit_days": 1,
        "conditions": "属于备案管理范围的项目,企业在开工建设前通过在线平台告知项目基本信息。",
    }, (("《企业投资项目核准和备案管理条例》", "第三条", ""),
        ("《企业投资项目核准和备案管理条例》", "第十三条", ""))),
    ("SP-001", "投资处", "SP", "政府投资项目可行性研究报告审批", CONFIRMED, {
        "statutory_limit_days": 20, "promised_limit_days": 14,
        "conditions": "项目建议书已批复;可行性研究报告由具备能力的机构编制,投资估算、资金来源明确。",
    }, (("《政府投资条例》", "第九条",
         "政府采取直接投资方式、资本金注入方式投资的项目,项目单位应当编制项目建议书、可行性研究报告、初步设计,"
         "按照政府投资管理权限和规定的程序,报投资主管部门或者其他有关部门审批。"),)),
    ("SP-002", "投资处", "SP", "政府投资项目初步设计及概算审批", FINAL_HALF, {
        "statutory_limit_days": 20, "promised_limit_days": 12,
        "conditions": "可行性研究报告已批复;初步设计深度符合规定,投资概算不超过批复估算的规定比例。",
    }, (("《政府投资条例》", "第九条", ""), ("《政府投资条例》", "第十二条", ""))),
    ("SP-003", "投资处", "SP", "固定资产投资项目节能审查", CONFIRMED, {
        "statutory_limit_days": 20, "promised_limit_days": 12,
        "conditions": "项目年综合能源消费量达到规定标准;提交节能报告。",
    }, (("《中华人民共和国节约能源法》", "第十五条",
         "国家实行固定资产投资项目节能评估和审查制度。不符合强制性节能标准的项目,建设单位不得开工建设;"
         "已经建成的,不得投入生产、使用。"),)),
    ("XK-002", "投资处", "XK", "外商投资项目核准", RETURNED, {
        "statutory_limit_days": 20, "promised_limit_days": 14,
        "conditions": "属于《政府核准的投资项目目录》范围的外商投资项目;提交项目申请报告及有关文件。",
    }, (("《企业投资项目核准和备案管理条例》", "第三条", ""),)),
    ("XK-003", "投资处", "XK", "招标代理机构资格认定", CONFIRMED, {
        "disposition": Power.Disposition.CANCEL,
        "disposition_reason": (
            "2017年12月27日《全国人民代表大会常务委员会关于修改〈中华人民共和国招标投标法〉、"
            "〈中华人民共和国计量法〉的决定》删去了招标代理机构资格认定的规定,该事项取消。"),
        "statutory_limit_days": 20, "promised_limit_days": 14,
    }, (("《中华人民共和国招标投标法》", "第十四条", ""),)),
    ("CF-001", "投资处", "CF", "对企业未依法办理核准手续擅自开工建设的处罚", CONFIRMED, {
        "statutory_limit_days": 90, "promised_limit_days": 60,
        "conditions": "经立案调查,事实清楚、证据确凿,依法应当给予行政处罚。",
    }, (("《企业投资项目核准和备案管理条例》", "第十八条",
         "实行核准管理的项目,企业未依照本条例规定办理核准手续开工建设或者未按照核准的建设地点、建设规模、"
         "建设内容等进行建设的,由核准机关责令停止建设或者责令停产,对企业处项目总投资额1‰以上5‰以下的罚款。"),)),
    ("CF-002", "投资处", "CF", "对必须进行招标的项目不招标或者规避招标的处罚", CONFIRMED, {
        "statutory_limit_days": 90, "promised_limit_days": 60,
        "conditions": "经立案调查,认定存在应当招标而未招标、化整为零或者以其他方式规避招标的违法事实。",
    }, (("《中华人民共和国招标投标法》", "第四十九条",
         "违反本法规定,必须进行招标的项目而不招标的,将必须进行招标的项目化整为零或者以其他任何方式规避招标的,"
         "责令限期改正,可以处项目合同金额千分之五以上千分之十以下的罚款。"),)),
    ("CF-003", "投资处", "CF", "对开工建设不符合强制性节能标准项目的处罚", FINAL, {
        "statutory_limit_days": 90, "promised_limit_days": 60,
    }, (("《中华人民共和国节约能源法》", "第六十八条",
         "固定资产投资项目建设单位开工建设不符合强制性节能标准的项目或者将该项目投入生产、使用的,"
         "由管理节能工作的部门责令停止建设或者停止生产、使用,限期改造。"),)),
    ("JC-001", "投资处", "JC", "对招标投标活动的监督检查", CONFIRMED, {
        "statutory_limit_days": None, "promised_limit_days": None,
        "conditions": "依据年度检查计划、投诉举报或者上级交办开展。",
    }, (("《中华人民共和国招标投标法》", "第七条",
         "有关行政监督部门依法对招标投标活动实施监督,依法查处招标投标活动中的违法行为。"),)),
    ("ZD-001", "投资处", "ZD", "省预算内基本建设投资年度计划安排", OFFICE, {
        "statutory_limit_days": None, "promised_limit_days": None,
        "conditions": "经处室初审、委主任办公会集体研究决定。",
    }, (("《政府投资条例》", "第九条", ""), ("《重大行政决策程序暂行条例》", "第三条", ""))),
    ("ZD-002", "投资处", "ZD", "重大项目前期工作经费分配", OFFICE, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《重大行政决策程序暂行条例》", "第三条", ""),)),
    ("CF-004", "价格处", "CF", "对经营者不执行政府指导价、政府定价的处罚", CONFIRMED, {
        "statutory_limit_days": 90, "promised_limit_days": 60,
    }, (("《中华人民共和国价格法》", "第三十九条",
         "经营者不执行政府指导价、政府定价以及法定的价格干预措施、紧急措施的,责令改正,没收违法所得,"
         "可以并处违法所得五倍以下的罚款;没有违法所得的,可以处以罚款;情节严重的,责令停业整顿。"),)),
    ("CF-005", "价格处", "CF", "对经营者违反明码标价规定的处罚", CONFIRMED, {
        "statutory_limit_days": 90, "promised_limit_days": 60,
    }, (("《中华人民共和国价格法》", "第四十二条",
         "经营者违反明码标价规定的,责令改正,没收违法所得,可以并处五千元以下的罚款。"),)),
    ("JC-002", "价格处", "JC", "对价格收费行为的监督检查", CONFIRMED, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《中华人民共和国价格法》", "第三十四条", ""),)),
    ("JL-001", "价格处", "JL", "对价格违法行为举报人的奖励", FINAL, {
        "statutory_limit_days": 30, "promised_limit_days": 20,
        "conditions": "举报内容经查证属实,且举报人提供了真实身份和联系方式。",
    }, (("《中华人民共和国价格法》", "第三十八条",
         "任何单位和个人均有权对价格违法行为进行举报。政府价格主管部门应当对举报者给予鼓励,并负责为举报者保密。"),)),
    ("QT-002", "价格处", "QT", "政府定价成本调查和成本监审", CONFIRMED, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《中华人民共和国价格法》", "第二十二条",
         "政府价格主管部门和其他有关部门制定政府指导价、政府定价,应当开展价格、成本调查,听取消费者、经营者和有关方面的意见。"),)),
    ("QT-003", "价格处", "QT", "制定、调整政府定价的价格听证", CONFIRMED, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《中华人民共和国价格法》", "第二十三条",
         "制定关系群众切身利益的公用事业价格、公益性服务价格、自然垄断经营的商品价格等政府指导价、政府定价,"
         "应当建立听证会制度,由政府价格主管部门主持,征求消费者、经营者和有关方面的意见,论证其必要性、可行性。"),)),
    ("QR-001", "价格处", "QR", "涉案财物价格认定", DEPT, {
        "statutory_limit_days": 30, "promised_limit_days": 20,
        "disposition": Power.Disposition.ADJUST,
        "disposition_reason": "按照机构改革方案,由所属价格认证中心具体承办,委价格处负责审核。",
    }, (("《价格认定规定》", "", ""),)),
    ("QT-004", "政策法规处", "QT", "行政规范性文件合法性审核", DRAFT, {
        "statutory_limit_days": None, "promised_limit_days": 5,
    }, (("《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》", "", ""),)),
    ("QT-005", "政策法规处", "QT", "重大行政决策合法性审查", DEPT, {
        "statutory_limit_days": None, "promised_limit_days": 7,
    }, (("《重大行政决策程序暂行条例》", "第二十五条",
         "决策草案提交决策机关讨论前,应当由负责合法性审查的部门进行合法性审查。不得以征求意见等方式代替合法性审查。"),)),
    ("JL-002", "政策法规处", "JL", "对节能工作中有显著成绩的单位和个人的表彰奖励", OFFICE, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《中华人民共和国节约能源法》", "第六十七条",
         "各级人民政府对在节能管理、节能科学技术研究和推广应用中有显著成绩以及检举严重浪费能源行为的单位和个人,"
         "给予表彰和奖励。"),)),
    ("JC-003", "政策法规处", "JC", "对节能法律法规和节能标准执行情况的监督检查", OFFICE, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《中华人民共和国节约能源法》", "第十二条",
         "县级以上人民政府管理节能工作的部门和有关部门应当在各自的职责范围内,加强对节能法律、法规和节能标准执行情况的"
         "监督检查,依法查处违法用能行为。"),)),
    ("CF-006", "政策法规处", "CF", "对重点用能单位未按规定报送能源利用状况报告的处罚", DEPT, {
        "statutory_limit_days": 90, "promised_limit_days": 60,
    }, (("《中华人民共和国节约能源法》", "第八十二条",
         "重点用能单位未按照本法规定报送能源利用状况报告或者报告内容不实的,由管理节能工作的部门责令限期改正;"
         "逾期不改正的,处一万元以上五万元以下罚款。"),)),
    ("QT-006", "办公室", "QT", "政府信息公开申请办理", CONFIRMED, {
        "statutory_limit_days": 20, "promised_limit_days": 14,
        "conditions": "申请人通过当面、信函、网络等方式提交政府信息公开申请,申请内容明确。",
    }, (("《中华人民共和国政府信息公开条例》", "第三十三条",
         "行政机关不能当场答复的,应当自收到申请之日起20个工作日内予以答复。"),)),
    ("ZD-003", "办公室", "ZD", "机关大额资金使用", DEPT, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《中华人民共和国预算法》", "", ""),)),
    ("ZD-004", "办公室", "ZD", "处级干部任免", DRAFT, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《党政领导干部选拔任用工作条例》", "", ""),)),
    ("ZD-005", "办公室", "ZD", "机关国有资产处置", DRAFT, {
        "statutory_limit_days": None, "promised_limit_days": None,
    }, (("《行政事业性国有资产管理条例》", "", ""),)),
    ("XK-004", "投资处", "XK", "企业投资项目核准变更", DRAFT, {
        "statutory_limit_days": 20, "promised_limit_days": 18,
        "conditions": "已核准项目的建设地点发生变更,或者建设规模、建设内容发生较大变更。",
        "remarks": "承诺时限尚未按本省要求压缩,待处室研究。",
    }, (("《企业投资项目核准和备案管理条例》", "第十二条", ""),)),
)

# Sub-items (code suffix of the main item, sub-item suffix, name, own fields); they take
# the review path of their main item and inherit what they leave blank.
SUB_ITEMS = {
    "XK-001": (("01", "企业投资项目核准(新建项目)", {}),
               ("02", "企业投资项目核准(改扩建项目)", {"promised_limit_days": 10})),
    "SP-003": (("01", "固定资产投资项目节能审查(年综合能耗5000吨标准煤以上)", {}),
               ("02", "固定资产投资项目节能审查(年综合能耗1000至5000吨标准煤)", {"promised_limit_days": 8})),
    "CF-002": (("01", "对必须进行招标的项目不招标的处罚", {}),
               ("02", "对规避招标的处罚", {})),
    "XK-004": (("01", "企业投资项目核准变更(建设地点变更)", {}),),
}
S = ResponsibilityStage
STAGE_TEXTS = {
    S.FILING: "对发现的涉嫌违法行为进行初步审查,决定是否立案。",
    S.INVESTIGATION: "两名以上执法人员出示证件,全面、客观、公正地调查收集证据。",
    S.HEARING: "对案件的事实、证据、适用依据和处罚幅度进行审理,提出处理意见。",
    S.NOTICE: "作出决定前告知当事人拟作出决定的事实、理由、依据及其依法享有的陈述、申辩和听证权利。",
    S.ACCEPTANCE: "公示依法应当提交的材料,一次性告知补正材料,依法受理或不予受理并说明理由。",
    S.EXAMINATION: "对申请材料进行审查,提出审查意见;需要现场核查的,组织现场核查。",
    S.INSPECTION: "按照检查计划或线索开展检查,如实记录检查情况。",
    S.HANDLING: "对检查发现的问题依法责令改正或移交处理。",
    S.DECISION: "在法定期限内作出决定,制作决定文书;不予批准的说明理由并告知救济途径。",
    S.SERVICE: "按照规定期限和方式送达决定文书,依法公开结果。",
    S.ENFORCEMENT: "监督当事人履行决定;逾期不履行的依法强制执行或申请人民法院强制执行。",
    S.AFTERCARE: "对决定的实施情况进行监督检查,依法处理违法行为。",
    S.OTHER: "法律法规规章规定应履行的其他责任。",
}

# Powers the 沈阳市发展改革委 adopts from the province's confirmed catalogue.
CITY_ADOPTIONS = (("CF-002", "210100-FG-CF-001", True), ("JC-002", "210100-FG-JC-001", False),
                  ("QT-001", "210100-FG-QT-001", False))


def _lists(category_code, accountability):
    """Responsibility items (one per stage of the category) and circumstances that fit it."""
    duties = [{"stage": str(stage), "text": STAGE_TEXTS[stage], "basis": ""} for stage in stages_for(category_code)]
    circumstances = [{"text": text, "ground": ""} for text in split_circumstances(
        accountability.replace("的,", "的;\n", 1)) if text]
    return duties, circumstances


def _texts(category_code, division, promised):
    """Discipline and accountability texts that fit the category."""
    if category_code in ("CF", "QZ"):
        discipline, accountability = PENALTY_DISCIPLINE, PENALTY_ACCOUNTABILITY
    elif category_code == "JC":
        discipline, accountability = CHECK_DISCIPLINE, PENALTY_ACCOUNTABILITY
    elif category_code == "ZD":
        discipline, accountability = INTERNAL_DISCIPLINE, INTERNAL_ACCOUNTABILITY
    else:
        discipline, accountability = LICENSING_DISCIPLINE, LICENSING_ACCOUNTABILITY
    commitment = (
        f"材料齐全、符合法定形式的,{promised}个工作日内办结;需补正材料的一次性告知。"
        if promised else "按规定程序办理,办理结果及时告知相关当事人。"
    )
    return {
        "responsible_leader": "分管副主任",
        "staff_duties": f"{division.name}承办人受理、审查并提出意见;处长审核;分管副主任审定。",
        "service_commitment": commitment,
        "work_discipline": discipline,
        "accountability": accountability,
    }


def _sub_items(main, suffix, clerk, fgw):
    """The demo sub-items of `main` (drafts; _walk takes them along with their main item)."""
    subs = []
    for sub_suffix, name, fields in SUB_ITEMS.get(suffix, ()):
        data = {"code": f"{main.code}-{sub_suffix}", "name": name, "category": main.category,
                "division": main.division, "disposition": Power.Disposition.RETAIN, "disposition_reason": "",
                "exercise_level": main.exercise_level, **fields}
        for blank in ("responsible_leader", "staff_duties", "conditions", "service_commitment", "work_discipline",
                      "fee_basis", "remarks"):
            data.setdefault(blank, "")
        subs.append(power_create(user=clerk, department=fgw, data=data, parent=main))
    return subs


def _clerks(ctx, fgw):
    clerks = {"投资处": ctx["users"]["clerk"]}
    for division_name, account in DIVISION_CLERKS.items():
        if account is None:
            continue
        username, display_name = account
        clerks[division_name] = demo_user(
            username, ctx["password"], display_name=display_name, department=fgw,
            division=Division.objects.get(department=fgw, name=division_name), roles=[Role.CLERK],
        )
        ctx["users"][username] = clerks[division_name]
    return clerks


def _walk(power, target, users, clerk):
    """Drive one draft power (with its sub-items, together) to `target` through the
    review machine."""
    A = ReviewAction

    def take(user, action, comment=""):
        main, _subs = power_family_apply(user=user, power=power, action=action, comment=comment)
        return main

    if target == DRAFT:
        return power
    power = take(clerk, A.SUBMIT)
    if target == DEPT:
        return power
    if target == RETURNED:
        power = take(users["dept_reviewer"], A.APPROVE, "同意报送。")
        return take(users["office_reviewer"], A.RETURN,
                    "请补充《外商投资准入特别管理措施(负面清单)》的有关规定,并明确核准与备案的划分。")
    power = take(users["dept_reviewer"], A.APPROVE, "经委党组审核,同意报送。")
    if target == OFFICE:
        return power
    power = take(users["office_reviewer"], A.APPROVE, "经审核,同意提交最终确认。")
    if target == FINAL:
        return power
    power = take(users["establishment"], A.CONFIRM_ESTABLISHMENT, "职权设定符合“三定”规定。")
    if target == FINAL_HALF:
        return power
    power = take(users["legal"], A.CONFIRM_LEGAL, "行使依据合法有效。")
    if target == REVISING:
        power = take(clerk, A.REVISE)
        power = power_update(user=clerk, power=power, data={
            "promised_limit_days": 10,
            "service_commitment": "材料齐全、符合法定形式的,10个工作日内办结;需补正材料的一次性告知。",
        })
    return power


def seed(ctx):
    fgw, users = ctx["fgw"], ctx["users"]
    clerks = _clerks(ctx, fgw)  # also on a re-run, so seed_demo lists their logins
    if Power.objects.filter(department=fgw).exists():
        return ctx
    categories = {c.code: c for c in Category.objects.all()}
    divisions = {d.name: d for d in Division.objects.filter(department=fgw)}
    created = {}
    for suffix, division_name, category_code, name, target, fields, bases in POWERS:
        division = divisions[division_name]
        data = {
            "code": f"{fgw.region.code}-FG-{suffix}",
            "name": name,
            "category": categories[category_code],
            "division": division,
            "disposition": Power.Disposition.RETAIN,
            "disposition_reason": "",
            "exercise_level": Power.ExerciseLevel.DIRECT,
            "conditions": "符合法律、法规规定的条件和程序。",
            **_texts(category_code, division, fields.get("promised_limit_days")),
            **fields,
        }
        clerk = clerks[division_name]
        duties, circumstances = _lists(category_code, data.pop("accountability"))
        power = power_create(
            user=clerk, department=fgw, data=data, responsibility_items=duties, circumstances=circumstances,
            legal_bases=[{"law_name": law, "article": article, "text": text} for law, article, text in bases],
        )
        _sub_items(power, suffix, clerk, fgw)
        created[suffix] = _walk(power, target, users, clerk)

    city_clerk = users.get("city_clerk")
    if city_clerk is not None:
        for suffix, code, submit in CITY_ADOPTIONS:
            adopted = power_adopt(user=city_clerk, department=ctx["city_fgw"], source=created[suffix], code=code)
            if submit:
                review_submit(user=city_clerk, obj=adopted)
    stdout = ctx.get("stdout")
    if stdout is not None:
        stdout.write(f"Demo catalogue: {len(created)} powers of {fgw}; division clerks "
                     + ", ".join(u.username for k, u in clerks.items() if k != "投资处") + ".")
    return ctx
