"""Dotted path named by config/settings.py (SPECTACULAR["ENUM_NAME_OVERRIDES"]) and by
supervision/permissions.py; roles live in powerlist.org.roles. Remove once both name
that module."""

from powerlist.org.roles import DEPARTMENT_ROLES, REGION_ROLES, Role

__all__ = ["DEPARTMENT_ROLES", "REGION_ROLES", "Role"]
