"""Spreadsheet import of powers: messy real-world files, all-or-nothing errors,
re-import by code, permissions, the upload view and the background job."""

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from powerlist.catalogue.services import power_create
from powerlist.catalogue.spreadsheets import power_import
from powerlist.catalogue.spreadsheets.columns import HEADERS, parse_days, parse_legal_bases
from powerlist.catalogue.models import ImportUpload
from powerlist.models import Job, LegalBasis, Power, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.review.record import operation_record_verify
from tests.powerlist.factories import CategoryFactory, PowerFactory
from tests.powerlist.helpers import confirm
from tests.powerlist.spreadsheet_helpers import row, xlsx

pytestmark = pytest.mark.django_db


def _import(org, content, user=None):
    user = user or org.clerk
    return power_import(user=user, department=user.department, rows_or_file=content)


def _errors(result):
    return {(e["row"], e["column"]) for e in result.errors}


# The template's headers before sub-items and responsibility lists: files kept from then
# still import (行使职责 and 责任追究 are synonyms of 责任事项 and 追责情形).
OLD_HEADERS = ("事项编码", "事项名称", "职权类别", "处理结果", "处理理由", "行使依据", "内部负责机构", "主管领导",
               "人员职责分工", "行使职责", "办理条件", "法定时限(工作日)", "承诺时限(工作日)", "服务承诺", "工作纪律",
               "责任追究", "收费依据", "备注")


def test_messy_workbook_imports_cleanly(org):
    headers = [f" {h} " for h in OLD_HEADERS]
    headers[OLD_HEADERS.index("法定时限(工作日)")] = "法定时限(工作日)"  # half-width brackets
    content = xlsx(
        [
            [" 210000-FG-XK-001 ", "企业投资项目核准 ", "许可", "", "",
             "1.《中华人民共和国行政许可法》第四十二条 应当自受理之日起二十日内作出决定。\n"
             "\n《企业投资项目核准和备案管理条例》第３条第２款:实行核准管理。",
             " 投资处", "张三", "", "依法审查", "", "２０", "10个工作日", "", "", "", "", ""],
            None,
            ["２１００００-FG-CF-００２", "价格违法行为处罚", "行政处罚", "取消", "已由法律取消",
             "《价格法》第三十九条", "投资处", None, None, None, None, 30.0, "１５", None, None, None, "不收费", None],
            [None, "  ", None],
            ["210000-FG-SP-003", "政府投资项目审批", " 审批 ", " 调整 ", "下放至市级",
             None, "投资处", None, None, None, None, None, None, None, None, None, None, None],
        ],
        title="辽宁省发展改革委行政权力清单",
        headers=headers,
        blank_rows_before_header=1,
    )

    result = _import(org, content)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.total) == (3, 0, 3)
    first = Power.objects.get(code="210000-FG-XK-001")
    assert first.name == "企业投资项目核准"
    assert first.category.name == "行政许可"
    assert first.disposition == Power.Disposition.RETAIN
    assert first.division == org.division and first.department == org.dept and first.state == ReviewState.DRAFT
    assert (first.statutory_limit_days, first.promised_limit_days) == (20, 10)
    assert first.created_by == org.clerk
    assert [(b.law_name, b.article, b.text) for b in first.legal_bases.all()] == [
        ("《中华人民共和国行政许可法》", "第四十二条", "应当自受理之日起二十日内作出决定。"),
        ("《企业投资项目核准和备案管理条例》", "第3条第2款", "实行核准管理。"),
    ]
    second = Power.objects.get(code="210000-FG-CF-002")
    assert second.disposition == Power.Disposition.CANCEL and second.disposition_reason == "已由法律取消"
    assert (second.statutory_limit_days, second.promised_limit_days) == (30, 15)
    assert second.fee_basis == "不收费"
    third = Power.objects.get(code="210000-FG-SP-003")
    assert third.category.name == "行政审批" and third.disposition == Power.Disposition.ADJUST
    # One chained 'create' entry per new power, and the chain still verifies.
    created = ReviewLogEntry.objects.filter(action=ReviewAction.CREATE, object_id__in=[first.pk, second.pk, third.pk])
    assert created.count() == 3
    assert set(created.values_list("actor_id", flat=True)) == {org.clerk.pk}
    assert all(r.ok for r in operation_record_verify(full=True))


def test_broken_workbook_saves_nothing_and_reports_each_error(org, power):
    confirmed = confirm(org, PowerFactory(department=org.dept, division=org.division, code="210000-FG-XK-900"))
    before = (Power.objects.count(), LegalBasis.objects.count(), ReviewLogEntry.objects.count())
    content = xlsx(
        [
            row("210000-FG-XK-101"),  # valid, row 2: still not saved
            row("210000-FG-XK-102", category="行政许愿"),
            row("210000-FG-XK-103", cells={"法定时限(工作日)": 10, "承诺时限(工作日)": "１５"}),
            row("210000-FG-XK-104", name="  "),
            row("210000-FG-XK-101", cells={"承诺时限(工作日)": 30}),
            row(confirmed.code, name="改个名字"),
            row("210000-FG-XK-107", cells={"处理结果": "取消"}),
            row("210000-FG-XK-108", cells={"法定时限(工作日)": "二十天", "内部负责机构": "不存在处"}),
        ]
    )

    result = _import(org, content)

    assert not result.ok
    assert (Power.objects.count(), LegalBasis.objects.count(), ReviewLogEntry.objects.count()) == before
    assert _errors(result) == {
        (3, "职权类别"), (4, "承诺时限(工作日)"), (5, "事项名称"), (6, "事项编码"), (6, "承诺时限(工作日)"),
        (7, "事项编码"),
        (8, "处理理由"), (9, "法定时限(工作日)"), (9, "内部负责机构"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "行政许愿" in messages[(3, "职权类别")]
    assert messages[(4, "承诺时限(工作日)")] == "承诺时限不得超过法定时限。"
    assert "第2行重复" in messages[(6, "事项编码")]
    assert messages[(7, "事项编码")] == "事项210000-FG-XK-900已提交审核/已确认(当前状态:已确认),不能通过导入修改。"
    assert "取消或调整" in messages[(8, "处理理由")]


def test_reimport_updates_drafts_by_code_instead_of_duplicating(org):
    first = xlsx([row("210000-FG-XK-001", cells={"行使依据": "《行政许可法》第四十二条 旧条文"}),
                  row("210000-FG-XK-002")])
    assert _import(org, first).created == 2
    log_count = ReviewLogEntry.objects.count()

    second = xlsx([row("210000-FG-XK-001", name="企业投资项目核准(新)",
                       cells={"行使依据": "《行政许可法》第四十二条 新条文\n《条例》第三条"}),
                   row("210000-FG-XK-002"), row("210000-FG-XK-003")])
    result = _import(org, second)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Power.objects.filter(code__startswith="210000-FG-XK-").count() == 3
    updated = Power.objects.get(code="210000-FG-XK-001")
    assert updated.name == "企业投资项目核准(新)"
    assert [b.text for b in updated.legal_bases.all()] == ["新条文", ""]
    # Updating a draft is not a review event; only the new power gets its 'create' entry.
    assert ReviewLogEntry.objects.count() == log_count + 1


@pytest.mark.parametrize("who", ["other_clerk", "dept_reviewer", "office_reviewer"])
def test_only_clerks_of_the_department_may_import(org, who):
    user = getattr(org, who)
    with pytest.raises(PermissionDenied):
        power_import(user=user, department=org.dept, rows_or_file=xlsx([row("210000-FG-XK-001")]))
    assert not Power.objects.exists()


def test_codes_of_other_departments_and_divisions_are_refused(org):
    PowerFactory(department=org.other_dept, division=org.other_dept_division, code="210000-CZ-001")
    PowerFactory(department=org.dept, division=org.other_division, code="210000-FG-JG-001")
    content = xlsx([
        row("210000-CZ-001"),
        row("210000-FG-JG-001", cells={"内部负责机构": "价格处"}),
        row("210000-FG-XK-009", cells={"内部负责机构": "价格处"}),
    ])

    result = _import(org, content)

    # Row 3 has two faults: the code belongs to another division, and so does 价格处.
    assert _errors(result) == {(2, "事项编码"), (3, "事项编码"), (3, "内部负责机构"), (4, "内部负责机构")}
    assert not Power.objects.filter(code="210000-FG-XK-009").exists()


def test_clerk_without_division_imports_into_any_division_of_the_department(org):
    from powerlist.org.roles import Role
    from tests.powerlist.factories import make_user

    clerk = make_user(Role.CLERK, org.dept, username="dept_clerk")
    result = _import(org, xlsx([row("210000-FG-JG-010", cells={"内部负责机构": "价格处"}),
                                row("210000-FG-JG-011", cells={"内部负责机构": None})]), user=clerk)

    assert _errors(result) == {(3, "内部负责机构")}  # two divisions: blank is ambiguous


def test_file_without_header_or_rows_is_reported(org):
    assert "未找到表头行" in _import(org, xlsx([["a", "b"]], headers=["甲", "乙"])).errors[0]["message"]
    assert "没有可导入的数据行" in _import(org, xlsx([])).errors[0]["message"]


def test_cell_parsers():
    assert parse_days("２０") == (20, None)
    assert parse_days("20个工作日") == (20, None)
    assert parse_days(20.0) == (20, None)
    assert parse_days(None) == (None, None)
    assert parse_days("二十")[1]
    assert parse_legal_bases("《法》第一百零三条之一 内容\n接上一条的第二行\n条例第5条") == [
        {"law_name": "《法》", "article": "第一百零三条之一", "text": "内容\n接上一条的第二行"},
        {"law_name": "条例", "article": "第5条", "text": ""},
    ]
    assert parse_legal_bases("《法》第十条第一款第\uff08三\uff09项 内容")[0]["article"] == "第十条第一款第\uff08三\uff09项"


# --- the upload view and the background job ----------------------------------------


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_upload_view_rejects_non_xlsx_oversized_and_broken_files(client, org, settings):
    client.force_login(org.clerk)
    url = reverse("powerlist:power_import")

    response = client.post(url, {"file": _upload("清单.csv", b"a,b")})
    assert "只能上传 .xlsx、.xls 或 .ods 格式" in response.content.decode()

    # .xls is accepted by name now (test_import_formats.py), and judged by its content.
    response = client.post(url, {"file": _upload("清单.xls", b"old excel")})
    assert "无法作为电子表格" in response.content.decode()

    response = client.post(url, {"file": _upload("清单.xlsx", b"not a zip")})
    assert "无法作为电子表格" in response.content.decode()

    settings.UPLOAD_MAX_BYTES = 1000
    response = client.post(url, {"file": _upload("清单.xlsx", xlsx([row("210000-FG-XK-001")]))})
    assert "文件太大" in response.content.decode()
    assert not Job.objects.exists()


def test_upload_view_refuses_reviewers(client, org):
    client.force_login(org.dept_reviewer)
    response = client.get(reverse("powerlist:power_import"))
    assert response.status_code == 403


def test_upload_runs_the_job_and_the_job_page_shows_the_outcome(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.clerk)
    good = xlsx([row("210000-FG-XK-001"), row("210000-FG-XK-002")])
    response = client.post(reverse("powerlist:power_import"), {"file": _upload("清单.xlsx", good)})
    upload = ImportUpload.objects.get()
    assert response.url == reverse("powerlist:power_import_preview", args=[upload.pk])
    assert not Job.objects.exists() and not Power.objects.exists()
    assert "将新增 2 项" in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"action": "import"})
    job = Job.objects.get()
    assert response.url == reverse("powerlist:job_detail", args=[job.pk])
    assert (job.kind, job.state) == ("power_import", Job.State.SUCCEEDED)
    assert job.result["created"] == 2
    assert "新增 2 项" in client.get(response.url).content.decode()

    bad = xlsx([row("210000-FG-XK-003", category="不知道")])
    response = client.post(reverse("powerlist:power_import"), {"file": _upload("清单2.xlsx", bad)})
    page = client.get(response.url).content.decode()
    assert "无法识别的职权类别“不知道”" in page and "<td>2</td><td>职权类别</td>" in page
    # An import with faults is refused on the preview: no job starts.
    response = client.post(response.url, {"action": "import"})
    assert response.status_code == 200 and Job.objects.count() == 1
    assert not Power.objects.filter(code="210000-FG-XK-003").exists()


def test_import_page_lists_recent_imports_and_links_the_template(client, org):
    client.force_login(org.clerk)
    page = client.get(reverse("powerlist:power_import")).content.decode()
    assert reverse("powerlist:power_import_template") in page
    assert "<h1>" in page and 'enctype="multipart/form-data"' in page


def test_import_to_confirmed_powers_still_works_for_new_ones_after_refusal(org, power):
    """The refusal is per file: after removing the offending row the rest imports."""
    confirm(org, power)
    assert not _import(org, xlsx([row(power.code, name="新名称"), row("210000-FG-XK-777")])).ok
    assert _import(org, xlsx([row("210000-FG-XK-777")])).created == 1


# --- scale ---------------------------------------------------------------------------


def test_five_thousand_rows_import_in_one_go(org):
    """Marked nothing: it runs in CI. Measured numbers are in docs/imports.md."""
    rows = [
        row(f"210000-FG-XK-{i:05d}", name=f"事项{i}", category=("许可", "行政处罚", "确认")[i % 3],
            cells={"行使依据": f"《中华人民共和国行政许可法》第{i % 80 + 1}条 条文{i}\n《条例》第三条"})
        for i in range(5000)
    ]
    content = xlsx(rows, title="五千行")
    progress = []

    started = time.monotonic()
    result = power_import(user=org.clerk, department=org.dept, rows_or_file=content,
                          progress=lambda done, total, message="": progress.append(done))
    elapsed = time.monotonic() - started

    assert result.ok, result.errors[:5]
    assert result.created == 5000
    assert Power.objects.filter(department=org.dept).count() == 5000
    assert LegalBasis.objects.count() == 10000
    assert ReviewLogEntry.objects.filter(action=ReviewAction.CREATE).count() == 5000
    assert all(r.ok for r in operation_record_verify(full=True))
    assert len(progress) < 40  # every ~200 rows, not every row
    assert elapsed < 60, elapsed
    print(f"\n5000-row import: {elapsed:.1f} s")

    # Re-importing the same file changes nothing and duplicates nothing.
    again = power_import(user=org.clerk, department=org.dept, rows_or_file=content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5000)


def test_bulk_log_entries_match_single_appends(org):
    """operation_record_append_many writes the same chain power_create would."""
    power_create(user=org.clerk, department=org.dept, data={
        "code": "210000-FG-XK-1", "name": "甲", "category": CategoryFactory(), "division": org.division})
    _import(org, xlsx([row("210000-FG-XK-2"), row("210000-FG-XK-3")]))
    seqs = list(ReviewLogEntry.objects.filter(chain="region:210000").order_by("seq").values_list("seq", flat=True))
    assert seqs == [1, 2, 3]
    results = [(r.chain, r.count, r.broken, r.reason) for r in operation_record_verify(full=True) if r.count]
    assert results == [("region:210000", 3, None, "")]


def test_a_previewed_file_is_not_imported_into_another_department(client, org):
    """The preview checks the file against the department it was uploaded for; a clerk who
    moved to another department since may not import it there."""
    from powerlist.catalogue.spreadsheets.imports import power_import_start

    client.force_login(org.clerk)
    client.post(reverse("powerlist:power_import"), {"file": _upload("清单.xlsx", xlsx([row("210000-FG-XK-001")]))})
    upload = ImportUpload.objects.get()
    org.clerk.department, org.clerk.division = org.other_dept, org.other_dept_division
    org.clerk.save()
    with pytest.raises(PermissionDenied):
        power_import_start(user=org.clerk, upload=upload)
    assert not Job.objects.exists()


@pytest.fixture
def dry_runs(monkeypatch):
    """The dry runs (save=False) the preview makes."""
    from powerlist.catalogue.spreadsheets import imports

    calls, real = [], imports.power_import

    def counted(**kwargs):
        if kwargs.get("save") is False:
            calls.append(kwargs.get("mapping"))
        return real(**kwargs)

    monkeypatch.setattr(imports, "power_import", counted)
    return calls


def test_the_preview_checks_the_file_once_per_request_and_import_reuses_a_passed_check(client, org, dry_runs):
    client.force_login(org.clerk)
    content = xlsx([row("210000-FG-XK-001"), row("210000-FG-XK-002")])
    url = client.post(reverse("powerlist:power_import"), {"file": _upload("清单.xlsx", content)}).url
    assert "将新增 2 项" in client.get(url).content.decode()
    assert len(dry_runs) == 1

    # Rechecking with a corrected mapping: one dry run, with that mapping (column 2 = 事项名称 not imported).
    page = client.post(url, {"action": "check", "col-1": ""}).content.decode()
    assert dry_runs[1:] == [{"1": ""}] and "缺少“事项名称”列" in page
    # Importing with that (failing) mapping checks again and refuses: no job.
    response = client.post(url, {"action": "import", "col-1": ""})
    assert response.status_code == 200 and len(dry_runs) == 3 and not Job.objects.exists()

    # Back to the name column: checked once, passes; importing with it then starts the job unchecked.
    client.post(url, {"action": "check", "col-1": "name"})
    assert len(dry_runs) == 4
    response = client.post(url, {"action": "import", "col-1": "name"})
    job = Job.objects.get()
    assert response.url == reverse("powerlist:job_detail", args=[job.pk]) and len(dry_runs) == 4
    assert job.params["mapping"] == {"1": "name"}


def test_an_import_with_another_mapping_than_the_one_checked_is_checked_first(client, org, dry_runs):
    client.force_login(org.clerk)
    content = xlsx([row("210000-FG-XK-001")])
    url = client.post(reverse("powerlist:power_import"), {"file": _upload("清单.xlsx", content)}).url
    client.get(url)
    response = client.post(url, {"action": "import", "col-1": ""})
    assert response.status_code == 200 and dry_runs == [{}, {"1": ""}] and not Job.objects.exists()
    assert ImportUpload.objects.get().checked["ok"] is False


def test_a_moved_clerk_cannot_import_a_previously_passed_file_through_the_page(client, org, dry_runs):
    client.force_login(org.clerk)
    url = client.post(reverse("powerlist:power_import"), {"file": _upload("清单.xlsx", xlsx([row("210000-FG-XK-001")]))}).url
    client.get(url)
    assert ImportUpload.objects.get().checked["ok"] is True
    org.clerk.department, org.clerk.division = org.other_dept, org.other_dept_division
    org.clerk.save()
    response = client.post(url, {"action": "import"})
    assert response.status_code == 403 and not Job.objects.exists() and not Power.objects.exists()


def test_a_queued_import_runs_into_its_department_even_if_the_clerk_moved(org, django_capture_on_commit_callbacks):
    from powerlist.catalogue.spreadsheets.imports import power_import_start
    from powerlist.jobs.tasks import power_import_task

    with django_capture_on_commit_callbacks(execute=False):
        job = power_import_start(user=org.clerk, upload=_upload("清单.xlsx", xlsx([row("210000-FG-XK-001")])))
    org.clerk.department, org.clerk.division = org.other_dept, org.other_dept_division
    org.clerk.save()
    power_import_task(str(job.pk))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and not Power.objects.exists()
