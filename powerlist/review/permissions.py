"""Who may take which review action: the predicate the engine, the pages' buttons and
the API's open actions all ask (the transition table is powerlist.review.flows)."""

from django.utils.translation import gettext as _

from powerlist.org.permissions import Decision, allow, deny, role_in_scope, signed_in
from powerlist.org.roles import Role
from powerlist.review.flows import COMMENTED, actions_from, find_transition
from powerlist.review.models import ReviewAction, ReviewState


def can_transition(user, obj, action) -> Decision:
    """May `user` take review `action` on `obj` in its current state?"""
    if not signed_in(user):
        return deny(_("请先登录。"))
    transition = find_transition(type(obj), obj.state, action)
    if transition is None:
        return deny(
            _("当前状态“%(state)s”下不能执行此操作。") % {"state": ReviewState(obj.state).label}
        )
    held = [r for r in transition.roles if user.has_role(r) or r == Role.DEPARTMENT_REVIEWER]
    for role in sorted(held):
        if role_in_scope(user, role, obj):
            return allow(role)
    names = "、".join(str(Role(r).label) for r in sorted(transition.roles))
    if not any(user.has_role(r) for r in transition.roles):
        return deny(_("此操作需要“%(roles)s”角色。") % {"roles": names})
    return deny(_("该事项不在您的管辖范围内(本部门、本级本区划)。"))


class ActionList(list):
    @property
    def takes_comment(self):
        return any(a["takes_comment"] for a in self)


def available_actions(user, obj):
    """The review actions this user may take on obj now (for buttons); `.takes_comment`
    says whether the form needs a comment box."""
    actions = ActionList()
    for transition in actions_from(type(obj), obj.state):
        if can_transition(user, obj, transition.action):
            actions.append(
                {
                    "action": transition.action,
                    "label": ReviewAction(transition.action).label,
                    "comment_required": transition.comment_required,
                    "takes_comment": transition.action in COMMENTED,
                    "danger": transition.action == ReviewAction.RETURN,
                }
            )
    return actions
