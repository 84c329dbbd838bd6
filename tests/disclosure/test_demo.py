"""seed_demo publishes the province 发展改革委 twice (with a difference). The city 发展改革委
publishes once it has a confirmed power: the demo has none yet (its adoptions stay drafts or
in department review, and no city office users exist to confirm them)."""

import pytest
from django.core.management import call_command

from disclosure.models import Publication, PublishedPower

pytestmark = pytest.mark.django_db


def test_seed_demo_publishes_history_and_city(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", password="demo-pass-123", stdout=open("/dev/null", "w"))
    province = Publication.objects.filter(region__code="210000", department__name="发展改革委").order_by("number")
    assert [p.number for p in province] == [1, 2]
    assert (province[1].changed_count, province[1].added_count, province[1].cancelled_count) == (1, 0, 0)
    changed = PublishedPower.objects.get(publication=province[1], version=2)
    assert client.get(f"/p/210000/{changed.code}/compare/", {"a": 1, "b": 2}).status_code == 200
    # One recorded deferral and one recorded adjustment note in the demo department.
    from disclosure.register import AdjustmentNote, NonDisclosure

    assert list(NonDisclosure.objects.values_list("department__name", "kind", "state")) == [
        ("发展改革委", "deferred", "recorded")]
    assert list(AdjustmentNote.objects.values_list("department__name", "state")) == [("发展改革委", "recorded")]
    department = province[0].department_id
    assert "暂缓公开" in client.get(f"/r/210000/d/{department}/").content.decode()
    assert "根据机构改革方案调整部分职责" in client.get(f"/r/210000/d/{department}/changes/").content.decode()
    call_command("seed_demo", password="demo-pass-123", stdout=open("/dev/null", "w"))
    assert Publication.objects.count() == 2
    assert (NonDisclosure.objects.count(), AdjustmentNote.objects.count()) == (1, 1)
