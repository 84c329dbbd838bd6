"""Forms of the working-day calendar pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.calendar_entry import parse_calendar_lines
from supervision.models import CalendarYear


class CalendarYearCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class CalendarYearForm(forms.Form):
    notice_number = forms.CharField(
        label=CalendarYear._meta.get_field("notice_number").verbose_name, required=False, max_length=100,
        help_text=CalendarYear._meta.get_field("notice_number").help_text,
    )
    notice_date = forms.DateField(
        label=_("通知发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
    )
    days = forms.CharField(
        label=_("节假日与调休上班日"), required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 48, "spellcheck": "false"}),
        help_text=_(
            "每行一段:日期或日期范围、节日名称、“休”“调休”或“班”。例如:"
            "“2027-01-01 元旦 休”“2027-02-06..2027-02-12 春节 休”“2027-02-14 班”。"
            "范围内的周末不必逐日列出。"
        ),
    )
    is_complete = forms.BooleanField(
        label=_("已完整录入"), required=False,
        help_text=_("全年放假安排都已录入后勾选;未勾选的年度只用于估算到期日。"),
    )

    def __init__(self, *args, year, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def clean_days(self):
        entries, errors = parse_calendar_lines(self.cleaned_data["days"], self.year)
        if errors:
            raise forms.ValidationError([str(e) for e in errors])
        return entries
