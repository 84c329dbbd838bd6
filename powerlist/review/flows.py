"""The review machine shared by everything that is reviewed (powers, flowcharts,
risk points, non-disclosure records).

The transition table is data: each cell says which role may take which action from
which state, and where it leads. Tests walk every (state, action, role) cell.

    draft → department_review → office_review → final_review → confirmed
                                              ↘ confirmed            (flows without final confirmation)

Final confirmation needs both the establishment office and the legal office of the
item's region, in either order. Any reviewer of the current stage may return the
item to draft with a comment; the clerk may withdraw before review starts; a
confirmed item is revised by starting a new draft revision.
"""

from dataclasses import dataclass

from powerlist.org.roles import Role
from powerlist.review.models import ReviewAction, ReviewState

S = ReviewState
A = ReviewAction

# Roles that take part in reviewing (as opposed to editing).
REVIEWER_ROLES = frozenset(
    {Role.DEPARTMENT_REVIEWER, Role.OFFICE_REVIEWER, Role.ESTABLISHMENT_CONFIRMER, Role.LEGAL_CONFIRMER}
)
# Actions that carry a reviewer's comment (required on return, optional otherwise).
COMMENTED = frozenset(
    {A.APPROVE, A.RETURN, A.CONFIRM_ESTABLISHMENT, A.CONFIRM_LEGAL}
)
FINAL_CONFIRMERS = {
    A.CONFIRM_ESTABLISHMENT: ("establishment_confirmed_by", Role.ESTABLISHMENT_CONFIRMER),
    A.CONFIRM_LEGAL: ("legal_confirmed_by", Role.LEGAL_CONFIRMER),
}


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    roles: frozenset
    # Target state; for office approval it depends on whether the flow has a final
    # confirmation, for final confirmation on whether the other office has approved.
    target: str
    comment_required: bool = False


def _t(source, action, roles, target, comment_required=False):
    return Transition(source, action, frozenset(roles), target, comment_required)


TRANSITIONS_WITH_FINAL = (
    _t(S.DRAFT, A.SUBMIT, {Role.CLERK}, S.DEPARTMENT_REVIEW),
    _t(S.DEPARTMENT_REVIEW, A.WITHDRAW, {Role.CLERK}, S.DRAFT),
    _t(S.DEPARTMENT_REVIEW, A.APPROVE, {Role.DEPARTMENT_REVIEWER}, S.OFFICE_REVIEW),
    _t(S.DEPARTMENT_REVIEW, A.RETURN, {Role.DEPARTMENT_REVIEWER}, S.DRAFT, True),
    _t(S.OFFICE_REVIEW, A.APPROVE, {Role.OFFICE_REVIEWER}, S.FINAL_REVIEW),
    _t(S.OFFICE_REVIEW, A.RETURN, {Role.OFFICE_REVIEWER}, S.DRAFT, True),
    _t(S.FINAL_REVIEW, A.CONFIRM_ESTABLISHMENT, {Role.ESTABLISHMENT_CONFIRMER}, S.CONFIRMED),
    _t(S.FINAL_REVIEW, A.CONFIRM_LEGAL, {Role.LEGAL_CONFIRMER}, S.CONFIRMED),
    _t(S.FINAL_REVIEW, A.RETURN, {Role.ESTABLISHMENT_CONFIRMER, Role.LEGAL_CONFIRMER}, S.DRAFT, True),
    _t(S.CONFIRMED, A.REVISE, {Role.CLERK}, S.DRAFT),
)

TRANSITIONS_WITHOUT_FINAL = tuple(
    (_t(t.source, t.action, t.roles, S.CONFIRMED) if (t.source, t.action) == (S.OFFICE_REVIEW, A.APPROVE) else t)
    for t in TRANSITIONS_WITH_FINAL
    if t.source != S.FINAL_REVIEW
)


def transitions_for(model) -> tuple:
    """The table for a reviewable model (its `review_final_confirmation` flag)."""
    if getattr(model, "review_final_confirmation", True):
        return TRANSITIONS_WITH_FINAL
    return TRANSITIONS_WITHOUT_FINAL


def find_transition(model, state, action):
    for t in transitions_for(model):
        if t.source == state and t.action == action:
            return t
    return None


def actions_from(model, state) -> list:
    return [t for t in transitions_for(model) if t.source == state]
