"""Forms of the assessment pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.inputs import IdField
from supervision.assessment.indicators_def import INDICATORS


class QuarterForm(forms.Form):
    """Which region and quarter a page shows (bad values are left out: the defaults)."""

    region = IdField(label=_("行政区划"), required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, required=False,
                                     choices=[(q, _("第 %(q)s 季度") % {"q": q}) for q in (1, 2, 3, 4)])


class WeightsForm(forms.Form):
    """Weights (sum 100) and grade thresholds; the service checks the rules again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[indicator.key] = forms.IntegerField(
                label=indicator.label, min_value=0, max_value=100, help_text=indicator.explanation)
        self.fields["excellent_from"] = forms.IntegerField(label=_("优秀(不低于)"), min_value=0, max_value=100)
        self.fields["good_from"] = forms.IntegerField(label=_("良好(不低于)"), min_value=0, max_value=100)
        self.fields["pass_from"] = forms.IntegerField(label=_("合格(不低于)"), min_value=0, max_value=100)

    def clean(self):
        data = super().clean()
        keys = [i.key for i in INDICATORS]
        if all(isinstance(data.get(k), int) for k in keys) and sum(data[k] for k in keys) != 100:
            raise forms.ValidationError(_("各项权重之和必须为 100,现在是 %(total)s。")
                                        % {"total": sum(data[k] for k in keys)})
        return data
