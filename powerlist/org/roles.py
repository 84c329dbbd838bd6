"""The roles a user can hold, and the scope each one acts in.

A role is scoped by the user's place in the organisation: a clerk to their division
(or department when they have none), a department reviewer to their department, the
office roles to the region of their office (reads also cover the regions below).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("经办人")
    DEPARTMENT_REVIEWER = "department_reviewer", _("部门审核人")
    OFFICE_REVIEWER = "office_reviewer", _("领导小组办公室审核人")
    ESTABLISHMENT_CONFIRMER = "establishment_confirmer", _("编委办确认人")
    LEGAL_CONFIRMER = "legal_confirmer", _("法制办确认人")
    EXPERT = "expert", _("专家")
    SUPERVISOR = "supervisor", _("纪检监察")
    ADMINISTRATOR = "administrator", _("系统管理员")


# Roles whose scope is the whole region of the user's office.
REGION_ROLES = frozenset(
    {
        Role.OFFICE_REVIEWER,
        Role.ESTABLISHMENT_CONFIRMER,
        Role.LEGAL_CONFIRMER,
        Role.SUPERVISOR,
    }
)
# Roles whose scope is the user's own department (or division).
DEPARTMENT_ROLES = frozenset({Role.CLERK, Role.DEPARTMENT_REVIEWER})


# Roles no account is granted: a principal bound to one item holds them for that item
# only (the complainant, supervision.complaints.principal). The app that uses one
# registers its label from AppConfig.ready.
_principal_role_labels = {}


def principal_role_register(role, label):
    _principal_role_labels[role] = label


def role_label(role):
    """The label of an organisation role or a registered principal role."""
    if role in _principal_role_labels:
        return _principal_role_labels[role]
    return Role(role).label
