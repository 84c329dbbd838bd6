"""Builders for flowchart tests: posts and charts made of named steps."""

import factory
from factory.django import DjangoModelFactory

from powerlist.models import Flowchart, Post, Step, StepTransition


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post
        django_get_or_create = ("department", "name")

    name = factory.Sequence(lambda n: f"岗位{n}")
    duties = "依法办理本岗位事项。"


CHANNEL = "投诉电话:024-12345678;地址:沈阳市皇姑区北京街1号;网址:https://www.example.gov.cn/ts"


def build_chart(power, steps, transitions, *, posts=None, kind=Flowchart.Kind.POWER):
    """A flowchart for `power` with `steps` given as names or dicts (defaults: a post
    of the department, a complaint channel on the first step, the last step final)
    and `transitions` as (source index, target index[, label])."""
    department = power.department
    if posts is None:
        posts = [PostFactory(department=department, name="受理岗")]
    chart = Flowchart.objects.create(
        kind=kind, region_id=department.region_id, department=department, category=power.category,
        power=power if kind == Flowchart.Kind.POWER else None, division=power.division, title=f"{power.name}流程图",
    )
    objs = []
    for i, spec in enumerate(steps):
        spec = {"name": spec} if isinstance(spec, str) else dict(spec)
        spec.setdefault("post", posts[i % len(posts)])
        spec.setdefault("complaint_channels", CHANNEL if i == 0 else "")
        spec.setdefault("is_final", i == len(steps) - 1)
        objs.append(Step.objects.create(flowchart=chart, order=i, **spec))
    for t in transitions:
        source, target, label = (tuple(t) + ("",))[:3]
        StepTransition.objects.create(flowchart=chart, source=objs[source], target=objs[target], label=label)
    return chart


def linear(power, names, **kwargs):
    return build_chart(power, names, [(i, i + 1) for i in range(len(names) - 1)], **kwargs)
