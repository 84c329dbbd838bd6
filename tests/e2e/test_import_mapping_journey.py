"""Issue 10, part 3, in a real browser: a clerk uploads a department's 权责清单 whose
responsibility column has a header the portal does not know, corrects the mapping on the
preview, sees the counts change, imports, and finds the main item with its sub-items."""

import pytest

from powerlist.catalogue.reference import ensure_categories
from powerlist.models import Category, Power
from tests.e2e.conftest import assert_accessible, login
from tests.powerlist.catalogue.real_lists import LICENCE_CASES, LICENCE_DUTIES, real_list

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADERS = ("序号", "职权编码", "职权名称", "子项名称", "职权类型", "实施依据", "实施主体", "权责事项", "追责情形",
           "审核转报(是/否)", "备注")


def _workbook():
    rows = [
        [1, "210000-FG-XK-001", "企业投资项目核准", "新建项目核准", "行政许可", "《企业投资项目核准和备案管理条例》第三条",
         "发展改革委", LICENCE_DUTIES, LICENCE_CASES, "否", None],
        [None, None, None, "改扩建项目核准", None, None, None, None, None, None, None],
    ]
    merges = [(1, 2, c) for c in (1, 2, 3, 5, 6, 7, 8, 9, 10)]
    return real_list(rows, merges=merges, headers=HEADERS)


def test_clerk_corrects_the_column_mapping_on_the_preview_and_imports(org, page, live_server, tmp_path):
    ensure_categories(Category)  # transactional tests start without the data migration's rows
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/powers/import/")
    path = tmp_path / "权责清单.xlsx"
    path.write_bytes(_workbook())
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="上传并预览").click()

    assert page.inner_text("h1") == "导入预览"
    assert not Power.objects.exists()  # nothing saved before the clerk confirms
    select = page.get_by_label("第8列“权责事项”对应的字段")
    assert select.input_value() == ""  # not recognised
    assert page.inner_text("#count-created") == "3" and page.inner_text("#count-sub-created") == "2"
    assert page.inner_text("#count-duties") == "0"
    assert_accessible(page)

    select.select_option("responsibility_items")
    with page.expect_navigation():
        page.get_by_role("button", name="按此对应重新检查").click()
    assert page.get_by_label("第8列“权责事项”对应的字段").input_value() == "responsibility_items"
    assert page.inner_text("#count-duties") == "5" and page.inner_text("#count-cases") == "4"
    assert "手工指定" in page.inner_text("#mapping")
    assert not Power.objects.exists()

    with page.expect_navigation():
        page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("#job p strong:text-matches('已完成|失败')")
    assert "新增 3 项(其中子项 2 项)" in page.inner_text("#job")
    main = Power.objects.get(code="210000-FG-XK-001")
    assert [s.code for s in main.sub_items.order_by("code")] == ["210000-FG-XK-001-01", "210000-FG-XK-001-02"]
    assert main.responsibility_items.count() == 5

    page.goto(f"{live_server.url}/powers/{main.pk}/")
    assert "受理责任" in page.inner_text("main") and "改扩建项目核准" in page.inner_text("main")
    assert_accessible(page)
