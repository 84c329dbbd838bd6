"""The review chain's two flows (清权确权 → 目录 → 流程图, and 廉政风险点), as data.

    draft → department_review → office_review → final_review → confirmed   (REVIEW_WITH_FINAL)
    draft → department_review → office_review → confirmed                  (REVIEW_WITHOUT_FINAL)

Final confirmation needs both the establishment office and the legal office of the
item's region, in either order ("编委办会同法制办"). Any reviewer of the current stage
may return the item to draft with a comment; the clerk may withdraw before the
department acts; a confirmed item is revised by opening a new draft revision, while the
confirmed one stays in force.
"""

from django.utils.translation import gettext_lazy as _

from powerlist.org.roles import Role
from powerlist.review.flow import OPTIONAL, REQUIRED, Flow, transition
from powerlist.review.models import ReviewAction as A
from powerlist.review.models import ReviewState as S

CONFIRMATION_SLOTS = {"establishment": "establishment_confirmed_by", "legal": "legal_confirmed_by"}

_SUBMIT = transition(S.DRAFT, A.SUBMIT, {Role.CLERK}, S.DEPARTMENT_REVIEW, batch=True,
                     effects=("stamp_submitted", "store_snapshot", "notify_next"))
_WITHDRAW = transition(S.DEPARTMENT_REVIEW, A.WITHDRAW, {Role.CLERK}, S.DRAFT, waiting=False,
                       effects=("clear_confirmations",))
_DEPT_APPROVE = transition(S.DEPARTMENT_REVIEW, A.APPROVE, {Role.DEPARTMENT_REVIEWER}, S.OFFICE_REVIEW,
                           comment=OPTIONAL, batch=True, effects=("notify_next",))
_DEPT_RETURN = transition(S.DEPARTMENT_REVIEW, A.RETURN, {Role.DEPARTMENT_REVIEWER}, S.DRAFT,
                          comment=REQUIRED, batch=True, waiting=False,
                          effects=("store_return_comment", "clear_confirmations", "notify_owner"))
_OFFICE_RETURN = transition(S.OFFICE_REVIEW, A.RETURN, {Role.OFFICE_REVIEWER}, S.DRAFT, comment=REQUIRED,
                            batch=True, waiting=False, effects=("store_return_comment", "clear_confirmations", "notify_owner"))
_REVISE = transition(S.CONFIRMED, A.REVISE, {Role.CLERK}, S.DRAFT, waiting=False,
                     effects=("open_revision", "clear_confirmations"))

REVIEW_WITH_FINAL = Flow(
    name="review_with_final",
    label=_("审核(含编委办、法制办最终确认)"),
    states=S,
    actions=A,
    initial=S.DRAFT,
    owner_role=Role.CLERK,
    confirmations=CONFIRMATION_SLOTS,
    on_enter={S.CONFIRMED: ("stamp_confirmed", "put_in_force", "notify_owner")},
    transitions=(
        _SUBMIT,
        _WITHDRAW,
        _DEPT_APPROVE,
        _DEPT_RETURN,
        transition(S.OFFICE_REVIEW, A.APPROVE, {Role.OFFICE_REVIEWER}, S.FINAL_REVIEW, comment=OPTIONAL,
                   batch=True, effects=("clear_confirmations", "notify_next")),
        _OFFICE_RETURN,
        transition(S.FINAL_REVIEW, A.CONFIRM_ESTABLISHMENT, {Role.ESTABLISHMENT_CONFIRMER}, S.CONFIRMED,
                   comment=OPTIONAL, batch=True, confirms="establishment", needs={"establishment", "legal"}),
        transition(S.FINAL_REVIEW, A.CONFIRM_LEGAL, {Role.LEGAL_CONFIRMER}, S.CONFIRMED,
                   comment=OPTIONAL, batch=True, confirms="legal", needs={"establishment", "legal"}),
        transition(S.FINAL_REVIEW, A.RETURN, {Role.ESTABLISHMENT_CONFIRMER, Role.LEGAL_CONFIRMER}, S.DRAFT,
                   comment=REQUIRED, batch=True, waiting=False,
                   effects=("store_return_comment", "clear_confirmations", "notify_owner")),
        _REVISE,
    ),
)

REVIEW_WITHOUT_FINAL = Flow(
    name="review_without_final",
    label=_("审核(部门、领导小组办公室)"),
    states=S,
    actions=A,
    initial=S.DRAFT,
    owner_role=Role.CLERK,
    confirmations={},
    on_enter={S.CONFIRMED: ("stamp_confirmed", "put_in_force", "notify_owner")},
    transitions=(
        _SUBMIT,
        _WITHDRAW,
        _DEPT_APPROVE,
        _DEPT_RETURN,
        transition(S.OFFICE_REVIEW, A.APPROVE, {Role.OFFICE_REVIEWER}, S.CONFIRMED, comment=OPTIONAL,
                   batch=True),
        _OFFICE_RETURN,
        _REVISE,
    ),
)
