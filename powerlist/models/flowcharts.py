"""Dotted path named by config/settings.py (SPECTACULAR["ENUM_NAME_OVERRIDES"]); the
models live in powerlist.flowcharts.models. Remove once the settings name that module."""

from powerlist.flowcharts.models import Flowchart

__all__ = ["Flowchart"]
