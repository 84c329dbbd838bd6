"""Issue 10, part 2: the old `duty` and `accountability` texts move into responsibility items
and accountability circumstances without losing text (migration 0009), and back.

The splitting is checked on hand-written texts; the migration itself runs forwards and
backwards on a database holding powers with the old texts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from powerlist.catalogue.responsibility import (
    join_circumstances,
    join_responsibility_items,
    split_circumstances,
    split_responsibility_text,
    stages_for,
)

PENALTY = ("1.立案责任:对发现的违法行为进行审查,决定是否立案。\n2.调查取证责任:两名以上执法人员调查。"
           "3.审理责任:审理案件。\n4、告知责任:告知当事人。\n(5)决定责任:作出决定。\n8.其他责任:法律法规规定的其他责任。")
LICENCE_INLINE = "受理责任:公示条件。审查责任:审查材料。决定责任:作出决定。"
PREAMBLE = "本事项由投资处承办。\n1.受理责任:依法受理。\n2.监管责任:事后监督检查。"
PLAIN = "依法受理、审查、作出决定并送达,对决定的合法性、适当性负责;依法公开办理结果。"
MENTIONS_A_STAGE = "作出决定责任重大,应当集体研究。"


@pytest.mark.parametrize("text,expected", [
    (PENALTY, [("filing", "对发现的违法行为进行审查,决定是否立案。"), ("investigation", "两名以上执法人员调查。"),
               ("hearing", "审理案件。"), ("notice", "告知当事人。"), ("decision", "作出决定。"),
               ("other", "法律法规规定的其他责任。")]),
    (LICENCE_INLINE, [("acceptance", "公示条件。"), ("examination", "审查材料。"), ("decision", "作出决定。")]),
    (PREAMBLE, [("other", "本事项由投资处承办。"), ("acceptance", "依法受理。"), ("aftercare", "事后监督检查。")]),
    (PLAIN, [("other", PLAIN)]),
    (MENTIONS_A_STAGE, [("other", MENTIONS_A_STAGE)]),
    ("  ", []),
])
def test_responsibility_text_splits_into_stage_items(text, expected):
    assert split_responsibility_text(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("有下列情形之一的,依法追究责任:\n1.对符合法定条件的申请不予受理的;\n2.不在法定期限内作出决定的;(3)索取财物的。",
     ["有下列情形之一的,依法追究责任:", "对符合法定条件的申请不予受理的;", "不在法定期限内作出决定的;", "索取财物的。"]),
    ("违反规定的,依法追究责任。\n情节严重的,移送司法机关。", ["违反规定的,依法追究责任。", "情节严重的,移送司法机关。"]),
    ("违反规定的,依照《行政机关公务员处分条例》追究相关人员责任。", ["违反规定的,依照《行政机关公务员处分条例》追究相关人员责任。"]),
    ("", []),
])
def test_accountability_text_splits_into_circumstances(text, expected):
    assert split_circumstances(text) == expected


@pytest.mark.parametrize("text", [PENALTY, LICENCE_INLINE, PREAMBLE, PLAIN, MENTIONS_A_STAGE])
def test_no_text_is_lost_between_text_and_items(text):
    items = split_responsibility_text(text)
    joined = join_responsibility_items(items)
    assert split_responsibility_text(joined) == items
    # Each item's text is a piece of the original, and only headings lie between them.
    assert all(body and body in text for _stage, body in items)
    if items == [("other", text)]:
        assert joined == text  # an unsplit text comes back exactly


def test_stage_templates_follow_the_category():
    assert [str(s) for s in stages_for("CF")] == [
        "filing", "investigation", "hearing", "notice", "decision", "service", "enforcement", "other"]
    assert [str(s) for s in stages_for("XK")] == ["acceptance", "examination", "decision", "service", "aftercare",
                                                  "other"]
    assert [str(s) for s in stages_for("QR")] == ["acceptance", "examination", "decision", "service", "other"]


def test_circumstances_join_back_with_their_introduction():
    texts = ["有下列情形之一的,依法追究责任:", "不予受理的;", "超期决定的。"]
    assert join_circumstances(texts) == "有下列情形之一的,依法追究责任:\n1.不予受理的;\n2.超期决定的。"
    assert split_circumstances(join_circumstances(texts)) == texts


BEFORE = ("powerlist", "0008_sub_items_responsibility_lists")
AFTER = ("powerlist", "0009_duty_texts_into_lists")


def _migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


@pytest.mark.django_db(transaction=True)
def test_migration_moves_the_texts_into_lists_and_back():
    # Every app's latest migration: going back to 0008 also unapplies the apps that
    # depend on powerlist (disclosure, supervision …), and the tests after this one need them.
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE)
        Region, Department = apps.get_model("powerlist", "Region"), apps.get_model("powerlist", "Department")
        Division, Category = apps.get_model("powerlist", "Division"), apps.get_model("powerlist", "Category")
        Power = apps.get_model("powerlist", "Power")
        region = Region.objects.create(code="219900", name="迁移测试省", level="province", path="219900/")
        department = Department.objects.create(region=region, name="测试厅")
        division = Division.objects.create(department=department, name="测试处")
        category, _created = Category.objects.get_or_create(code="CF", defaults={"name": "行政处罚"})
        common = {"region": region, "department": department, "division": division, "category": category}
        numbered = Power.objects.create(code="M-1", name="处罚", duty=PENALTY, accountability=(
            "1.没有法定依据实施处罚的;\n2.擅自改变处罚种类的。"), **common)
        plain = Power.objects.create(code="M-2", name="其他", duty=PLAIN, accountability="违反规定的,依法追究责任。", **common)
        empty = Power.objects.create(code="M-3", name="空白", duty="", accountability="", **common)

        apps = _migrate(AFTER)
        Item = apps.get_model("powerlist", "ResponsibilityItem")
        Case = apps.get_model("powerlist", "AccountabilityCircumstance")
        items = lambda p: list(Item.objects.filter(power_id=p.pk).order_by("order").values_list("stage", "text"))  # noqa: E731
        cases = lambda p: list(Case.objects.filter(power_id=p.pk).order_by("order").values_list("text", flat=True))  # noqa: E731
        assert items(numbered) == [("filing", "对发现的违法行为进行审查,决定是否立案。"), ("investigation", "两名以上执法人员调查。"),
                                   ("hearing", "审理案件。"), ("notice", "告知当事人。"), ("decision", "作出决定。"),
                                   ("other", "法律法规规定的其他责任。")]
        assert cases(numbered) == ["没有法定依据实施处罚的;", "擅自改变处罚种类的。"]
        assert items(plain) == [("other", PLAIN)] and cases(plain) == ["违反规定的,依法追究责任。"]
        assert items(empty) == [] and cases(empty) == []

        apps = _migrate(BEFORE)
        Power = apps.get_model("powerlist", "Power")
        back = {p.code: (p.duty, p.accountability) for p in Power.objects.filter(region__code="219900")}
        assert back == {
            "M-1": ("1.立案责任:对发现的违法行为进行审查,决定是否立案。\n2.调查取证责任:两名以上执法人员调查。\n"
                    "3.审理责任:审理案件。\n4.告知责任:告知当事人。\n5.决定责任:作出决定。\n6.其他责任:法律法规规定的其他责任。",
                    "1.没有法定依据实施处罚的;\n2.擅自改变处罚种类的。"),
            "M-2": (PLAIN, "违反规定的,依法追究责任。"),
            "M-3": ("", ""),
        }
    finally:
        _migrate(*leaves)
