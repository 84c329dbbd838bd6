"""Forms of the register's staff pages (the services validate again)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from powerlist.inputs import MAX_ID
from powerlist.models import Department, Power

from disclosure.register import AdjustmentItem, AdjustmentNote, NonDisclosure, RegisterState
from disclosure.register_services import ITEMS_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NonDisclosureForm(forms.ModelForm):
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    class Meta:
        model = NonDisclosure
        fields = ["kind", "ground", "legal_basis", "reason", "expected_date"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4}), "expected_date": DATE}

    def __init__(self, *args, user=None, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            live = NonDisclosure.objects.exclude(state=RegisterState.LAPSED).values("power_id")
            powers = Power.objects.filter(department_id=user.department_id).exclude(pk__in=live).order_by("code")
            if user.division_id:
                powers = powers.filter(Q(division_id=user.division_id) | Q(division__isnull=True))
            self.fields = {"power": forms.ModelChoiceField(label=_("行政权力"), queryset=powers), **self.fields}


class AdjustmentNoteForm(forms.ModelForm):
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    class Meta:
        model = AdjustmentNote
        fields = ["title", "reason", "ground", "effective_date"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4}), "effective_date": DATE}


class AdjustmentItemForm(forms.Form):
    change = forms.ChoiceField(label=_("调整类型"), choices=AdjustmentItem.Change.choices)
    code = forms.CharField(label=_("事项编码"), max_length=50, required=False)
    name = forms.CharField(label=_("事项名称"), max_length=200, required=False,
                           help_text=_("取消、划转、变更的事项可不填,按编码取本部门事项名称。"))
    detail = forms.CharField(label=_("说明"), max_length=500, required=False)
    new_department = forms.TypedChoiceField(label=_("划转至部门"), required=False, coerce=int, empty_value=None)
    new_code = forms.CharField(label=_("划转后事项编码"), max_length=50, required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_department"].choices = [("", "—"), *departments]


AdjustmentItemFormSet = forms.formset_factory(AdjustmentItemForm, extra=3, max_num=ITEMS_MAX, validate_max=True)


def department_choices():
    """[(id, "区划 部门")] for the move target, one query for the whole formset."""
    return [(d.pk, f"{d.region.name} {d.name}")
            for d in Department.objects.select_related("region").order_by("region__path", "order", "name")]


class RetractForm(forms.Form):
    explanation = forms.CharField(label=_("公开说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("向公众说明该事项为何系错误公开、现予撤回(将显示在原公开页面上)。"))
