"""`manage.py check --deploy` demands a real key for the complainants' identities."""

from django.core import checks

from supervision.complaints.crypto import key_problem


@checks.register(checks.Tags.security, deploy=True)
def check_identity_key(app_configs=None, **kwargs):
    problem = key_problem()
    if not problem:
        return []
    return [checks.Error(
        f"{problem}: complainants' identities would not be protected.",
        hint="Set COMPLAINT_IDENTITY_KEY to a key from cryptography.fernet.Fernet.generate_key() "
             "(keep earlier keys in COMPLAINT_IDENTITY_OLD_KEYS).",
        id="supervision.E201",
    )]
