from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import Category, Power
from powerlist.catalogue.services import CONTENT_FIELDS
from powerlist.org.models import Division
from powerlist.review.models import ReviewState

HELP_TEXTS = {
    "code": _("本区划内唯一,如 210000-FG-XK-001。参照上级目录的事项沿用上级编码。"),
    "name": _("与法律法规的表述一致,如“企业投资项目核准”。"),
    "disposition_reason": _("选择“取消”或“调整”时必填,写明依据的文件。"),
    "exercise_level": _("直接行使;委托下放给下级行使;或审核后转报上级。"),
    "responsible_leader": _("分管本事项的领导职务,如“分管副主任”。"),
    "staff_duties": _("受理、审查、决定等环节分别由谁负责。"),
    "duty": _("行使本权力时应当履行的职责,如“依法受理、审查并作出决定”。"),
    "conditions": _("申请人需满足的条件和应提交的材料。"),
    "statutory_limit_days": _("法律法规规定的办理期限,以工作日计。"),
    "promised_limit_days": _("向社会承诺的办理期限,不得超过法定时限。"),
    "service_commitment": _("如“一次性告知、限时办结”。"),
    "work_discipline": _("如“严禁吃拿卡要,严禁违规收费”。"),
    "accountability": _("违反规定时追究责任的依据和方式。"),
    "fee_basis": _("不收费的写“不收费”。"),
}


class PowerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Power
        fields = CONTENT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "disposition_reason", "staff_duties", "duty", "conditions", "service_commitment",
                "work_discipline", "accountability", "fee_basis", "remarks",
            )
        }

    def __init__(self, *args, department, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.department = department
        self.instance.region_id = department.region_id
        divisions = Division.objects.filter(department=department)
        if user.division_id:
            divisions = divisions.filter(pk=user.division_id)
            self.fields["division"].initial = user.division_id
        self.fields["division"].queryset = divisions
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        for name, text in HELP_TEXTS.items():
            self.fields[name].help_text = text
        for field in self.fields.values():
            if isinstance(field.widget, (forms.TextInput, forms.Textarea, forms.Select, forms.NumberInput)):
                field.widget.attrs.setdefault("class", "input")

    def content(self):
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}


class LegalBasisForm(forms.Form):
    law_name = forms.CharField(label=_("法律法规名称"), max_length=200, required=False,
                               widget=forms.TextInput(attrs={"placeholder": _("如:《中华人民共和国行政许可法》")}))
    article = forms.CharField(label=_("条款"), max_length=100, required=False,
                              widget=forms.TextInput(attrs={"placeholder": _("如:第四十二条")}))
    text = forms.CharField(label=_("条文内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if (data.get("article") or data.get("text")) and not data.get("law_name"):
            self.add_error("law_name", _("请填写法律法规名称。"))
        return data


LegalBasisFormSet = forms.formset_factory(LegalBasisForm, extra=1, can_delete=True)


class PowerFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("事项名称或编码"), "type": "search"}))
    category = forms.ModelChoiceField(label=_("职权类别"), queryset=Category.objects.filter(is_active=True),
                                      required=False, empty_label=_("全部类别"))
    state = forms.ChoiceField(label=_("审核状态"), required=False)
    disposition = forms.ChoiceField(label=_("处理结果"), required=False)
    include_lower = forms.BooleanField(label=_("包含下级区划"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["state"].choices = [("", _("全部状态"))] + list(ReviewState.choices)
        self.fields["disposition"].choices = [("", _("全部"))] + list(Power.Disposition.choices)

    def filters(self):
        """The selector's filters. Region-level reviewers see their own region unless
        they ask for the regions below too."""
        if not self.is_valid():
            return {"own_region": True}
        data = dict(self.cleaned_data)
        data["own_region"] = not data.pop("include_lower", False)
        if data.get("category"):
            data["category"] = data["category"].pk
        return {k: v for k, v in data.items() if v}
