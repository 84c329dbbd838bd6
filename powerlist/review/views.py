"""Review actions for any reviewable item (powers, flowcharts, risk points …)."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from powerlist.review.engine import SERVICE_BY_ACTION, review_batch
from powerlist.review.flows import COMMENTED
from powerlist.review.models import Reviewable, ReviewAction


def reviewable_model(label):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404
    if not issubclass(model, Reviewable):
        raise Http404
    return model


def _back(request, fallback):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _error_text(exc):
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@login_required
@require_POST
def review_action(request, label, pk, action):
    """Take one review action. Refusals by role or scope are a 403 with the reason;
    a stale page or missing comment comes back as a message on the page."""
    model = reviewable_model(label)
    if action not in SERVICE_BY_ACTION:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    kwargs = {"user": request.user, "obj": obj, "expected_version": request.POST.get("version") or None}
    if action in COMMENTED:
        kwargs["comment"] = request.POST.get("comment", "")
    fallback = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/workspace/"
    try:
        SERVICE_BY_ACTION[action](**kwargs)  # PermissionDenied propagates: the 403 page with the reason
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _back(request, fallback)
    messages.success(
        request, _("已完成“%(action)s”:%(item)s") % {"action": ReviewAction(action).label, "item": obj}
    )
    return _back(request, fallback)


@login_required
@require_POST
def review_batch_action(request, label):
    model = reviewable_model(label)
    action = request.POST.get("action", "")
    if action not in SERVICE_BY_ACTION:
        raise Http404
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
    if not ids:
        messages.error(request, _("请先勾选要处理的事项。"))
        return _back(request, "/workspace/")
    if action == ReviewAction.RETURN and not request.POST.get("comment", "").strip():
        messages.error(request, _("批量退回时必须填写意见。"))
        return _back(request, "/workspace/")
    objs = model.objects.filter(pk__in=ids).order_by("pk")
    result = review_batch(user=request.user, objs=objs, action=action, comment=request.POST.get("comment", ""))
    if result.done:
        messages.success(
            request,
            ngettext("已处理 %(n)d 项。", "已处理 %(n)d 项。", len(result.done)) % {"n": len(result.done)},
        )
    for obj, reason in result.refused:
        messages.error(request, _("%(item)s 未处理:%(reason)s") % {"item": obj, "reason": reason})
    return _back(request, "/workspace/")
