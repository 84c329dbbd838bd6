"""Encryption at rest of the complainant's identity (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from the environment (settings.COMPLAINT_IDENTITY_KEY, a Fernet key:
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).
Old keys stay readable while the data is re-encrypted: COMPLAINT_IDENTITY_OLD_KEYS
(comma-separated) are tried after the current key. Only DEBUG has a fixed development
key; without DEBUG a missing key stops the portal at its first use of an identity, and
`manage.py check --deploy` reports it (supervision.complaints.checks, supervision.E201).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables

DEVELOPMENT_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"power-list-portal development only").digest()).decode()


def configured_key() -> str:
    """The current key: the setting, else the development key with DEBUG, else ''."""
    return settings.COMPLAINT_IDENTITY_KEY or (DEVELOPMENT_KEY if settings.DEBUG else "")


def key_problem() -> str:
    """Why the key cannot be used in production ('' when it can)."""
    key = settings.COMPLAINT_IDENTITY_KEY
    if not key:
        return "COMPLAINT_IDENTITY_KEY is not set"
    if key == DEVELOPMENT_KEY:
        return "COMPLAINT_IDENTITY_KEY is the development key"
    try:
        Fernet(key)
    except (ValueError, TypeError):
        return "COMPLAINT_IDENTITY_KEY is not a Fernet key (32 url-safe base64-encoded bytes)"
    return ""


def _fernet() -> MultiFernet:
    key = configured_key()
    if not key:
        raise ImproperlyConfigured("COMPLAINT_IDENTITY_KEY is not set: complainants' identities cannot be stored.")
    keys = [key, *[k for k in settings.COMPLAINT_IDENTITY_OLD_KEYS if k]]
    return MultiFernet([Fernet(k) for k in keys])


@sensitive_variables()
def identity_encrypt(value: str) -> str:
    """A token for `value` ('' stays '')."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


@sensitive_variables()
def identity_decrypt(token: str) -> str:
    """The value of a token; '' for an empty token. A token no configured key opens
    raises ImproperlyConfigured (the key was changed without keeping the old one)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A complainant identity cannot be decrypted: keep the old key in COMPLAINT_IDENTITY_OLD_KEYS."
        ) from None
