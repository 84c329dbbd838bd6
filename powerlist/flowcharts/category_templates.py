"""Category flowchart templates (类别流程图模板), as data.

Where law sets the procedure the template follows it: 行政许可法 (申请 → 受理 → 审查 →
决定 → 送达, 第二十九条至第五十条), 行政处罚法 (立案 → 调查取证 → 告知 → 陈述申辩/听证 →
决定 → 送达 → 执行, 第五章、第六章), 行政强制法 (催告 → 陈述申辩 → 决定 → 执行). Other
categories get the general procedure of 申请/启动 → 审核 → 决定 → 公开/送达. A
department copies a template to make its own category flowchart; a power's flowchart
starts from the department's category flowchart, or from the template here.

Each template: steps (name, post, days, checkpoint note or "", rights, final) and
transitions (source index, target index, condition label). The placeholder
PLACEHOLDER marks text the department must fill in (its complaint telephone, address,
web address); validation refuses a submission that still contains it.
"""

from django.utils.translation import gettext_lazy as _

PLACEHOLDER = "〔请填写〕"

COMPLAINT_CHANNELS = (
    f"投诉举报电话:{PLACEHOLDER};"
    f"通信地址:{PLACEHOLDER};"
    f"网上投诉:{PLACEHOLDER};"
    "也可拨打12345政务服务便民热线。"
)
RIGHTS_INFORMED = "知情权;申请回避权"
RIGHTS_REMEDY = "申请行政复议;提起行政诉讼"
RIGHTS_DEFENCE = "陈述权;申辩权"
RIGHTS_HEARING = "陈述权;申辩权;要求听证权"

# Posts the templates name; copying a template creates the missing ones in the department.
POST_ACCEPT = "受理岗"
POST_REVIEW = "审查岗"
POST_APPROVE = "审批岗(分管领导)"
POST_SERVICE = "送达岗"
POST_CASE = "案件承办岗"
POST_LEGAL = "法制审核岗"
POST_HEARING = "听证主持岗"
POST_ENFORCE = "执行岗"


def _step(name, post, days, checkpoint="", rights="", final=False, rules="", duty=""):
    return {
        "name": name,
        "post": post,
        "time_limit_days": days,
        "is_checkpoint": bool(checkpoint),
        "checkpoint_note": checkpoint,
        "counterpart_rights": rights,
        # Citizens need the channel where the procedure starts and where it ends.
        "complaint_channels": COMPLAINT_CHANNELS if final else "",
        "is_final": final,
        "handling_rules": rules,
        "duty_requirements": duty,
    }


LICENSING = {
    "title": _("行政许可类流程图"),
    "basis": "《中华人民共和国行政许可法》第二十九条至第五十条",
    "steps": [
        _step("申请", POST_ACCEPT, 0, rights="申请人可当面、信函、电子数据交换等方式提出申请;知情权",
              rules="一次性告知申请材料目录和示范文本", duty="公示许可事项、依据、条件、数量、程序、期限"),
        _step("受理", POST_ACCEPT, 5, checkpoint="材料是否齐全、是否符合法定形式;不予受理须书面说明理由",
              rights="材料不全的,有权获得一次性补正告知;" + RIGHTS_INFORMED,
              rules="当场或五日内作出受理或不予受理决定", duty="出具加盖印章和注明日期的书面凭证"),
        _step("审查", POST_REVIEW, 10, checkpoint="实质审查是否依法;是否需要现场核查;利害关系人意见",
              rights="涉及重大利益的,有权要求听证(行政许可法第四十七条);" + RIGHTS_DEFENCE,
              rules="两人以上共同审查;重大事项集体讨论", duty="按法定条件和标准审查,不得擅自增设条件"),
        _step("决定", POST_APPROVE, 3, checkpoint="是否在法定期限内作出决定;不予许可的理由与救济告知",
              rules="分管领导审批,重大事项集体研究", duty="依法作出准予或不予许可的书面决定"),
        _step("送达", POST_SERVICE, 2, rights=RIGHTS_REMEDY, final=True,
              rules="自作出决定之日起十日内颁发、送达许可证件", duty="送达并公开许可决定"),
        _step("不予受理告知", POST_ACCEPT, 0, rights=RIGHTS_REMEDY, final=True,
              rules="出具不予受理决定书,说明理由", duty="告知申请人享有的救济权利"),
    ],
    "transitions": [
        (0, 1, ""),
        (1, 2, "符合受理条件"),
        (1, 5, "不符合受理条件"),
        (2, 3, ""),
        (3, 4, ""),
    ],
}

APPROVAL = {
    "title": _("行政审批类流程图"),
    "basis": "参照《中华人民共和国行政许可法》规定的程序",
    "steps": [
        _step("申请", POST_ACCEPT, 0, rights=RIGHTS_INFORMED, rules="一次性告知申请材料"),
        _step("受理", POST_ACCEPT, 3, checkpoint="材料齐全性与法定形式审查", rights=RIGHTS_INFORMED),
        _step("审核", POST_REVIEW, 7, checkpoint="审核意见须有依据并留痕", rights=RIGHTS_DEFENCE,
              rules="两人以上共同审核"),
        _step("审批决定", POST_APPROVE, 3, checkpoint="是否超越权限、是否在时限内审批",
              rules="分管领导审批"),
        _step("办结送达", POST_SERVICE, 2, rights=RIGHTS_REMEDY, final=True),
        _step("补正材料", POST_ACCEPT, 5, rights="一次性补正告知"),
    ],
    "transitions": [
        (0, 1, ""),
        (1, 2, "材料齐全"),
        (1, 5, "材料不全"),
        (5, 1, "补正后"),
        (2, 3, ""),
        (3, 4, ""),
    ],
}

PENALTY = {
    "title": _("行政处罚类流程图"),
    "basis": "《中华人民共和国行政处罚法》第五章、第六章",
    "steps": [
        _step("立案", POST_CASE, 7, checkpoint="立案是否有依据;是否属于本机关管辖", rights=RIGHTS_INFORMED,
              rules="发现违法线索之日起七日内决定是否立案", duty="两名以上执法人员持证办案"),
        _step("调查取证", POST_CASE, 30, checkpoint="取证合法、全面;执法人员不少于两人并出示证件",
              rights="有权要求执法人员出示证件;申请回避;" + RIGHTS_DEFENCE,
              rules="全程记录执法过程", duty="全面、客观、公正调查,收集证据"),
        _step("法制审核", POST_LEGAL, 5, checkpoint="重大处罚决定前的法制审核(行政处罚法第五十八条)",
              rules="未经法制审核或审核未通过的,不得作出决定"),
        _step("告知", POST_CASE, 1, rights="知悉拟处罚的事实、理由、依据和内容;" + RIGHTS_HEARING,
              rules="书面告知当事人拟作出的处罚及其权利"),
        _step("陈述申辩", POST_CASE, 3, checkpoint="当事人意见是否复核;不得因申辩而加重处罚",
              rights=RIGHTS_DEFENCE),
        _step("听证", POST_HEARING, 15, checkpoint="听证主持人非本案调查人员",
              rights="要求听证权;委托代理人;质证与辩论", rules="当事人在告知后五日内提出听证要求"),
        _step("决定", POST_APPROVE, 5, checkpoint="处罚种类和幅度符合自由裁量基准;情节复杂或重大的集体讨论",
              rules="负责人审查后作出决定"),
        _step("送达", POST_SERVICE, 7, rights=RIGHTS_REMEDY, rules="七日内送达行政处罚决定书"),
        _step("执行", POST_ENFORCE, 15, checkpoint="罚缴分离;罚款缴入指定银行", rights=RIGHTS_REMEDY,
              final=True),
        _step("不予处罚/撤销案件", POST_APPROVE, 3, rights=RIGHTS_INFORMED, final=True),
    ],
    "transitions": [
        (0, 1, ""),
        (1, 2, ""),
        (2, 3, "审核通过"),
        (2, 1, "证据不足,补充调查"),
        (1, 9, "违法事实不成立"),
        (3, 4, "当事人陈述申辩"),
        (3, 5, "需要听证"),
        (3, 6, "放弃陈述申辩"),
        (4, 6, ""),
        (5, 6, ""),
        (6, 7, ""),
        (7, 8, ""),
    ],
}

COERCION = {
    "title": _("行政强制类流程图"),
    "basis": "《中华人民共和国行政强制法》第三章、第四章",
    "steps": [
        _step("报告审批", POST_CASE, 1, checkpoint="实施前须向负责人报告并经批准", rights=RIGHTS_INFORMED),
        _step("实施强制措施", POST_CASE, 1, checkpoint="两名以上执法人员;当场告知理由、依据和权利",
              rights="当场陈述和申辩;" + RIGHTS_DEFENCE, rules="制作现场笔录"),
        _step("作出决定并送达", POST_APPROVE, 3, checkpoint="查封扣押期限不超过三十日", rights=RIGHTS_REMEDY),
        _step("处理/解除", POST_ENFORCE, 30, checkpoint="及时解除,不得损害当事人合法权益",
              rights=RIGHTS_REMEDY, final=True),
    ],
    "transitions": [(0, 1, ""), (1, 2, ""), (2, 3, "")],
}


def _general(title, first, first_post, second="审核", decide="决定", last="公开送达", days=(0, 5, 3, 2),
             rights_first=RIGHTS_INFORMED):
    return {
        "title": title,
        "basis": "",
        "steps": [
            _step(first, first_post, days[0], rights=rights_first),
            _step(second, POST_REVIEW, days[1], checkpoint="审核意见须有依据并留痕", rights=RIGHTS_DEFENCE,
                  rules="两人以上共同审核"),
            _step(decide, POST_APPROVE, days[2], checkpoint="是否超越权限、是否符合裁量基准",
                  rules="分管领导审批,重大事项集体研究"),
            _step(last, POST_SERVICE, days[3], rights=RIGHTS_REMEDY, final=True),
        ],
        "transitions": [(0, 1, ""), (1, 2, ""), (2, 3, "")],
    }


LEVY = _general(_("行政征收类流程图"), "核定征收", POST_CASE, "审核", "征收决定", "送达缴费通知")
PAYMENT = _general(_("行政给付类流程图"), "申请", POST_ACCEPT, "审核公示", "给付决定", "发放", days=(0, 10, 3, 5))
REWARD = _general(_("行政奖励类流程图"), "推荐申报", POST_ACCEPT, "评审公示", "奖励决定", "公布表彰", days=(0, 15, 5, 3))
ACKNOWLEDGEMENT = _general(_("行政确认类流程图"), "申请", POST_ACCEPT, "审查核实", "确认决定", "发证送达")
ADJUDICATION = _general(_("行政裁决类流程图"), "申请受理", POST_ACCEPT, "调查调解", "裁决", "送达裁决书",
                        days=(5, 30, 10, 5), rights_first=RIGHTS_HEARING)
INSPECTION = _general(_("行政检查类流程图"), "制定检查计划", POST_CASE, "实施检查", "处理决定", "结果公开",
                      days=(0, 5, 5, 3))
MAJOR_DECISION = _general(_("内部重大事项决定流程图"), "提出议题", POST_REVIEW, "调研论证", "集体讨论决定", "公开执行",
                          days=(0, 15, 5, 5))
OTHER = _general(_("其他权力类流程图"), "启动", POST_ACCEPT, "审核", "决定", "公开送达")

# Keyed by Category.code (powerlist.reference.CATEGORIES).
TEMPLATES = {
    "XK": LICENSING,
    "SP": APPROVAL,
    "CF": PENALTY,
    "QZ": COERCION,
    "ZS": LEVY,
    "JF": PAYMENT,
    "JL": REWARD,
    "QR": ACKNOWLEDGEMENT,
    "CJ": ADJUDICATION,
    "JC": INSPECTION,
    "ZD": MAJOR_DECISION,
    "QT": OTHER,
}


for _template in TEMPLATES.values():
    _template["steps"][0]["complaint_channels"] = COMPLAINT_CHANNELS


def template_for(category_code):
    """The template for a category code; the general one for a category added later."""
    return TEMPLATES.get(category_code, OTHER)
