"""Who may take which transition of a flow: the one predicate the engine, the pages'
buttons, the API's open actions and the batch forms all ask. The transitions
themselves are the flow's table (powerlist.review.flow, .flows)."""

from django.utils.translation import gettext as _

from powerlist.org.permissions import Decision, acts_as, allow, deny, role_in_scope, signed_in
from powerlist.org.roles import role_label
from powerlist.review.flow import Buttons


def can_take(user, obj, transition) -> Decision:
    """May `user` take `transition` on `obj`: they hold one of its roles (by assignment
    or as a stand-in, powerlist.org.permissions.acts_as), in scope (role_in_scope)."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    for role in sorted(transition.roles):
        if role_in_scope(user, role, obj):
            return allow(role)
    if not any(acts_as(user, r) for r in transition.roles):
        names = "、".join(str(role_label(r)) for r in sorted(transition.roles))
        return deny(_("此操作需要“%(roles)s”角色。") % {"roles": names})
    return deny(_("该事项不在您的管辖范围内(本部门、本级本区划)。"))


def can_transition(user, obj, action) -> Decision:
    """May `user` take `action` on `obj` in its current state?"""
    transition = obj.flow.find(obj.state, action)
    if transition is None:
        return deny(
            _("当前状态“%(state)s”下不能执行此操作。") % {"state": obj.flow.label_of_state(obj.state)}
        )
    return can_take(user, obj, transition)


def available_actions(user, obj) -> Buttons:
    """The actions `user` may take on `obj` now, read from its flow (for buttons and the
    API's open actions); `.takes_comment` says whether the form needs a comment box."""
    flow = obj.flow
    return Buttons(flow.button(t.action, [t]) for t in flow.transitions_from(obj.state) if can_take(user, obj, t))
