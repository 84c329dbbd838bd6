"""Explicit extension points of powerlist for the apps above it.

powerlist never imports riskpoints; instead riskpoints registers a handler at start-up
(RiskpointsConfig.ready) and powerlist services call `power_content_changed` when a
power's duties, flowchart or posts change. Handlers run after the commit, so they see
the saved data and a rolled-back edit notifies nobody.

`on_power_confirmed` is the same kind of point for the content in force: disclosure
registers a handler (automatic publication) and powerlist calls `power_confirmed` when a
power's or its flowchart's confirmed revision is put in force.
"""

from django.db import transaction

_content_changed_handlers = []


def on_power_content_changed(handler):
    """Register `handler(*, power_ids, reason)`; registering twice is harmless."""
    if handler not in _content_changed_handlers:
        _content_changed_handlers.append(handler)
    return handler


def power_content_changed(*, power_ids, reason):
    """Tell the registered apps that these powers' content changed (after commit)."""
    ids = sorted({pk for pk in power_ids if pk})
    if not ids:
        return

    def run():
        for handler in list(_content_changed_handlers):
            handler(power_ids=ids, reason=reason)

    transaction.on_commit(run)


_confirmed_handlers = []


def on_power_confirmed(handler):
    """Register `handler(*, power_ids)`; registering twice is harmless."""
    if handler not in _confirmed_handlers:
        _confirmed_handlers.append(handler)
    return handler


def power_confirmed(*, power_ids):
    """Tell the registered apps that new content of these powers is in force (after commit)."""
    ids = sorted({pk for pk in power_ids if pk})
    if not ids:
        return

    def run():
        for handler in list(_confirmed_handlers):
            handler(power_ids=ids)

    transaction.on_commit(run)
