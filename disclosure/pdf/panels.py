"""The workspace panel of whoever publishes (a department reviewer, or a stand-in): the
PDFs of each such department's latest publications, "生成中 45%", "已生成",
"失败,重试中" (registered in DisclosureConfig.ready)."""

from powerlist.models import Department
from powerlist.org.permissions import stand_in_department_ids
from powerlist.org.roles import Role

from disclosure.pdf.selectors import department_file_states
from disclosure.permissions import can_publish


def pdf_panel_context(*, user):
    # A cheap pre-filter (no query for a clerk); can_publish decides.
    candidates = set(stand_in_department_ids(user))
    if user.department_id and user.has_role(Role.DEPARTMENT_REVIEWER):
        candidates.add(user.department_id)
    if not candidates:
        return None
    shown = []
    for department in Department.objects.filter(pk__in=candidates).order_by("order", "name"):
        states = department_file_states(department) if can_publish(user, department) else []
        if states:
            shown.append({"department": department, "states": states})
    return {"departments": shown} if shown else None
