from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.inputs import IdField
from powerlist.models import Region

from disclosure.search import MAX_QUERY_LENGTH
from disclosure.services import NOTE_MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索事项名称、编码或关键词"), max_length=MAX_QUERY_LENGTH, required=True,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如:许可、社会保险、事项编码")}))
    region = IdField(label=_("地区"), widget=forms.HiddenInput)
    department = IdField(label=_("部门"), widget=forms.HiddenInput)
    category = IdField(label=_("职权类别"), widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", "")] + list(Region.Level.choices),
                              widget=forms.HiddenInput)

    FILTERS = ("region", "department", "category", "level")


class PublishForm(forms.Form):
    note = forms.CharField(label=_("变更说明"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("向公众说明本次公开新增、变更或取消了哪些事项及原因。"))


class CompareForm(forms.Form):
    """?a=&b= of the comparison page: two version numbers (blank = the two newest)."""

    a = forms.IntegerField(required=False, min_value=1, max_value=100000)
    b = forms.IntegerField(required=False, min_value=1, max_value=100000)
