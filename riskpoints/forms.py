from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.inputs import QueryTextField, given
from powerlist.models import Post, ReviewState, Step
from riskpoints.models import (
    Countermeasure,
    DiscretionBenchmark,
    DiscretionGrade,
    ExpertAssignment,
    RiskGradingRule,
    RiskLevel,
    RiskPoint,
    Stage,
)
from riskpoints.services.benchmarks import HEADER_FIELDS, ROW_FIELDS
from riskpoints.services.riskpoints import CONTENT_FIELDS, MEASURE_FIELDS


def _style(form):
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("rows", 3)


class RiskPointForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RiskPoint
        fields = CONTENT_FIELDS
        widgets = {
            "description": forms.Textarea, "manifestation": forms.Textarea, "level_reason": forms.Textarea,
            "next_review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, power, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.power = power
        self.fields["post"].queryset = Post.objects.filter(department_id=power.department_id)
        self.fields["step"].queryset = Step.objects.filter(flowchart__power_id=power.pk).order_by("order", "id")
        self.fields["step"].help_text = _("有流程图时选择风险点所在环节,流程图上将按等级着色。")
        self.fields["level_reason"].help_text = _("所选等级与规则建议不同时必填。")
        self.fields["monitoring_indicator"].help_text = _("高等级风险点必填,如:项目核准抽查不合格率。")
        _style(self)

    def content(self):
        return {name: self.cleaned_data.get(name) for name in CONTENT_FIELDS}


class CountermeasureForm(forms.ModelForm):
    upload = forms.FileField(label=_("附件(PDF/Word)"), required=False,
                             help_text=_("制度文件等,限 .pdf、.doc、.docx。"))
    remove_attachment = forms.BooleanField(label=_("删除现有附件"), required=False)

    class Meta:
        model = Countermeasure
        fields = MEASURE_FIELDS
        widgets = {"text": forms.Textarea, "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def content(self):
        return {name: self.cleaned_data[name] for name in MEASURE_FIELDS}


class ExpertAssignForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(label=_("评审专家(成员单位负责人)"), queryset=None,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = candidates
        self.fields["experts"].label_from_instance = lambda u: f"{u}({u.department.name if u.department_id else ''})"


class OpinionForm(forms.Form):
    verdict = forms.ChoiceField(label=_("评审意见"), choices=ExpertAssignment.Verdict.choices,
                                widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("“修改后同意”或“不同意”时必填。"))


class GradingRuleForm(forms.ModelForm):
    class Meta:
        model = RiskGradingRule
        fields = ("mode", "high_threshold", "medium_threshold", "high_category_codes", "high_keywords")


class RiskPointFilterForm(forms.Form):
    q = QueryTextField(label=_("搜索"),
                       widget=forms.TextInput(attrs={"type": "search", "placeholder": _("风险内容、事项名称或编码")}))
    level = forms.ChoiceField(label=_("风险等级"), required=False,
                              choices=[("", _("全部等级"))] + list(RiskLevel.choices))
    stage = forms.ChoiceField(label=_("权力运行环节"), required=False,
                              choices=[("", _("全部环节"))] + list(Stage.choices))
    state = forms.ChoiceField(label=_("审核状态"), required=False)
    regrading = forms.BooleanField(label=_("只看需重新评级"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["state"].choices = [("", _("全部状态"))] + [
            c for c in ReviewState.choices if c[0] != ReviewState.FINAL_REVIEW]

    def filters(self):
        """The valid filters; an invalid one is left out (pages say so: inputs.page_filters)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return given(self.cleaned_data)


class BenchmarkForm(forms.ModelForm):
    class Meta:
        model = DiscretionBenchmark
        fields = HEADER_FIELDS
        widgets = {"statutory_text": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DiscretionRowForm(forms.Form):
    violation = forms.CharField(label=_("违法行为"), max_length=300, required=False)
    clause_breached = forms.CharField(label=_("违反条款"), max_length=300, required=False)
    penalty_basis = forms.CharField(label=_("处罚依据"), max_length=300, required=False)
    grade = forms.ChoiceField(label=_("裁量阶次"), required=False,
                              choices=[("", "—")] + list(DiscretionGrade.choices))
    circumstances = forms.CharField(label=_("裁量判断事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    range_min = forms.DecimalField(label=_("幅度下限"), required=False, max_digits=14, decimal_places=2)
    range_max = forms.DecimalField(label=_("幅度上限"), required=False, max_digits=14, decimal_places=2)
    measure_text = forms.CharField(label=_("处罚内容"), max_length=300, required=False)


DiscretionRowFormSet = forms.formset_factory(DiscretionRowForm, extra=2)


def row_data(formset):
    """The filled-in rows of the formset (blank rows dropped), for the service."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if any(data.get(f) not in (None, "") for f in ROW_FIELDS):
            rows.append({f: data.get(f) for f in ROW_FIELDS})
    return rows


def row_initial(benchmark):
    return [{f: getattr(r, f) for f in ROW_FIELDS} for r in benchmark.rows.all()]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))

