"""Dotted path named by config/settings.py (SPECTACULAR["ENUM_NAME_OVERRIDES"]); the
models live in powerlist.review.models. Remove once the settings name that module."""

from powerlist.review.models import ReviewAction, ReviewState

__all__ = ["ReviewAction", "ReviewState"]
