"""The post description form, and the post list's query string."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.inputs import IdFilter
from powerlist.org.models import Division
from powerlist.posts.models import Post
from powerlist.posts.services import post_powers_available


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ("name", "division", "duties", "qualifications", "order", "extra_powers")
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 4}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
            "extra_powers": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "extra_powers": _("流程图中由本岗位承办的事项会自动列出;此处补充流程图未体现的事项。"),
        }

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(department=department)
        self.fields["extra_powers"].queryset = post_powers_available(department)

    def content(self):
        return {name: self.cleaned_data[name] for name in ("name", "division", "duties", "qualifications", "order")}


class PostFilter(django_filters.FilterSet):
    """?department=<id> (default: the user's own department)."""

    department = IdFilter(label=_("部门编号(默认为本人所在部门)"))

    class Meta:
        model = Post
        fields = ["department"]
