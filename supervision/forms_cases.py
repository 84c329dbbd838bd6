"""Forms of the case pages: a case recorded by hand, and an event added to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import Power
from supervision.models import EventKind, SuspensionGround

HAND_KINDS = [(k, label) for k, label in EventKind.choices if k != EventKind.RECEIVED]


class CaseRecordForm(forms.Form):
    power = forms.ModelChoiceField(label=_("行政权力"), queryset=Power.objects.none())
    number = forms.CharField(label=_("办件编号"), max_length=64)
    received_at = forms.DateTimeField(label=_("收件时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    applicant_name = forms.CharField(label=_("申请人"), max_length=200, required=False)
    applicant_id_number = forms.CharField(label=_("申请人证件号码"), max_length=40, required=False)
    applicant_phone = forms.CharField(label=_("申请人联系电话"), max_length=30, required=False)
    online = forms.BooleanField(label=_("网上办理"), required=False, initial=True)

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power"].queryset = (Power.objects.filter(department=department, in_force__isnull=False)
                                         .order_by("code"))


class CaseEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("事件类型"), choices=HAND_KINDS)
    occurred_at = forms.DateTimeField(label=_("发生时间"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    step = forms.CharField(label=_("环节(环节开始、完成时必填)"), max_length=100, required=False)
    person = forms.CharField(label=_("经办人"), max_length=100, required=False)
    ground = forms.ChoiceField(label=_("中止事由"), choices=[("", "—")] + SuspensionGround.choices, required=False)
    reasons = forms.CharField(label=_("不予受理理由"), max_length=500, required=False)
    note = forms.CharField(label=_("延长理由"), max_length=200, required=False)
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=365, required=False)
    approver = forms.CharField(label=_("批准人"), max_length=100, required=False)
    amount = forms.DecimalField(label=_("金额(罚款或收费,元)"), min_value=0, max_digits=14, decimal_places=2,
                                required=False)

    def event(self, case_number) -> dict:
        """The event as the intake service takes it (the same contract as the API)."""
        data, kind = self.cleaned_data, self.cleaned_data["kind"]
        event = {"event_id": "manual", "case": case_number, "kind": kind,
                 "occurred_at": data["occurred_at"].isoformat(), "person": data["person"]}
        if kind in (EventKind.STEP_STARTED, EventKind.STEP_FINISHED):
            event["step"] = data["step"]
        if kind in (EventKind.SUSPENDED, EventKind.RESUMED) and data["ground"]:
            event["ground"] = data["ground"]
        if kind == EventKind.REFUSED:
            event["reasons"] = [data["reasons"]] if data["reasons"] else []
        if kind == EventKind.EXTENDED:
            event.update(days=data["days"], approver=data["approver"], ground=data["note"])
        if kind == EventKind.DECIDED and data["amount"] is not None:
            event["measure"] = {"amount": str(data["amount"]), "unit": "yuan"}
        if kind == EventKind.FEE_CHARGED:
            event["amount"] = str(data["amount"]) if data["amount"] is not None else None
        return event
