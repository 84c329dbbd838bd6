"""User administration pages: the accounts list, create and edit, (de)activation,
temporary passwords, roles, stand-ins and department administrators, the import; and the
change-password page every user reaches.

Thin: a predicate guards each page (403 with the reason), accounts outside the actor's
scope are not found (404), every change is one service call."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from powerlist.org import services
from powerlist.org.administration.forms import (
    AccountForm,
    AdministratorGrantForm,
    DepartmentGrantForm,
    PortalPasswordChangeForm,
    RoleForm,
    UserFilterForm,
    UserImportForm,
)
from powerlist.org.audit import org_action_label
from powerlist.org.imports import HEADERS, MAX_ROWS, users_import, users_import_template
from powerlist.org.models import (
    DEPARTMENT_ADMINISTRATOR_PERMISSION,
    STAND_IN_PERMISSION,
    DepartmentUserObjectPermission,
)
from powerlist.org.passwords import password_policy
from powerlist.org.permissions import (
    can_administer_users,
    can_change_role,
    can_deactivate_user,
    can_grant_on_department,
    can_manage_user,
)
from powerlist.org.roles import Role
from powerlist.org.selectors import admin_divisions, admin_users, user_admin_list, user_department_grants, user_record
from powerlist.inputs import IdField
from powerlist.pages import apply_errors, querystring_without_page

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_administration(user):
    decision = can_administer_users(user)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def _managed_user(request, pk):
    _require_administration(request.user)
    return get_object_or_404(admin_users(user=request.user).select_related("department__region", "division"), pk=pk)


def _back(user):
    return redirect("powerlist:user_admin_detail", user.pk)


@login_required
def user_list_view(request):
    _require_administration(request.user)
    form = UserFilterForm(request.GET or None, user=request.user)
    users = user_admin_list(user=request.user, filters=form.filters() if request.GET else {})
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "powerlist/org/user_list.html", {
        "form": form, "page": page, "querystring": querystring_without_page(request),
    })


def _password_page(request, account, password, *, created):
    response = render(request, "powerlist/org/user_password.html",
                      {"account": account, "password": password, "created": created})
    # The temporary password is on this one response only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_create_view(request):
    _require_administration(request.user)
    form = AccountForm(request.POST or None, actor=request.user, creating=True)
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = services.user_create(
                actor=request.user, username=data["username"], display_name=data["display_name"],
                department=data["department"], division=data["division"], email=data["email"],
                phone=data["phone"], roles=data["roles"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _password_page(request, account, password, created=True)
    return render(request, "powerlist/org/user_form.html", {"form": form, "policy": password_policy()})


@login_required
def user_detail_view(request, pk):
    account = _managed_user(request, pk)
    actor = request.user
    form = AccountForm(request.POST or None, instance=account, actor=actor, creating=False)
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        try:
            fields = {k: form.cleaned_data[k] for k in services.EDITABLE_FIELDS}
            services.user_update(actor=actor, user=account, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("账号信息已保存。"))
            return _back(account)
    account = _managed_user(request, pk)  # the stored values, not the form's edits
    held = sorted(account.role_set())
    grants = list(user_department_grants(user=account))
    return render(request, "powerlist/org/user_detail.html", {
        "account": account,
        "form": form,
        "roles": [{"value": r, "label": Role(r).label, "can_revoke": bool(can_change_role(actor, account, r))}
                  for r in held],
        "role_form": RoleForm(actor=actor, held=held),
        "stand_ins": [g for g in grants if g.permission.codename == STAND_IN_PERMISSION],
        "administrator_grants": [g for g in grants if g.permission.codename == DEPARTMENT_ADMINISTRATOR_PERMISSION],
        "can_manage": bool(can_manage_user(actor, account)),
        "can_deactivate": bool(can_deactivate_user(actor, account)),
        "can_grant_on_department": bool(account.department_id and can_grant_on_department(
            actor, target=account, department=account.department, codename=DEPARTMENT_ADMINISTRATOR_PERMISSION)),
        "stand_in_form": DepartmentGrantForm(actor=actor, prefix="stand_in"),
        "administrator_form": AdministratorGrantForm(prefix="administrator"),
        "record": [{"entry": e, "label": org_action_label(e.action)} for e in user_record(user=account)],
    })


def _form_errors(request, form, account):
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return _back(account)


def _action(request, pk, perform, success):
    account = _managed_user(request, pk)
    try:
        result = perform(account)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back(account), None
    if success:
        messages.success(request, success)
    return _back(account), result


@login_required
@require_POST
def user_deactivate_view(request, pk):
    return _action(request, pk, lambda u: services.user_deactivate(actor=request.user, user=u),
                   _("账号已停用,该用户不能再登录。"))[0]


@login_required
@require_POST
def user_reactivate_view(request, pk):
    return _action(request, pk, lambda u: services.user_reactivate(actor=request.user, user=u), _("账号已启用。"))[0]


@login_required
@require_POST
@never_cache
def user_password_reset_view(request, pk):
    account = _managed_user(request, pk)
    password = services.user_password_reset(actor=request.user, user=account)
    return _password_page(request, account, password, created=False)


@login_required
@require_POST
def user_role_grant_view(request, pk):
    role = request.POST.get("role", "")
    if role not in Role.values:
        account = _managed_user(request, pk)
        messages.error(request, _("请选择要授予的角色。"))
        return _back(account)
    # The service's predicate refuses a role this administrator may not grant (403 with why).
    return _action(request, pk, lambda u: services.role_grant(actor=request.user, user=u, role=role),
                   _("已授予“%(role)s”角色。") % {"role": Role(role).label})[0]


@login_required
@require_POST
def user_role_revoke_view(request, pk, role):
    if role not in Role.values:
        raise PermissionDenied(_("没有这个角色。"))
    return _action(request, pk, lambda u: services.role_revoke(actor=request.user, user=u, role=role),
                   _("已收回“%(role)s”角色。") % {"role": Role(role).label})[0]


@login_required
@require_POST
def user_stand_in_grant_view(request, pk):
    account = _managed_user(request, pk)
    form = DepartmentGrantForm(request.POST, actor=request.user, prefix="stand_in")
    if not form.is_valid():
        return _form_errors(request, form, account)
    department, until = form.cleaned_data["department"], form.cleaned_data["valid_until"]
    return _action(request, pk, lambda u: services.department_grant(
        actor=request.user, user=u, department=department, codename=STAND_IN_PERMISSION, valid_until=until),
        _("已指定代行“%(department)s”的部门审核。") % {"department": department})[0]


@login_required
@require_POST
def user_administrator_grant_view(request, pk):
    account = _managed_user(request, pk)
    form = AdministratorGrantForm(request.POST, prefix="administrator")
    if not form.is_valid():
        return _form_errors(request, form, account)
    until = form.cleaned_data["valid_until"]
    if account.department_id is None:
        raise PermissionDenied(_("该用户未分配部门。"))
    return _action(request, pk, lambda u: services.department_grant(
        actor=request.user, user=u, department=u.department, codename=DEPARTMENT_ADMINISTRATOR_PERMISSION,
        valid_until=until), _("已指定为本部门的部门管理员。"))[0]


@login_required
@require_POST
def department_grant_revoke_view(request, pk, grant_pk):
    account = _managed_user(request, pk)
    grant = get_object_or_404(
        DepartmentUserObjectPermission.objects.select_related("permission", "content_object__region", "user"),
        pk=grant_pk, user=account,
    )
    services.department_grant_revoke(actor=request.user, grant=grant)
    messages.success(request, _("已取消该授权。"))
    return _back(account)


@login_required
def user_import_view(request):
    _require_administration(request.user)
    form = UserImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = users_import(actor=request.user, data=upload.read(), filename=upload.name)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if result.ok:
                messages.success(request, _("已导入 %(n)s 个账号。") % {"n": len(result.users)})
    return render(request, "powerlist/org/user_import.html", {
        "form": form, "result": result, "headers": HEADERS, "max_rows": MAX_ROWS,
    })


@login_required
def user_import_template_view(request):
    _require_administration(request.user)
    response = HttpResponse(users_import_template(actor=request.user), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''users-template.xlsx"
    return response


@login_required
def division_options_view(request):
    """The <option>s of one department's divisions (the account form's division select,
    refreshed by htmx when the department changes)."""
    _require_administration(request.user)
    field = IdField()
    try:
        department_id = field.clean(request.GET.get("department", ""))
    except ValidationError:
        department_id = None
    divisions = admin_divisions(user=request.user, department_id=department_id) if department_id else []
    return render(request, "powerlist/org/division_options.html", {"divisions": divisions})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change-password page in the portal's layout, showing the policy; clears
    the must-change flag and returns to `next` (or the workspace)."""

    template_name = "powerlist/org/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("powerlist:workspace")

    def form_valid(self, form):
        services.user_password_change(user=form.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已修改。"))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure()):
            return target
        return str(self.success_url)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(policy=password_policy(), next=self.request.GET.get("next", ""),
                   forced=self.request.user.must_change_password, workspace=reverse("powerlist:workspace"))
        return ctx
