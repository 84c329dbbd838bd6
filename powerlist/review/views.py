"""Flow actions for any item that travels a flow (powers, flowcharts, risk points …):
one action, and one action on many ticked items. Both read the item's flow and call
the engine; nothing here knows which actions take a comment or may be batched."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from powerlist.inputs import MAX_ID
from powerlist.org.selectors import visible_q
from powerlist.review.contract import contract_for
from powerlist.review.engine import flow_apply, flow_batch
from powerlist.review.selectors import flow_item_readable, flow_model

BATCH_MAX = 500


class ActionForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    comment = forms.CharField(required=False, max_length=5000, strip=True)


class BatchForm(forms.Form):
    comment = forms.CharField(required=False, max_length=5000, strip=True)


def _back(request, fallback):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def review_action(request, label, pk, action):
    """Take one flow action. An item the user may not read is 404; a refusal by role,
    scope or state is the 403 page with the reason; a stale page, a missing comment or
    content that fails its checks comes back as a message on the item's page."""
    model = flow_model(label)
    obj = flow_item_readable(model, user=request.user, pk=pk)
    if action not in model.flow.action_values:
        raise Http404
    form = ActionForm(request.POST)
    fallback = contract_for(model).url(obj)
    if not form.is_valid():
        messages.error(request, _("页面已过期,请刷新后再操作。"))
        return _back(request, fallback)
    try:
        flow_apply(user=request.user, obj=obj, action=action, comment=form.cleaned_data["comment"],
                   expected_version=form.cleaned_data["version"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return _back(request, fallback)
    messages.success(request, _("已完成“%(action)s”:%(item)s")
                     % {"action": model.flow.label_of_action(action), "item": contract_for(model).describe(obj)})
    return _back(request, fallback)


@login_required
@require_POST
def review_batch_action(request, label):
    """One batchable action on the ticked items. Items the user may not read are
    counted, never named; each refusal of a readable item says why."""
    model = flow_model(label)
    action = request.POST.get("action", "")
    if action not in model.flow.action_values:
        raise Http404
    ids = sorted({int(i) for i in request.POST.getlist("ids") if i.isdigit() and 0 < int(i) <= MAX_ID})
    form = BatchForm(request.POST)
    if not ids or not form.is_valid():
        messages.error(request, _("请先勾选要处理的事项。"))
        return _back(request, "/workspace/")
    ids = ids[:BATCH_MAX]
    if model.flow.comment_required(action) and not form.cleaned_data["comment"]:
        messages.error(request, _("批量“%(action)s”时必须填写意见。") % {"action": model.flow.label_of_action(action)})
        return _back(request, "/workspace/")
    objs = list(model.objects.filter(visible_q(request.user), pk__in=ids).select_related("region", "department")
                .order_by("pk"))
    result = flow_batch(user=request.user, objs=objs, action=action, comment=form.cleaned_data["comment"])
    if result.done:
        messages.success(
            request,
            ngettext("已处理 %(n)d 项。", "已处理 %(n)d 项。", len(result.done)) % {"n": len(result.done)},
        )
    describe = contract_for(model).describe
    for obj, reason in result.refused:
        if obj is not None:
            messages.error(request, _("%(item)s 未处理:%(reason)s") % {"item": describe(obj), "reason": reason})
    unseen = len(ids) - len(objs) + sum(1 for obj, _reason in result.refused if obj is None)
    if unseen:
        messages.error(request, ngettext("%(n)d 项不存在或无权查看,未处理。", "%(n)d 项不存在或无权查看,未处理。",
                                         unseen) % {"n": unseen})
    return _back(request, "/workspace/")
