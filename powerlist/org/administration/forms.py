"""Forms of the user administration pages."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from powerlist.org.imports import MAX_FILE_BYTES
from powerlist.org.models import STAND_IN_PERMISSION, Division, User
from powerlist.org.permissions import grantable_roles
from powerlist.org.roles import Role
from powerlist.org.selectors import admin_departments, admin_divisions

ACTIVE_CHOICES = (("", _("全部")), ("1", _("启用")), ("0", _("已停用")))


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=100)
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, required=False, empty_label=_("全部部门"))
    role = forms.ChoiceField(label=_("角色"), required=False, choices=())
    active = forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = admin_departments(user=user)
        self.fields["role"].choices = [("", _("全部角色")), *Role.choices]

    def filters(self):
        """The selector's filters; an invalid value is ignored (the unfiltered list)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data["active"])
        return {"q": data["q"].strip(), "department": data["department"], "role": data["role"], "active": active}


class AccountForm(forms.ModelForm):
    """An account's name, place and contact; on creation also its username and roles.
    Divisions offered are those of the chosen department only."""

    roles = forms.MultipleChoiceField(label=_("角色"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=Role.choices)

    class Meta:
        model = User
        fields = ("username", "display_name", "department", "division", "email", "phone")
        help_texts = {"username": _("登录用的账号名,保存后不能修改。")}

    def __init__(self, *args, actor, creating, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["department"].required = True
        self.fields["department"].queryset = admin_departments(user=actor)
        if creating:
            allowed = grantable_roles(actor)
            self.fields["roles"].choices = [(r.value, r.label) for r in Role if r in allowed]
        else:
            del self.fields["username"], self.fields["roles"]
        department_id = self._department_id()
        self.fields["division"].queryset = (
            admin_divisions(user=actor, department_id=department_id) if department_id else Division.objects.none()
        )
        self.fields["division"].help_text = _("只列出所选部门的处(科、室);更换部门后请点“更新处室列表”。")

    def _department_id(self):
        if self.is_bound:
            value = self.data.get(self.add_prefix("department"), "")
            return int(value) if str(value).isdigit() else None
        return self.initial.get("department") or self.instance.department_id


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args, actor, held=(), **kwargs):
        super().__init__(*args, **kwargs)
        allowed = grantable_roles(actor)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed and r not in held]


class DepartmentGrantForm(forms.Form):
    """A stand-in for an absent department reviewer: which department, until when."""

    department = forms.ModelChoiceField(label=_("代行审核的部门"), queryset=None)
    valid_until = forms.DateField(label=_("有效期至(含当日)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("不填则一直有效,直到取消。"))
    codename = STAND_IN_PERMISSION

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = admin_departments(user=actor)


class AdministratorGrantForm(forms.Form):
    valid_until = forms.DateField(label=_("有效期至(含当日)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("不填则一直有效,直到取消。"))


class UserImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 文件。"))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件不能超过 2 MB。"))
        return upload


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's change-password form, refusing the current password as the new one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page lists the rules above the form (Django's help text is an HTML list).
        self.fields["new_password1"].help_text = _("须符合上方的密码规则。")

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", forms.ValidationError(_("新密码不能与当前密码相同。"),
                                                                  code="password_unchanged"))
        return cleaned
