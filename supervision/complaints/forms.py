"""The public complaint form, the lookup by code and phrase, and the supervisors' action form."""

from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from powerlist.inputs import IdField
from powerlist.org.models import Department, Region
from supervision.complaints.flow import FINDINGS, ComplaintOutcome, ComplaintRating
from supervision.complaints.models import ComplaintSubject

CONTENT_MAX = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _captcha():
    return CaptchaField(label=_("验证码"), help_text=_("请输入图片中的字母或数字(不区分大小写)。"),
                        error_messages={"invalid": _("验证码不正确,请重新输入。")})


class ComplaintForm(forms.Form):
    """What the public fills in. `power` and `department` are ids (a power page or the
    department step prefills them); the service resolves and checks them."""

    subject = forms.ChoiceField(label=_("投诉对象"), choices=ComplaintSubject.choices, widget=forms.RadioSelect,
                                initial=ComplaintSubject.DEPARTMENT)
    power = IdField(widget=forms.HiddenInput)
    region = IdField(label=_("所在地区"))
    department = IdField(label=_("被投诉部门"))
    case_number = forms.CharField(label=_("办件编号"), max_length=64, required=False,
                                  help_text=_("投诉某一办件时填写,见受理回执。"))
    title = forms.CharField(label=_("标题"), max_length=100,
                            help_text=_("简要概括投诉事项,请勿在标题中填写个人信息。"))
    content = forms.CharField(label=_("投诉内容"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("请写明时间、地点、经过和诉求。"))
    is_anonymous = forms.BooleanField(label=_("匿名投诉(不留下任何身份信息;无法电话联系您,只能通过查询码查看答复)"),
                                      required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    id_number = forms.CharField(label=_("身份证号(选填)"), max_length=18, required=False)
    address = forms.CharField(label=_("联系地址(选填)"), max_length=200, required=False)
    attachments = MultipleFileField(
        label=_("附件(选填)"), required=False,
        help_text=_("最多 %(n)d 个 PDF、Word 文件或 JPG、PNG 图片,每个不超过 %(mb)d MB。")
        % {"n": settings.COMPLAINT_ATTACHMENTS_MAX, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
    )
    captcha = _captcha()

    def __init__(self, *args, departments=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget = forms.Select(choices=[("", _("请选择地区")), *regions])
        self.fields["department"].widget = forms.Select(choices=[("", _("请先选择地区,再选择部门")), *departments])

    def clean(self):
        data = super().clean()
        if data.get("department"):
            data["department_obj"] = Department.objects.select_related("region").filter(
                pk=data["department"]).first()
            if data["department_obj"] is None:
                self.add_error("department", _("所选部门不存在。"))
        else:
            data["department_obj"] = None
        return data


def region_choices():
    return [(r.pk, r.name) for r in Region.objects.order_by("path")]


def department_choices(region_id):
    if not region_id:
        return []
    return [(d.pk, d.name) for d in Department.objects.filter(region_id=region_id).order_by("name")]


class TrackForm(forms.Form):
    tracking_code = forms.CharField(label=_("查询码"), max_length=20)
    phrase = forms.CharField(label=_("查询密语"), max_length=60, widget=forms.PasswordInput(render_value=False))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("您对答复的评价"), choices=ComplaintRating.choices, coerce=int,
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见(选填)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("申请重新办理的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=_("撤回说明(选填)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ComplaintActionForm(forms.Form):
    """The supervisors' actions: the comment (decline reason, findings, reply) and, for
    "handle", the finding."""

    version = IdField()
    comment = forms.CharField(required=False, max_length=CONTENT_MAX, strip=True)
    finding = forms.ChoiceField(required=False, choices=[("", "—"), *[(f.value, f.label) for f in FINDINGS]])


FINDING_CHOICES = [(f.value, ComplaintOutcome(f).label) for f in FINDINGS]
