"""Dotted path named by config/settings.py (SPECTACULAR["ENUM_NAME_OVERRIDES"]); the
models live in powerlist.org.models. Remove once the settings name that module."""

from powerlist.org.models import Department, Region

__all__ = ["Department", "Region"]
