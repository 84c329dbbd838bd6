"""Forms of the inspection pages; the choices are limited to the inspected department."""

from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import AccountabilityCircumstance, Power
from powerlist.models import Department
from riskpoints.models import RiskPoint
from supervision.models import AccountabilityMeasure, Alert, Case, Complaint

DATE = forms.DateInput(attrs={"type": "date"})


class InspectionPlanForm(forms.Form):
    department = forms.ModelChoiceField(label=_("被检查部门"), queryset=Department.objects.none())
    title = forms.CharField(label=_("检查名称"), max_length=200)
    period_start = forms.DateField(label=_("检查期间起"), widget=DATE)
    period_end = forms.DateField(label=_("检查期间止"), widget=DATE)
    scope = forms.CharField(label=_("检查内容"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            region=region, kind=Department.Kind.ORDINARY).order_by("order", "name")


class FindingForm(forms.Form):
    description = forms.CharField(label=_("发现问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    power = forms.ModelChoiceField(label=_("涉及事项"), queryset=Power.objects.none(), required=False)
    risk_point = forms.ModelChoiceField(label=_("涉及廉政风险点"), queryset=RiskPoint.objects.none(), required=False)
    # By the case's own number (办件编号, what the department's system and its papers show),
    # typed, not chosen: a department holds tens of thousands of cases.
    case = forms.ModelChoiceField(label=_("涉及办件"), queryset=Case.objects.none(), required=False,
                                  to_field_name="number", widget=forms.TextInput,
                                  help_text=_("办件编号(可选),如审批系统中的受理编号"),
                                  error_messages={"invalid_choice": _("被检查部门没有这个编号的办件。")})
    alert = forms.ModelChoiceField(label=_("涉及预警"), queryset=Alert.objects.none(), required=False,
                                   widget=forms.NumberInput, help_text=_("预警的系统编号(可选)"))
    complaint = forms.ModelChoiceField(label=_("涉及投诉举报"), queryset=Complaint.objects.none(), required=False,
                                       to_field_name="tracking_code", widget=forms.TextInput,
                                       help_text=_("投诉举报的查询码(可选)"))

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power"].queryset = Power.objects.filter(department=department).order_by("code")
        self.fields["risk_point"].queryset = (RiskPoint.objects.filter(department=department)
                                              .select_related("power").order_by("power__code", "number"))
        self.fields["case"].queryset = Case.objects.filter(department=department)
        self.fields["alert"].queryset = Alert.objects.filter(department=department)
        self.fields["complaint"].queryset = Complaint.objects.filter(department=department)


class RectificationForm(forms.Form):
    requirement = forms.CharField(label=_("整改要求"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)


class AccountabilityForm(forms.Form):
    circumstance = forms.ModelChoiceField(label=_("追责情形"), queryset=AccountabilityCircumstance.objects.none())
    person_name = forms.CharField(label=_("责任人"), max_length=50)
    person_post = forms.CharField(label=_("职务或岗位"), max_length=100, required=False)
    measure = forms.ChoiceField(label=_("处理措施"), choices=AccountabilityMeasure.choices)
    ground = forms.CharField(label=_("处理依据"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)

    def __init__(self, *args, finding, **kwargs):
        super().__init__(*args, **kwargs)
        qs = AccountabilityCircumstance.objects.filter(power__department_id=finding.department_id)
        if finding.power_id:
            qs = qs.filter(power_id=finding.power_id)
        self.fields["circumstance"].queryset = qs.select_related("power").order_by("power__code", "order", "id")
        self.fields["circumstance"].label_from_instance = lambda c: f"{c.power.name}:{c.text[:60]}"
