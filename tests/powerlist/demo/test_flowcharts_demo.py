"""seed_demo gives every demo power a flowchart, idempotently."""

import pytest

from powerlist import demo
from powerlist.flowcharts.content import flowchart_content, flowchart_problems
from powerlist.models import Flowchart, Post, Power, ReviewState


@pytest.mark.django_db
def test_every_demo_power_gets_a_flowchart_and_seed_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = demo.seed({"password": "demo-pass-123"})
    powers = Power.objects.all()
    assert powers.count() >= 30
    assert not powers.filter(flowchart__isnull=True).exists()
    fgw = ctx["fgw"]
    assert Flowchart.objects.filter(kind="category", department=fgw).count() == 3
    assert Post.objects.filter(department=fgw).count() >= 8
    confirmed = Flowchart.objects.filter(state=ReviewState.CONFIRMED, in_force__isnull=False)
    assert confirmed.exists()
    for chart in Flowchart.objects.filter(department=fgw):
        assert flowchart_problems(flowchart_content(chart)) == [], chart
    before = Flowchart.objects.count(), Post.objects.count()
    demo.seed(ctx | {"password": "demo-pass-123"})
    assert (Flowchart.objects.count(), Post.objects.count()) == before
