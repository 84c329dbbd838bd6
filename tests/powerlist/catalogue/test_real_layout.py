"""Issue 10, part 3: a workbook laid out like a department's 权责清单 imports into main items,
sub-items, responsibility items and circumstances, and exports back in the same layout;
the synonym table, the region's own headers, the mapping correction, and every fault of
a row reported at once."""

import io

import pytest
from openpyxl import load_workbook

from powerlist.catalogue.admin import HeaderSynonymForm
from powerlist.catalogue.models import ExportLayout, HeaderSynonym, Power
from powerlist.catalogue.spreadsheets import power_import
from powerlist.catalogue.spreadsheets.columns import header_key
from powerlist.catalogue.spreadsheets.layouts import power_export_layout
from tests.powerlist.catalogue.real_lists import (
    BASIS_ENERGY,
    HEADERS,
    LICENCE_CASES,
    LICENCE_DUTIES,
    department_list,
    real_list,
)
from tests.powerlist.factories import CategoryFactory
from tests.powerlist.spreadsheet_helpers import row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(db):
    return {code: CategoryFactory(code=code, name=name, short_name=short, order=order) for code, name, short, order in (
        ("XK", "行政许可", "许可", 10), ("SP", "行政审批", "审批", 20), ("CF", "行政处罚", "处罚", 30))}


def _import(org, content, **kwargs):
    return power_import(user=org.clerk, department=org.dept, rows_or_file=content, **kwargs)


def _duties(power):
    return [(i.stage, i.text) for i in power.responsibility_items.all()]


def test_real_list_imports_into_main_items_sub_items_and_lists(org, categories):
    result = _import(org, department_list())

    assert result.ok, result.errors
    assert (result.created, result.sub_items_created, result.responsibility_items, result.circumstances) == (
        8, 5, 18, 6)
    mapped = {c.header: c.field for c in result.columns}
    assert mapped == {"序号": "serial", "职权编码": "code", "职权名称": "name", "子项名称": "sub_item_name",
                      "职权类型": "category", "实施依据": "legal_bases", "实施主体": "implementing_body",
                      "责任事项": "responsibility_items", "追责情形": "accountability_circumstances",
                      "审核转报(是/否)": "forwarded", "备注": "remarks"}
    assert result.header_row == 2

    node = Power.objects.get(code="210000-FG-XK-001")
    assert node.parent is None and node.name == "企业投资项目核准" and node.category == categories["XK"]
    assert node.division == org.division and node.exercise_level == Power.ExerciseLevel.DIRECT
    # The merged cells belong to the main item.
    assert [(b.law_name, b.article) for b in node.legal_bases.all()] == [("《企业投资项目核准和备案管理条例》", "第三条")]
    assert _duties(node) == [
        ("acceptance", "公示应当提交的材料,一次性告知补正材料,依法受理或不予受理。"),
        ("examination", "对申请材料进行审查,提出审查意见。"),
        ("decision", "作出准予或不予核准的决定,不予核准的说明理由。"),
        ("service", "送达核准文件,依法公开。"),
        ("aftercare", "对项目实施情况进行监督检查。"),
    ]
    assert [c.text for c in node.accountability_circumstances.all()] == [
        "因不履行或不正确履行行政职责,有下列情形的,依法追究责任:", "对符合条件的申请不予受理的;",
        "不在法定期限内作出决定的;", "索取或者收受他人财物的。"]
    subs = list(node.sub_items.order_by("code"))
    assert [(s.code, s.name, s.remarks) for s in subs] == [
        ("210000-FG-XK-001-01", "企业投资项目核准(新建项目)", ""),
        ("210000-FG-XK-001-02", "企业投资项目核准(改扩建项目)", "含技术改造"),
    ]
    # Sub-items inherit what was merged: no lists of their own.
    assert all(not s.legal_bases.exists() and not s.responsibility_items.exists() for s in subs)
    assert all(s.category == categories["XK"] and s.division == org.division for s in subs)

    energy = Power.objects.get(code="210000-FG-SP-003")
    assert not energy.legal_bases.exists() and len(_duties(energy)) == 5
    assert [(s.code, [b.article for b in s.legal_bases.all()]) for s in energy.sub_items.order_by("code")] == [
        ("210000-FG-SP-003-01", ["第十五条"]), ("210000-FG-SP-003-02", ["第五条"]), ("210000-FG-SP-003-03", ["第六条"])]

    penalty = Power.objects.get(code="210000-FG-CF-004")
    assert penalty.exercise_level == Power.ExerciseLevel.FORWARDED and not penalty.sub_items.exists()
    assert [stage for stage, _t in _duties(penalty)] == [
        "filing", "investigation", "hearing", "notice", "decision", "service", "enforcement", "other"]
    assert [c.text for c in penalty.accountability_circumstances.all()] == ["没有法定依据实施处罚的;", "擅自改变处罚种类、幅度的。"]


def test_real_list_exports_back_in_the_same_layout_and_reimports_unchanged(org, categories):
    original = department_list()
    assert _import(org, original).ok
    ExportLayout.objects.create(region=org.province, name="本省权责清单", title="辽宁省发展和改革委员会权责清单",
                                columns=[{"field": f, "header": h} for f, h in zip(
                                    ("serial", "code", "name", "sub_item_name", "category", "legal_bases",
                                     "implementing_body", "responsibility_items", "accountability_circumstances",
                                     "forwarded", "remarks"), HEADERS)])

    exported = power_export_layout(user=org.clerk, filters={}, layout=None)

    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    source = load_workbook(io.BytesIO(original)).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "辽宁省发展和改革委员会权责清单" and values[1] == list(HEADERS)
    penalty_duties = ("1.立案责任:发现违法线索后及时审查,决定是否立案。\n2.调查取证责任:两名以上执法人员调查取证。\n"
                      "3.审理责任:审理案件事实和证据。\n4.告知责任:告知当事人陈述申辩权利。\n5.决定责任:作出处罚决定。\n"
                      "6.送达责任:送达处罚决定书。\n7.执行责任:监督执行。\n8.其他责任:法律法规规定的其他责任。")
    assert values[2:] == [
        [1, "210000-FG-XK-001", "企业投资项目核准", "企业投资项目核准(新建项目)", "行政许可",
         "《企业投资项目核准和备案管理条例》第三条", "发展改革委", LICENCE_DUTIES, LICENCE_CASES, "否", None],
        [None, None, None, "企业投资项目核准(改扩建项目)", None, None, None, None, None, None, "含技术改造"],
        [2, "210000-FG-SP-003", "固定资产投资项目节能审查", "年综合能耗5000吨标准煤以上项目", "行政审批", BASIS_ENERGY,
         "发展改革委", LICENCE_DUTIES, None, "否", None],
        [None, None, None, "年综合能耗1000至5000吨标准煤项目", None, "《固定资产投资项目节能审查办法》第五条",
         None, None, None, None, None],
        [None, None, None, "年综合能耗不满1000吨标准煤项目", None, "《固定资产投资项目节能审查办法》第六条",
         None, None, None, None, None],
        [3, "210000-FG-CF-004", "对经营者不执行政府定价的处罚", None, "行政处罚", "《中华人民共和国价格法》第三十九条",
         "发展改革委", penalty_duties, "1.没有法定依据实施处罚的;\n2.擅自改变处罚种类、幅度的。", "是", None],
    ]
    assert {str(r) for r in sheet.merged_cells.ranges} == {str(r) for r in source.merged_cells.ranges}

    again = _import(org, exported)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)


def test_rows_naming_their_main_item_and_rows_following_it(org, categories):
    """The portal's template names the main item (所属主项编码); a 子项名称 row under a main
    item's own row follows it."""
    template = xlsx([
        row("210000-FG-XK-010", name="企业投资项目核准"),
        row("210000-FG-XK-010-A", name="新建项目核准", category="", cells={"所属主项编码": "210000-FG-XK-010",
                                                                        "内部负责机构": ""}),
    ])
    assert _import(org, template).ok
    sub = Power.objects.get(code="210000-FG-XK-010-A")
    assert sub.parent.code == "210000-FG-XK-010" and sub.category == categories["XK"] and sub.division == org.division

    follows = real_list([
        [1, "210000-FG-XK-020", "外商投资项目核准", None, "行政许可", BASIS_ENERGY, None, LICENCE_DUTIES, None, "否", None],
        [None, None, None, "鼓励类项目", None, None, None, None, None, None, None],
        [None, None, None, "限制类项目", None, "《外商投资准入特别管理措施》", None, None, None, None, None],
    ])
    result = _import(org, follows)
    assert result.ok, result.errors
    main = Power.objects.get(code="210000-FG-XK-020")
    assert [b.law_name for b in main.legal_bases.all()] == ["《中华人民共和国节约能源法》"]
    assert [(s.code, s.name, s.legal_bases.count()) for s in main.sub_items.order_by("code")] == [
        ("210000-FG-XK-020-01", "鼓励类项目", 0), ("210000-FG-XK-020-02", "限制类项目", 1)]


def test_every_fault_of_a_row_is_reported_at_once(org, categories):
    """Issue 14, item 4: a row with four faults lists all four (one of them is a model
    rule, checked even though the row's cells already failed)."""
    content = xlsx([row("210000-FG-XK-030", category="行政许愿", cells={
        "内部负责机构": "不存在处", "法定时限(工作日)": "十天", "处理结果": "取消", "处理理由": ""})])

    result = _import(org, content)

    assert sorted((e["row"], e["column"]) for e in result.errors) == [
        (2, "内部负责机构"), (2, "处理理由"), (2, "法定时限(工作日)"), (2, "职权类别")]
    assert not Power.objects.exists()


def test_sub_item_faults_name_their_row(org, categories):
    content = real_list([
        [None, None, None, "没有主项的子项", None, None, None, None, None, None, None],
        [1, "210000-FG-XK-040", "企业投资项目核准", "新建", "行政处罚", None, None, None, None, "也许", None],
    ])
    result = _import(org, content)
    assert sorted((e["row"], e["column"], e["message"][:8]) for e in result.errors) == [
        (3, "子项名称", "子项“没有主项的"), (4, "审核转报(是/否)", "审核转报只能填“")]


def test_unknown_header_is_mapped_by_the_clerk_or_by_the_region(org, categories):
    content = real_list([[1, "210000-FG-XK-050", "企业投资项目核准", None, "行政许可", None, None, LICENCE_DUTIES,
                          None, "否", None]],
                        headers=("序号", "职权编码", "职权名称", "子项名称", "职权类型", "实施依据", "实施主体",
                                 "权责事项", "追责情形", "审核转报(是/否)", "备注"))
    result = _import(org, content, save=False)
    assert result.ok and [c.field for c in result.columns if c.header == "权责事项"] == [""]
    assert result.responsibility_items == 0

    corrected = _import(org, content, save=False, mapping={"7": "responsibility_items"})
    assert corrected.responsibility_items == 5 and corrected.columns[7].source == "manual"
    assert not Power.objects.exists()  # a preview saves nothing

    HeaderSynonym.objects.create(region=org.province, field="responsibility_items", name="权责事项",
                                 key=header_key("权责事项"))
    by_region = _import(org, content)
    assert by_region.columns[7].source == "region" and by_region.responsibility_items == 5
    assert Power.objects.get(code="210000-FG-XK-050").responsibility_items.count() == 5


def test_a_regions_header_is_added_in_the_admin_form(org):
    form = HeaderSynonymForm(data={"region": org.province.pk, "name": " 权责 事项 ", "field": "responsibility_items"})
    assert form.is_valid(), form.errors
    assert form.save().key == "权责事项"
    again = HeaderSynonymForm(data={"region": org.province.pk, "name": "权责事项", "field": "name"})
    assert not again.is_valid() and "已有同名表头" in str(again.errors)
    assert not HeaderSynonymForm(data={"region": "", "name": "x", "field": "duty"}).is_valid()


def test_a_large_layout_export_runs_as_a_job_with_progress_and_a_download(client, org, categories, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    from django.urls import reverse

    from powerlist.catalogue.spreadsheets import layouts
    from powerlist.catalogue.views import spreadsheets as spreadsheet_views
    from powerlist.jobs import runner
    from powerlist.models import Job

    assert _import(org, department_list()).ok  # 8 powers: main items XK-001 (2 sub-items), SP-003 (3), CF-004
    monkeypatch.setattr(spreadsheet_views, "EXPORT_STREAM_LIMIT", 7)
    monkeypatch.setattr(layouts, "EXPORT_CHUNK", 3)
    reports = []
    real_progress = runner.job_progress

    def recording(job_id):
        report = real_progress(job_id)

        def both(done, total, message=""):
            reports.append((done, total, message))
            report(done, total, message)
        return both

    monkeypatch.setattr(runner, "job_progress", recording)
    client.force_login(org.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("powerlist:power_export"), {"layout": "region"})
    job = Job.objects.get(kind="power_export_layout")
    assert response.url == reverse("powerlist:job_detail", args=[job.pk])
    assert (job.state, job.progress, job.total) == (Job.State.SUCCEEDED, 8, 8)
    # Groups in catalogue order: XK-001 (1 + 2 subs), SP-003 (1 + 3), CF-004 …; a report each 3 powers or more.
    assert [r[:2] for r in reports] == [(3, 8), (7, 8), (8, 8)] and reports[-1][2] == "正在生成文件…"
    page = client.get(response.url).content.decode()
    assert "导出本地区权责清单格式" in page and "下载结果文件" in page
    download = client.get(reverse("powerlist:job_download", args=[job.pk]))
    assert ".xlsx" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "发展改革委权责清单" and values[1][:3] == ["序号", "职权编码", "职权名称"]
    assert len(values) == 2 + 2 + 3 + 1  # title and header, XK-001's 2 sub-item rows, SP-003's 3, CF-004's one


def test_a_small_layout_export_still_downloads_at_once(client, org, categories):
    from django.urls import reverse

    from powerlist.models import Job

    assert _import(org, department_list()).ok
    client.force_login(org.clerk)
    response = client.get(reverse("powerlist:power_export"), {"layout": "region"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats") and not Job.objects.exists()


def _groups_list(groups, *, start=1, suffix=""):
    """`groups` times (numbered from `start`): a main item with two sub-items (its cells merged over them) and a
    single item, every one with its legal basis, duties and cases."""
    rows, merges = [], []
    for n in range(start, start + groups):
        first = len(rows) + 1
        rows += [
            [n, f"210000-FG-XK-{n:03d}", f"企业投资项目核准{n}{suffix}", "新建项目", "行政许可", BASIS_ENERGY, "省发展改革委",
             LICENCE_DUTIES, LICENCE_CASES, "否", None],
            [None, None, None, "改扩建项目", None, None, None, None, None, None, None],
            [n, f"210000-FG-CF-{n:03d}", f"价格违法处罚{n}{suffix}", None, "行政处罚", BASIS_ENERGY, "省发展改革委",
             LICENCE_DUTIES, LICENCE_CASES, "是", None],
        ]
        merges += [(first, first + 1, c) for c in (1, 2, 3, 5, 6, 7, 8, 9, 10)]
    return real_list(rows, merges=merges)


def test_an_imports_queries_do_not_grow_with_its_rows(org, categories):
    """Every look-up and write of new items is one statement per kind, whatever the
    number of rows: a query per row (a foreign key read while checking, a list or an
    operation-record entry written row by row) would make the larger file cost more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(content):
        with CaptureQueriesContext(connection) as captured:
            result = _import(org, content)
        assert result.ok, result.errors
        return result, [q["sql"] for q in captured.captured_queries]

    queries(_groups_list(1, start=900))  # the region's chain head is created once, the content type cached
    small, small_queries = queries(_groups_list(2))
    large, large_queries = queries(_groups_list(12, start=101))
    assert (small.created, large.created, large.sub_items_created, large.circumstances) == (8, 48, 24, 96)
    # Categories, divisions, synonyms, the existing codes; then under a savepoint the
    # codes again (locked), the main items (on PostgreSQL ids drawn, then a COPY; else one
    # INSERT … RETURNING), the same for the sub-items, one statement per list (bases,
    # duties, cases), the regions, the chain head, the entries, the head's update, and
    # the savepoint's release.
    expected = 18 if connection.vendor == "postgresql" else 16
    assert len(large_queries) == len(small_queries) == expected, "\n".join(large_queries)
