"""Building complaints for tests: filed through the service, driven through the engine."""

from supervision.complaints import services
from supervision.complaints.flow import ComplaintOutcome, ComplaintRating, ComplaintState
from supervision.complaints.models import ComplaintSubject
from supervision.complaints.principal import complainant_actor

CANARY_NAME = "甄隐名"
CANARY_PHONE = "13912345678"


def file_complaint(department, *, anonymous=False, name="张三", phone="13800001111", title="窗口推诿",
                   content="办理营业执照时窗口工作人员推诿,要求多次补交材料。", **kwargs):
    complaint, phrase = services.complaint_file(
        subject=kwargs.pop("subject", ComplaintSubject.DEPARTMENT), department=department, title=title,
        content=content, is_anonymous=anonymous,
        identity=None if anonymous else {"name": name, "phone": phone, "id_number": kwargs.pop("id_number", ""),
                                         "address": kwargs.pop("address", "")},
        **kwargs,
    )
    complaint.phrase = phrase
    return complaint


# The path to each state: (action, who) steps; who is "supervisor" or "complainant".
PATH = {
    ComplaintState.RECEIVED: [],
    ComplaintState.ACCEPTED: [("accept", "supervisor")],
    ComplaintState.DECLINED: [("decline", "supervisor")],
    ComplaintState.ASSIGNED: [("accept", "supervisor"), ("assign", "supervisor")],
    ComplaintState.HANDLED: [("accept", "supervisor"), ("assign", "supervisor"), ("handle", "supervisor")],
    ComplaintState.REPLIED: [("accept", "supervisor"), ("assign", "supervisor"), ("handle", "supervisor"),
                             ("reply", "supervisor")],
    ComplaintState.CLOSED: [("accept", "supervisor"), ("assign", "supervisor"), ("handle", "supervisor"),
                            ("reply", "supervisor"), ("close", "supervisor")],
}

COMMENTS = {"decline": "不属于本机关受理范围,请向法院起诉。", "handle": "经核查,窗口确有推诿,已责令整改。",
            "reply": "您反映的问题经核查属实,已责令整改并通报。", "reopen": "整改没有落实,窗口仍然推诿。"}
DATA = {"handle": {"finding": ComplaintOutcome.RESOLVED}, "rate": {"rating": ComplaintRating.SATISFIED}}


def act(complaint, action, user):
    return services.complaint_apply(user=user, complaint=complaint, action=action,
                                    comment=COMMENTS.get(action, ""), data=DATA.get(action))


def drive(complaint, state, *, supervisor):
    for action, who in PATH[state]:
        user = supervisor if who == "supervisor" else complainant_actor(complaint.pk)
        complaint = act(complaint, action, user)
    return complaint
