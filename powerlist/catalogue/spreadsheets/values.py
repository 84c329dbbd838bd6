"""A power's value for each export field, as the cell text (shared by the portal template
and the region layouts, so that both read back through the import)."""

from django.utils.translation import gettext_lazy

from powerlist.catalogue.models import Power
from powerlist.catalogue.responsibility import join_circumstances, join_responsibility_items

from .columns import IMPORT_FIELDS, format_legal_bases

# prefetch_related lookups field_value needs on a list of powers.
LIST_PREFETCH = ("legal_bases", "responsibility_items", "accountability_circumstances")
# Fields a layout may show besides the import fields.
EXPORT_FIELDS = {**IMPORT_FIELDS, "implementing_body": "实施主体", "serial": "序号", "state": "审核状态"}
EXPORT_FIELD_HELP = gettext_lazy("列的字段取自导入字段(见“填写说明”),另可用 state(审核状态)。")


def field_value(power, name):
    """The cell for `name` of `power`'s own content ("" when blank)."""
    if name == "parent_code":
        return power.parent.code if power.parent_id else ""
    if name == "category":
        return power.category.name
    if name == "disposition":
        return power.get_disposition_display()
    if name == "division":
        return power.division.name if power.division_id else ""
    if name == "exercise_level":
        return power.get_exercise_level_display()
    if name == "forwarded":
        return "是" if power.exercise_level == Power.ExerciseLevel.FORWARDED else "否"
    if name == "legal_bases":
        return format_legal_bases(power.legal_bases.all())
    if name == "responsibility_items":
        return join_responsibility_items(power.responsibility_items.all())
    if name == "accountability_circumstances":
        return join_circumstances(power.accountability_circumstances.all())
    if name == "implementing_body":
        return power.department.name
    if name == "state":
        return power.get_state_display()
    if name in ("sub_item_name", "sub_item_code", "serial"):
        return ""
    value = getattr(power, name)
    return "" if value is None else value
