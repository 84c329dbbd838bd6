"""The supervisors' and the department's pages of complaints: lists, the whole complaint
with the flow's actions, the identity (each view recorded), attachments, and the
department's redacted copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from powerlist.pages import querystring_without_page
from powerlist.review.permissions import available_actions
from powerlist.review.history import flow_record
from supervision.complaints import selectors as sel
from supervision.complaints import services
from supervision.complaints.flow import COMPLAINT_FLOW, ComplaintAction, ComplaintState
from supervision.complaints.forms import FINDING_CHOICES, ComplaintActionForm
from supervision.complaints.models import ComplaintAttachment
from supervision.complaints.permissions import can_open_attachments, can_view_identity
from supervision.permissions import handles_department, sees_everything, supervised_region

PAGE_SIZE = 50


@login_required
def complaint_list_view(request):
    user = request.user
    if not (sees_everything(user) or supervised_region(user) is not None):
        if handles_department(user):
            return redirect("supervision:complaint_copy_list")
        raise PermissionDenied(_("投诉举报由纪检监察人员办理,您的账号没有该角色。"))
    state = request.GET.get("state", "")
    if state not in ComplaintState.values:
        state = ""
    overdue = request.GET.get("overdue") == "1"
    page = Paginator(sel.complaint_list(user=user, state=state or None, overdue=overdue), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "supervision/complaints/list.html", {
        "page": page, "complaints": page.object_list, "states": ComplaintState.choices, "state": state,
        "overdue": overdue, "today": timezone.localdate(), "querystring": querystring_without_page(request),
    })


@login_required
def complaint_detail_view(request, pk):
    complaint = sel.complaint_get(user=request.user, pk=pk)
    if complaint is None:
        if sel.complaint_copy_get(user=request.user, pk=pk) is not None:
            return redirect("supervision:complaint_copy", pk=pk)
        raise Http404
    actions = available_actions(request.user, complaint)
    response = render(request, "supervision/complaints/detail.html", {
        "complaint": complaint, "actions": actions,
        "handle_available": any(a.action == ComplaintAction.HANDLE for a in actions),
        "findings": FINDING_CHOICES, "today": timezone.localdate(),
        "can_view_identity": bool(can_view_identity(request.user, complaint)),
        "can_open_attachments": bool(can_open_attachments(request.user, complaint)),
        "attachments": list(complaint.attachments.all()),
        "log": flow_record(complaint, labels={services.VIEW_IDENTITY_ACTION: _("查看投诉人身份信息或附件"),
                                              services.FILE_ACTION: _("提交投诉")}),
    })
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def complaint_action_view(request, pk, action):
    """One flow action; a refusal by role, scope or state is the 403 page with the
    reason, a missing comment or finding a message on the complaint's page."""
    complaint = sel.complaint_get(user=request.user, pk=pk)
    if complaint is None:
        raise Http404
    if action not in COMPLAINT_FLOW.action_values:
        raise Http404
    form = ComplaintActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期,请刷新后再操作。"))
        return redirect(complaint.get_absolute_url())
    data = {"finding": form.cleaned_data["finding"]} if action == ComplaintAction.HANDLE else None
    try:
        services.complaint_apply(user=request.user, complaint=complaint, action=action,
                                 comment=form.cleaned_data["comment"], data=data,
                                 expected_version=form.cleaned_data["version"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("已完成“%(action)s”:%(code)s") % {
            "action": COMPLAINT_FLOW.label_of_action(action), "code": complaint.tracking_code})
    return redirect(complaint.get_absolute_url())


@sensitive_variables()
@login_required
@require_POST
def complaint_identity_view(request, pk):
    """The identity, for a handling supervisor; the view is recorded before it is shown."""
    complaint = sel.complaint_get(user=request.user, pk=pk)
    if complaint is None:
        raise Http404
    identity = services.complaint_identity_view(user=request.user, complaint=complaint)
    response = render(request, "supervision/complaints/identity.html", {"complaint": complaint, "identity": identity})
    add_never_cache_headers(response)
    return response


@login_required
def complaint_attachment_view(request, pk, attachment_id):
    complaint = sel.complaint_get(user=request.user, pk=pk)
    attachment = ComplaintAttachment.objects.filter(complaint=complaint, pk=attachment_id).first() if complaint else None
    if attachment is None:
        raise Http404
    handle = services.complaint_attachment_open(user=request.user, attachment=attachment)
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    add_never_cache_headers(response)
    return response


@login_required
def complaint_copy_list_view(request):
    if not handles_department(request.user):
        raise PermissionDenied(_("此页面供被投诉部门的经办人和审核人查看转来的投诉。"))
    page = Paginator(sel.complaint_copy_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/complaints/copy_list.html", {
        "page": page, "complaints": page.object_list, "querystring": querystring_without_page(request)})


@login_required
def complaint_copy_view(request, pk):
    """The department's redacted copy: what the complaint is about and what was found
    and replied, with the content masked; no identity, no attachments, no record."""
    complaint = sel.complaint_copy_get(user=request.user, pk=pk)
    if complaint is None:
        raise Http404
    response = render(request, "supervision/complaints/copy.html", {"complaint": complaint})
    add_never_cache_headers(response)
    return response
