"""The shared mechanisms the complaint flow added: an app's own effects and principal roles."""

import pytest

from powerlist.org.roles import Role, role_label
from powerlist.review.engine import EFFECTS, Effect, effect_register
from supervision.complaints.flow import COMPLAINANT
from supervision.complaints.flow_contract import COMPLAINT_EFFECTS


def test_effects_are_registered_once_and_a_taken_name_is_refused():
    for effect in COMPLAINT_EFFECTS:
        assert EFFECTS[effect.name] is effect
    # ready() may run again (the same effect is accepted); another one under the name is not.
    effect_register(COMPLAINT_EFFECTS[0])
    with pytest.raises(ValueError, match="complaint_stamp_accepted"):
        effect_register(Effect("complaint_stamp_accepted", before=lambda step: None))
    with pytest.raises(ValueError, match="notify_next"):
        effect_register(Effect("notify_next"))
    assert EFFECTS["complaint_stamp_accepted"] is COMPLAINT_EFFECTS[0]


def test_principal_role_has_its_registered_label_beside_the_organisation_roles():
    assert str(role_label(COMPLAINANT)) == "投诉人"
    assert str(role_label(Role.SUPERVISOR)) == str(Role.SUPERVISOR.label)
    with pytest.raises(ValueError):
        role_label("nobody")
