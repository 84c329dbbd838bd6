"""Reads of the review machine: what waits for a role (as a Q any reviewed model can
filter by)."""

from django.db.models import Q

from powerlist.org.roles import Role
from powerlist.org.selectors import has_stand_in, stand_in_departments
from powerlist.review.models import ReviewState


def review_queue_q(user, role) -> Q:
    """What waits for `user` acting as `role` ("waiting for me"), as a Q."""
    if not user.department_id and role != Role.DEPARTMENT_REVIEWER:
        return Q(pk__in=[])
    if role == Role.CLERK:
        q = Q(department_id=user.department_id, state=ReviewState.DRAFT)
        if user.division_id:
            q &= Q(division_id=user.division_id)
        return q
    if role == Role.DEPARTMENT_REVIEWER:
        own = Q(department_id=user.department_id) if user.has_role(role) else Q(pk__in=[])
        if has_stand_in(user):
            own |= Q(department_id__in=stand_in_departments(user))
        return own & Q(state=ReviewState.DEPARTMENT_REVIEW)
    region_id = user.department.region_id
    if role == Role.OFFICE_REVIEWER:
        return Q(region_id=region_id, state=ReviewState.OFFICE_REVIEW)
    if role == Role.ESTABLISHMENT_CONFIRMER:
        return Q(region_id=region_id, state=ReviewState.FINAL_REVIEW, establishment_confirmed_by__isnull=True)
    if role == Role.LEGAL_CONFIRMER:
        return Q(region_id=region_id, state=ReviewState.FINAL_REVIEW, legal_confirmed_by__isnull=True)
    return Q(pk__in=[])
