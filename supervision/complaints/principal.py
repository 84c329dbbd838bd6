"""The complainant as a principal the engine checks like any role.

The complainant has no account. The tracking code and the secret phrase together prove
that the person at the keyboard filed the complaint; `complainant_authenticate` turns
them into the ComplainantActor (one service account that can never sign in) bound to
that single complaint. It holds the role COMPLAINANT for that complaint only
(`principal_reaches`, read by powerlist.org.permissions.role_in_scope), so the flow
engine checks, records ("投诉人") and refuses a complainant's action exactly as any
other role's. A wrong code or phrase gives nothing, and the same answer for both.
"""

import functools
import secrets

from django.contrib.auth.hashers import check_password, make_password

from supervision.complaints.models import COMPLAINANT_USERNAME, ComplainantActor, Complaint

# No 0/O, 1/I/L: codes and phrases are copied from paper and read over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "TS"
CODE_LENGTH = 10
PHRASE_GROUPS = 4
PHRASE_GROUP_LENGTH = 4


@functools.cache
def _dummy_hash():
    """Checked against when no complaint has the code, so a wrong code costs one hash
    like a wrong phrase and timing tells nothing. Made on first use, not at import: one
    hash with the production hasher takes 1–2 s, which every process start would pay."""
    return make_password("never-a-phrase")


def _random(n):
    return "".join(secrets.choice(ALPHABET) for _i in range(n))


def tracking_code_new() -> str:
    return CODE_PREFIX + _random(CODE_LENGTH)


def phrase_new() -> str:
    return "-".join(_random(PHRASE_GROUP_LENGTH) for _i in range(PHRASE_GROUPS))


def normalise_code(code) -> str:
    return "".join(str(code or "").split()).upper()[:20]


def normalise_phrase(phrase) -> str:
    return "".join(str(phrase or "").split()).upper().replace("—", "-")[:60]


def phrase_hash(phrase) -> str:
    return make_password(normalise_phrase(phrase))


def complainant_actor(complaint_id=None) -> ComplainantActor:
    """The service account that stands for complainants, bound to `complaint_id`."""
    actor, created = ComplainantActor.objects.get_or_create(
        username=COMPLAINANT_USERNAME, defaults={"display_name": "投诉人", "is_active": True},
    )
    if created:
        actor.set_unusable_password()
        actor.save(update_fields=["password"])
    return actor.bind(complaint_id)


def complainant_authenticate(*, tracking_code, phrase):
    """(complaint, bound actor) for a matching code and phrase, else (None, None)."""
    complaint = Complaint.objects.select_related("region", "department").filter(
        tracking_code=normalise_code(tracking_code)).first()
    encoded = complaint.phrase_hash if complaint else _dummy_hash()
    if not check_password(normalise_phrase(phrase), encoded) or complaint is None:
        return None, None
    return complaint, complainant_actor(complaint.pk)
