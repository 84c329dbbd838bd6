"""Post description pages (岗位说明书): the department's posts with the powers each
touches, and create / edit / delete for clerks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from powerlist.org.models import Department
from powerlist.org.permissions import can_create_in
from powerlist.pages import apply_errors
from powerlist.posts.forms import PostForm
from powerlist.posts.permissions import can_view_posts
from powerlist.posts.selectors import post_list_with_powers, post_queryset, post_steps
from powerlist.posts.services import post_create, post_delete, post_update


def _department(request, department_id=None):
    """The department whose posts are shown: one named in the URL that the user may
    not read is 404 (like a missing one); the user's own, 403 with the reason."""
    explicit = department_id is not None
    department_id = department_id or request.user.department_id
    if not department_id:
        raise PermissionDenied(_("您的账号未分配部门。"))
    department = get_object_or_404(Department.objects.select_related("region"), pk=department_id)
    decision = can_view_posts(request.user, department)
    if not decision and explicit:
        raise Http404
    if not decision:
        raise PermissionDenied(decision.reason)
    return department


def _post(request, pk):
    post = get_object_or_404(post_queryset(), pk=pk)
    _department(request, post.department_id)
    return post


@login_required
def post_list_view(request, department_id=None):
    department = _department(request, department_id)
    return render(request, "powerlist/post_list.html", {
        "department": department,
        "posts": post_list_with_powers(department=department),
        "can_edit": bool(can_create_in(request.user, department)),
    })


@login_required
def post_detail_view(request, pk):
    post = _post(request, pk)
    posts = [p for p in post_list_with_powers(department=post.department) if p.pk == post.pk]
    return render(request, "powerlist/post_detail.html", {
        "post": post,
        "powers": posts[0].powers_touched if posts else [],
        "steps": post_steps(post),
        "can_edit": bool(can_create_in(request.user, post.department)),
    })


@login_required
def post_create_view(request):
    department = _department(request)
    form = PostForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            post = post_create(user=request.user, department=department, data=form.content(),
                               extra_powers=form.cleaned_data["extra_powers"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增岗位:%(name)s") % {"name": post.name})
            return redirect("powerlist:post_list")
    elif request.method == "GET" and not can_create_in(request.user, department):
        raise PermissionDenied(_("只有本部门的经办人可以维护岗位说明书。"))
    return render(request, "powerlist/post_form.html", {"form": form, "post": None})


@login_required
def post_edit_view(request, pk):
    post = _post(request, pk)
    if not can_create_in(request.user, post.department):
        raise PermissionDenied(_("只有本部门的经办人可以维护岗位说明书。"))
    form = PostForm(request.POST or None, instance=post, department=post.department)
    if request.method == "POST" and form.is_valid():
        try:
            post_update(user=request.user, post=post, data=form.content(),
                        extra_powers=form.cleaned_data["extra_powers"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存岗位说明书:%(name)s") % {"name": post.name})
            return redirect("powerlist:post_detail", pk=post.pk)
    return render(request, "powerlist/post_form.html", {"form": form, "post": post})


@login_required
def post_delete_view(request, pk):
    post = _post(request, pk)
    if request.method == "POST":
        try:
            post_delete(user=request.user, post=post)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return redirect("powerlist:post_detail", pk=post.pk)
        messages.success(request, _("已删除岗位:%(name)s") % {"name": post.name})
        return redirect("powerlist:post_list")
    if not can_create_in(request.user, post.department):
        raise PermissionDenied(_("只有本部门的经办人可以维护岗位说明书。"))
    return render(request, "powerlist/post_confirm_delete.html", {"post": post})
