"""A main item and its sub-items travelling the review together.

A department chooses, per action, to send a main item alone (the review machine's own
action, one item) or with its sub-items: `power_family_apply` takes the action on the
main item and then on every sub-item that stood in the same state, in one transaction,
so either all of them move or none does.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from powerlist.catalogue.models import Power
from powerlist.review import outbox
from powerlist.review.engine import flow_apply


def family_members(power):
    """The sub-items that travel with `power` from its current state (code order)."""
    if power.parent_id:
        return Power.objects.none()
    return power.sub_items.filter(state=power.state).order_by("code")


def power_family_apply(*, user, power, action, comment="", expected_version=None):
    """Take `action` on the main item `power` and on each of its sub-items in the same
    state, all or nothing.

    Returns (main item, [sub-items]) as updated. Raises whatever the review engine
    raises for the first item that refuses (Http404, PermissionDenied with the reason,
    TransitionConflict, ValidationError naming the item), and then nothing was changed.
    Notices go out as one digest per recipient for the whole family.
    """
    with outbox.collecting(), transaction.atomic():
        members = list(family_members(power))
        main = flow_apply(user=user, obj=power, action=action, comment=comment, expected_version=expected_version)
        subs = []
        for sub in members:
            try:
                subs.append(flow_apply(user=user, obj=sub, action=action, comment=comment))
            except ValidationError as exc:
                raise ValidationError(
                    [_("子项“%(sub)s”:%(reason)s") % {"sub": sub, "reason": m} for m in exc.messages]
                ) from exc
    return main, subs
