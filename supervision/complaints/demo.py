"""Demo complaints (called from supervision.demo.seed, idempotent): one in every state
of the flow, an anonymous one, one withdrawn and one whose acceptance is overdue, so
the supervisor's list, panel and the public lookup have something to show."""

import datetime

from django.db import transaction
from django.utils import timezone

from supervision.complaints import services
from supervision.complaints.flow import ComplaintAction, ComplaintOutcome, ComplaintRating, ComplaintState
from supervision.complaints.models import Complaint, ComplaintSubject
from supervision.complaints.principal import complainant_actor

S, A = ComplaintState, ComplaintAction
STEPS = {
    S.RECEIVED: [], S.ACCEPTED: [A.ACCEPT], S.DECLINED: [A.DECLINE], S.ASSIGNED: [A.ACCEPT, A.ASSIGN],
    S.HANDLED: [A.ACCEPT, A.ASSIGN, A.HANDLE], S.REPLIED: [A.ACCEPT, A.ASSIGN, A.HANDLE, A.REPLY],
    S.CLOSED: [A.ACCEPT, A.ASSIGN, A.HANDLE, A.REPLY, A.CLOSE],
}
TEXT = {
    A.DECLINE: "所反映事项属于民事纠纷,不属于纪检监察机关受理范围,建议向人民法院起诉。",
    A.HANDLE: "经调阅办件记录并询问窗口人员,反映的多次要求补交材料情况属实。",
    A.REPLY: "您反映的问题经核查属实,已责令该窗口一次性告知补正材料,并对经办人进行了批评教育。",
}
# (title, content, final state, anonymous)
SCENARIOS = [
    ("窗口要求重复提交材料", "办理企业投资项目备案时,窗口三次要求补交同一份材料,每次说法不一。", S.RECEIVED, False),
    ("审批超过承诺时限", "申请已经受理二十多天,超过了公开承诺的十个工作日,仍无结果。", S.ACCEPTED, False),
    ("邻里噪音纠纷", "邻居装修噪音大,希望发展改革委处理。", S.DECLINED, False),
    ("收费没有公示依据", "办理过程中被要求缴纳咨询费,窗口未出示收费依据。", S.ASSIGNED, True),
    ("经办人态度生硬", "咨询办理流程时经办人态度生硬,不予解释。", S.HANDLED, False),
    ("网上办理系统无法提交", "网上审批系统连续三天无法提交申请,只能到现场办理。", S.REPLIED, False),
    ("一次性告知未落实", "窗口没有一次性告知需要补正的全部材料。", S.CLOSED, False),
]


def _drive(complaint, state, supervisor):
    for action in STEPS[state]:
        complaint = services.complaint_apply(
            user=supervisor, complaint=complaint, action=action, comment=TEXT.get(action, ""),
            data={"finding": ComplaintOutcome.RESOLVED} if action == A.HANDLE else None)
    return complaint


def seed(ctx):
    department, supervisor = ctx.get("fgw"), ctx.get("users", {}).get("supervisor")
    if department is None or supervisor is None or Complaint.objects.filter(department=department).exists():
        return None
    shown = None
    with transaction.atomic():
        for i, (title, content, state, anonymous) in enumerate(SCENARIOS):
            complaint, phrase = services.complaint_file(
                subject=ComplaintSubject.DEPARTMENT, department=department, title=title, content=content,
                is_anonymous=anonymous, identity=None if anonymous else {
                    "name": f"示例投诉人{i + 1}", "phone": f"1380000{i + 1:04d}", "address": "沈阳市和平区示例路1号"})
            complaint = _drive(complaint, state, supervisor)
            if state == S.REPLIED:
                shown = (complaint.tracking_code, phrase)
            if state == S.CLOSED:
                services.complaint_rate(actor=complainant_actor(complaint.pk), complaint=complaint,
                                        rating=ComplaintRating.SATISFIED, comment="问题已解决。")
        withdrawn, _phrase = services.complaint_file(
            subject=ComplaintSubject.DEPARTMENT, department=department, title="已自行解决", content="问题已经解决,撤回投诉。",
            is_anonymous=True)
        services.complaint_withdraw(actor=complainant_actor(withdrawn.pk), complaint=withdrawn)
        # One received long ago and never accepted: the supervisors' overdue panel shows it.
        overdue, _phrase = services.complaint_file(
            subject=ComplaintSubject.DEPARTMENT, department=department, title="举报材料无人受理",
            content="两周前提交的举报至今没有受理。", is_anonymous=True)
        received = timezone.now() - datetime.timedelta(days=14)
        Complaint.objects.filter(pk=overdue.pk).update(received_at=received,
                                                      accept_due_on=received.date() + datetime.timedelta(days=7))
    ctx["stdout"].write(f"Demo complaints: {Complaint.objects.filter(department=department).count()} about "
                        f"{department}; look one up at /complaints/track/ with {shown[0]} / {shown[1]}.")
    return shown
