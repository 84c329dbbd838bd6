"""The password policy (settings.AUTH_PASSWORD_VALIDATORS, docs/administration.md) and
the temporary passwords an administrator hands over."""

import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# No 0/O, 1/l/I: a temporary password is read out or copied by hand.
TEMPORARY_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_LENGTH = 12


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with an error in the portal's catalogue: Django's zh-hans catalogue has
    no translation of its too-short message, which reached Chinese users in English."""

    def get_error_message(self):
        return _("密码太短:至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


def password_policy() -> list:
    """The policy's rules, one sentence each, in the active language (shown on forms)."""
    return [str(text) for text in password_validators_help_texts()]


def temporary_password_generate(*, user=None) -> str:
    """A random password of TEMPORARY_LENGTH characters, with letters and digits, that
    passes the policy for `user`."""
    while True:
        candidate = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))
        if not (any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate)):
            continue
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate
