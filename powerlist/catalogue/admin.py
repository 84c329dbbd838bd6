"""Django admin for the import's header synonyms and the regions' export layouts: where a
region's office or administrator adds the headers its departments' lists use and stores
the column layout its lists are published in (docs/imports.md)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import ExportLayout, HeaderSynonym
from powerlist.catalogue.spreadsheets.columns import IMPORT_FIELDS, header_key
from powerlist.catalogue.spreadsheets.values import EXPORT_FIELDS


class HeaderSynonymForm(forms.ModelForm):
    field = forms.ChoiceField(label=_("对应字段"), choices=list(IMPORT_FIELDS.items()))

    class Meta:
        model = HeaderSynonym
        fields = ["region", "name", "field"]

    def clean(self):
        data = super().clean()
        key = header_key(data.get("name") or "")
        if not key:
            raise ValidationError({"name": _("请填写表头名称。")})
        clash = HeaderSynonym.objects.filter(key=key, region=data.get("region")).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError({"name": _("该地区已有同名表头。")})
        self.instance.key = key
        return data


@admin.register(HeaderSynonym)
class HeaderSynonymAdmin(admin.ModelAdmin):
    form = HeaderSynonymForm
    list_display = ("name", "field", "region")
    list_filter = ("field",)
    search_fields = ("name",)
    autocomplete_fields = ("region",)


class ExportLayoutForm(forms.ModelForm):
    class Meta:
        model = ExportLayout
        fields = ["region", "name", "title", "columns", "merge_main_cells", "is_default"]
        help_texts = {"columns": _("如 [{\"field\": \"code\", \"header\": \"职权编码\"}, …];field 可选:%(fields)s")
                      % {"fields": ", ".join(EXPORT_FIELDS)}}

    def clean_columns(self):
        columns = self.cleaned_data["columns"]
        if not isinstance(columns, list) or not columns or not all(
                isinstance(c, dict) and c.get("field") in EXPORT_FIELDS and str(c.get("header") or "").strip()
                for c in columns):
            raise ValidationError(_("列须为非空列表,每列写明 field(见说明)和 header(表头文字)。"))
        return columns


@admin.register(ExportLayout)
class ExportLayoutAdmin(admin.ModelAdmin):
    form = ExportLayoutForm
    list_display = ("name", "region", "is_default", "merge_main_cells")
    autocomplete_fields = ("region",)
