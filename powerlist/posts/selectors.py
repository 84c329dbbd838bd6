"""Reads for posts (岗位说明书): the department's posts with the powers each touches, and
the flowchart steps naming a post."""

from powerlist.flowcharts.models import Step
from powerlist.posts.models import Post


def post_queryset():
    return Post.objects.select_related("department", "division")


def post_list_with_powers(*, department):
    """The department's posts, each with the powers it touches: those whose flowchart
    has a step naming the post, plus those added by hand. Three queries in all."""
    posts = list(
        post_queryset().filter(department=department).prefetch_related("extra_powers").order_by("order", "name")
    )
    derived = (
        Step.objects.filter(post__department=department, flowchart__power__isnull=False)
        .values_list("post_id", "flowchart__power_id", "flowchart__power__code", "flowchart__power__name")
        .distinct()
    )
    by_post = {}
    for post_id, power_id, code, name in derived:
        by_post.setdefault(post_id, {})[power_id] = {"id": power_id, "code": code, "name": name, "derived": True}
    for post in posts:
        powers = by_post.get(post.pk, {})
        for power in post.extra_powers.all():
            powers.setdefault(power.pk, {"id": power.pk, "code": power.code, "name": power.name, "derived": False})
        post.powers_touched = sorted(powers.values(), key=lambda p: p["code"])
    return posts


def post_steps(post):
    """The flowchart steps that name a post (for its description page)."""
    return (
        Step.objects.filter(post=post)
        .select_related("flowchart", "flowchart__power")
        .order_by("flowchart__title", "order")
    )
