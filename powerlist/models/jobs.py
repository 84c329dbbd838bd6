"""Dotted path named by config/settings.py (SPECTACULAR["ENUM_NAME_OVERRIDES"]); the
models live in powerlist.jobs.models. Remove once the settings name that module."""

from powerlist.jobs.models import Job

__all__ = ["Job"]
