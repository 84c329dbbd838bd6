"""The workspace panel of the department reviewer: the PDFs of the latest publications,
"生成中 45%", "已生成", "失败,重试中" (registered in DisclosureConfig.ready)."""

from disclosure.pdf.selectors import department_file_states
from disclosure.permissions import can_publish


def pdf_panel_context(*, user):
    department = getattr(user, "department", None)
    if department is None or not can_publish(user, department):
        return None
    states = department_file_states(department)
    if not states:
        return None
    return {"department": department, "states": states}
