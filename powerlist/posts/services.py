"""Writes to posts (岗位) and their post descriptions (岗位说明书)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from powerlist.catalogue.hooks import power_content_changed
from powerlist.catalogue.models import Power
from powerlist.flowcharts.models import Step
from powerlist.org.permissions import can_create_in
from powerlist.posts.models import Post
from powerlist.unique import refuse_duplicate

POST_FIELDS = ("name", "division", "duties", "qualifications", "order")


def _check(user, department):
    decision = can_create_in(user, department)
    if not decision:
        raise PermissionDenied(_("只有本部门的经办人可以维护岗位说明书。"))
    return decision


def _check_name_free(post):
    if Post.objects.filter(department_id=post.department_id, name=post.name).exclude(pk=post.pk).exists():
        raise ValidationError({"name": _("本部门已有名为“%(name)s”的岗位。") % {"name": post.name}})


def _apply(post, data, extra_powers):
    for name in POST_FIELDS:
        if name in data:
            setattr(post, name, data[name])
    post.name = (post.name or "").strip()
    if post.division_id and post.division.department_id != post.department_id:
        raise ValidationError({"division": _("处(科、室)必须属于本部门。")})
    _check_name_free(post)
    # The name constraint was checked above with a message naming the field.
    post.full_clean(exclude=["extra_powers"], validate_constraints=False)
    with refuse_duplicate(lambda: _check_name_free(post)):
        post.save()
    if extra_powers is not None:
        powers = list(extra_powers)
        if any(p.department_id != post.department_id for p in powers):
            raise ValidationError({"extra_powers": _("只能指定本部门的权力事项。")})
        post.extra_powers.set(powers)
    return post


def post_create(*, user, department, data, extra_powers=()):
    """Create a post in `department`. Raises PermissionDenied unless a clerk of the
    department; ValidationError on a duplicate name or a division of another department."""
    _check(user, department)
    with transaction.atomic():
        return _apply(Post(department=department), data, extra_powers)


def post_update(*, user, post, data, extra_powers=None):
    """Update a post description (and, when given, the powers added by hand). When the
    duties change, the powers the post handles are reported to powerlist.hooks (their
    confirmed risk points need re-grading)."""
    _check(user, post.department)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        old_duties = locked.duties
        saved = _apply(locked, data, extra_powers)
        if saved.duties != old_duties:
            power_ids = set(Step.objects.filter(post=saved).values_list("flowchart__power_id", flat=True))
            power_ids |= set(saved.extra_powers.values_list("pk", flat=True))
            power_content_changed(power_ids=power_ids, reason=_("承办岗位“%(post)s”的职责已变更") % {"post": saved})
        return saved


def post_delete(*, user, post):
    """Delete a post no flowchart step names. Raises ValidationError while steps still
    name it, so no flowchart silently loses its handling post."""
    _check(user, post.department)
    with transaction.atomic():
        used = post.steps.count()
        if used:
            raise ValidationError(
                _("仍有 %(n)s 个流程环节由该岗位承办,请先在流程图中改派岗位。") % {"n": used}
            )
        post.delete()


def post_powers_available(department):
    """Powers a post of `department` may be assigned by hand."""
    return Power.objects.filter(department=department).order_by("code")
