"""The one error a service raises when the item changed under the user.

Conflict is a ValidationError, so a page shows its message where it shows any refused
save (the form's error summary, or a message on the item's page); the API answers it
409 (powerlist.api.ServiceErrorsMixin). The rest of the contract: an item the user may
not read is Http404, a refusal of what they may read is PermissionDenied with the
reason (403), invalid input is ValidationError (400 in the API).
"""

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The item changed since the user read it (a stale version, or another user
    acted first): nothing was written; reading the item again resolves it."""
