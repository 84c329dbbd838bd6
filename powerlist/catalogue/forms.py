from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import Category, Power
from powerlist.catalogue.responsibility import ResponsibilityStage
from powerlist.catalogue.services import CONTENT_FIELDS
from powerlist.inputs import QueryTextField
from powerlist.org.models import Division
from powerlist.review.models import ReviewState

HELP_TEXTS = {
    "code": _("本区划内唯一,如 210000-FG-XK-001。参照上级目录的事项沿用上级编码。"),
    "name": _("与法律法规的表述一致,如“企业投资项目核准”。"),
    "disposition_reason": _("选择“取消”或“调整”时必填,写明依据的文件。"),
    "exercise_level": _("直接行使;委托下放给下级行使;或审核后转报上级。"),
    "responsible_leader": _("分管本事项的领导职务,如“分管副主任”。"),
    "staff_duties": _("受理、审查、决定等环节分别由谁负责。"),
    "conditions": _("申请人需满足的条件和应提交的材料。"),
    "statutory_limit_days": _("法律法规规定的办理期限,以工作日计。"),
    "promised_limit_days": _("向社会承诺的办理期限,不得超过法定时限。"),
    "service_commitment": _("如“一次性告知、限时办结”。"),
    "work_discipline": _("如“严禁吃拿卡要,严禁违规收费”。"),
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
                "disposition_reason", "staff_duties", "conditions", "service_commitment",
                "work_discipline", "fee_basis", "remarks",
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

    def mark_inherited(self, main):
        """On a sub-item's form: say which blank fields take the main item's value."""
        self.fields["category"].disabled = True
        self.fields["category"].initial = main.category_id
        for name in SUB_ITEM_INHERITED_HINTS:
            value = getattr(main, name)
            shown = value if value not in (None, "") else _("未填写")
            self.fields[name].help_text = _("留空则沿用主项:%(value)s") % {"value": str(shown)[:60]}
            self.fields[name].required = False


# The fields whose help text on a sub-item's form shows the main item's value instead.
SUB_ITEM_INHERITED_HINTS = (
    "responsible_leader", "staff_duties", "conditions", "statutory_limit_days", "promised_limit_days",
    "service_commitment", "work_discipline", "fee_basis",
)


class ResponsibilityItemForm(forms.Form):
    stage = forms.ChoiceField(label=_("环节"), choices=ResponsibilityStage.choices)
    text = forms.CharField(label=_("责任内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    steps = forms.MultipleChoiceField(label=_("对应流程环节"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = [(str(s.pk), s.name) for s in steps]
        if not steps:
            del self.fields["steps"]

    def clean_steps(self):
        return [int(pk) for pk in self.cleaned_data["steps"]]


class AccountabilityCircumstanceForm(forms.Form):
    text = forms.CharField(label=_("追责情形"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    ground = forms.CharField(label=_("追责依据"), required=False, widget=forms.Textarea(attrs={"rows": 1}))


ResponsibilityItemFormSet = forms.formset_factory(ResponsibilityItemForm, extra=0, can_delete=True)
AccountabilityCircumstanceFormSet = forms.formset_factory(AccountabilityCircumstanceForm, extra=1, can_delete=True)


def formset_rows(formset, *, keep):
    """The cleaned rows of a formset that are not deleted and pass `keep(row)`."""
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and keep(f.cleaned_data)]


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
    q = QueryTextField(label=_("搜索"),
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
        they ask for the regions below too. An invalid filter is left out, the valid
        ones kept (the page says which: inputs.warn_invalid)."""
        if not self.is_bound:
            return {"own_region": True}
        self.is_valid()
        data = dict(self.cleaned_data)
        data["own_region"] = not data.pop("include_lower", False)
        if data.get("category"):
            data["category"] = data["category"].pk
        return {k: v for k, v in data.items() if v}


class CatalogueFilterForm(forms.Form):
    """The catalogue's query string: ids only, bounded (a bad value drops the filter)."""

    department = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    division = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    category = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class FamilyActionForm(forms.Form):
    """A review action on a main item with its sub-items: the version the page showed."""

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    comment = forms.CharField(required=False, max_length=2000)
