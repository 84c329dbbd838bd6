"""What the review engine calls on a reviewed item, registered per model.

A reviewed model's own app registers its hooks at start-up (AppConfig.ready), so the
model imports no services and the engine imports no reviewed app:

    precheck(obj, action)   raise ValidationError to refuse the action (e.g. an
                            invalid flowchart on submission)
    snapshot(obj) -> dict   the content as plain data, stored with each submission so
                            reviewers see what changed since the last one
    on_confirmed(obj, user) inside the confirming transaction (e.g. freeze the
                            confirmed revision)

Every hook is optional; a model that registers none is reviewed without them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewHooks:
    precheck: Callable | None = None
    snapshot: Callable | None = None
    on_confirmed: Callable | None = None


NO_HOOKS = ReviewHooks()
_hooks_by_model = {}


def register_review_hooks(model, *, precheck=None, snapshot=None, on_confirmed=None):
    """Register the hooks of a reviewed model; registering again replaces them."""
    _hooks_by_model[model] = ReviewHooks(precheck=precheck, snapshot=snapshot, on_confirmed=on_confirmed)


def review_hooks_for(model) -> ReviewHooks:
    return _hooks_by_model.get(model, NO_HOOKS)
