import pytest

from disclosure.services import publication_create
from tests.disclosure.factories import (
    canary_draft, canary_returned, canary_under_review, canary_withheld, confirmed_flowchart, confirmed_power,
)

CANARY_NAMES = ("金丝雀草稿事项审批", "金丝雀审核中修订名称", "金丝雀退回事项许可", "金丝雀不予公开事项")
# The withheld canary's code is hidden too (the public sees only counts and grounds).
CANARY_CODES = ("210000-XK-CANARY1", "210000-XK-CANARY3", "210000-XK-CANARY4")


@pytest.fixture
def published(org, django_capture_on_commit_callbacks):
    """The province department publishes three confirmed powers (one with a confirmed
    flowchart) beside the four canaries (draft, under review, returned, withheld by a
    recorded non-disclosure entry)."""
    licence = confirmed_power(org, name="企业投资项目核准", code="210000-XK-001")
    penalty = confirmed_power(org, name="对不执行政府定价行为的行政处罚", code="210000-CF-001", category_code="CF")
    allowance = confirmed_power(org, name="最低生活保障金给付", code="210000-JF-001", category_code="JF")
    confirmed_flowchart(licence, steps=[("受理", "受理岗", 1), ("审查", "审查岗", 10), ("决定", "决定岗", 3)])
    canaries = [canary_draft(org), canary_under_review(org), canary_returned(org), canary_withheld(org)]
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_create(user=org.dept_reviewer, department=org.dept, note="首次公开本部门行政职权目录。")

    class Published:
        pass

    p = Published()
    p.licence, p.penalty, p.allowance, p.canaries, p.publication = licence, penalty, allowance, canaries, publication
    return p
