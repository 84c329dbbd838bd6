"""Who may read a department's posts: posts are not reviewed, so they are readable
wherever the department's confirmed items are (powerlist.org.permissions.can_view_item)."""

from powerlist.org.permissions import can_view_item
from powerlist.review.models import ReviewState


class _DepartmentScope:
    """Stands for "published content of this department" in can_view_item: posts are
    not reviewed, so they are readable wherever the department's confirmed items are."""

    state = ReviewState.CONFIRMED

    def __init__(self, department):
        self.department_id = department.pk
        self.region_id = department.region_id
        self.region = department.region


def can_view_posts(user, department):
    return can_view_item(user, _DepartmentScope(department))
