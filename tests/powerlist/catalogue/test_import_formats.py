"""The import reads what departments keep besides .xlsx: Excel 97–2003 (.xls) and
OpenDocument (.ods) workbooks, through python-calamine; the upload form accepts them,
judges a file by its content, and refuses a damaged, disguised or encrypted file with a
Chinese message. A list imported from one format and re-imported from another is
unchanged: the formats read to the same rows."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from powerlist.catalogue.models import ImportUpload, Power
from powerlist.catalogue.spreadsheets import power_import, workbook_read
from powerlist.jobs.models import Job
from tests.powerlist.catalogue.real_lists import HEADERS as LIST_HEADERS
from tests.powerlist.catalogue.real_lists import department_list, department_rows
from tests.powerlist.catalogue.test_real_layout import categories  # noqa: F401 (fixture)
from tests.powerlist.spreadsheet_helpers import compound_file, ods, row, xls, xlsx

pytestmark = pytest.mark.django_db

TITLE = "辽宁省发展和改革委员会权责清单"
WRITERS = {"xls": xls, "ods": ods}


def _list_as(kind):
    rows, _merges = department_rows()
    return WRITERS[kind](rows, title=TITLE, headers=LIST_HEADERS)


def test_the_three_formats_read_to_the_same_rows():
    rows = [row("210000-FG-XK-001", cells={"行使依据": "《行政许可法》第四十二条 甲\n《条例》第三条 乙", "备注": "  留空格  "}),
            [], row("210000-FG-XK-002", name="长" * 3000)]
    expected_first = ("210000-FG-XK-001", "企业投资项目核准", None, "行政许可", None, None, None,
                      "《行政许可法》第四十二条 甲\n《条例》第三条 乙", "投资处", None, None, None, None, 20, 10,
                      None, None, None, None, "  留空格  ")
    for write in (xlsx, xls, ods):
        [(title, sheet)] = workbook_read(write(rows, title="某厅权责清单"))
        assert sheet[0][0] == "某厅权责清单" and set(sheet[0][1:]) == {None}, write.__name__
        assert sheet[2] == expected_first, write.__name__
        assert type(sheet[2][13]) is int, write.__name__  # 20, as openpyxl gives it (calamine: 20.0)
        assert set(sheet[3]) == {None}, write.__name__  # the blank row keeps its place: Excel's row 4
        assert sheet[4][1] == "长" * 3000, write.__name__
        assert len(sheet) == 5


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_a_real_list_in_the_older_formats_imports_into_the_same_structure(org, categories, kind):  # noqa: F811
    result = power_import(user=org.clerk, department=org.dept, rows_or_file=_list_as(kind))

    assert result.ok, result.errors
    assert (result.created, result.sub_items_created, result.responsibility_items, result.circumstances) == (
        8, 5, 18, 6)
    assert result.header_row == 2
    node = Power.objects.get(code="210000-FG-XK-001")
    assert [(s.code, s.name, s.remarks) for s in node.sub_items.order_by("code")] == [
        ("210000-FG-XK-001-01", "企业投资项目核准(新建项目)", ""),
        ("210000-FG-XK-001-02", "企业投资项目核准(改扩建项目)", "含技术改造"),
    ]
    assert [(b.law_name, b.article) for b in node.legal_bases.all()] == [("《企业投资项目核准和备案管理条例》", "第三条")]
    penalty = Power.objects.get(code="210000-FG-CF-004")
    assert penalty.exercise_level == Power.ExerciseLevel.FORWARDED
    assert [c.text for c in penalty.accountability_circumstances.all()] == ["没有法定依据实施处罚的;", "擅自改变处罚种类、幅度的。"]

    # The same list kept as .xlsx (merged cells and all) is, row for row, what was imported.
    again = power_import(user=org.clerk, department=org.dept, rows_or_file=department_list())
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_the_upload_form_takes_xls_and_ods_to_the_preview(client, org, categories, kind):  # noqa: F811
    client.force_login(org.clerk)
    response = client.post(reverse("powerlist:power_import"), {"file": _upload(f"权责清单.{kind}", _list_as(kind))})

    upload = ImportUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "powerlist:power_import_preview", kwargs={"pk": upload.pk})
    assert upload.filename == f"权责清单.{kind}"
    page = client.get(response["Location"]).content.decode()
    assert "将新增 8 项(其中子项 5 项)" in page
    assert not Power.objects.exists() and not Job.objects.exists()


def test_the_form_judges_the_content_not_the_name(client, org, categories):  # noqa: F811
    client.force_login(org.clerk)
    url = reverse("powerlist:power_import")

    # An .ods saved under an .xlsx name is read for what it is.
    response = client.post(url, {"file": _upload("改了后缀.xlsx", _list_as("ods"))})
    assert response.status_code == 302

    refused = {
        "清单.csv": (b"a,b\n1,2\n", "只能上传 .xlsx、.xls 或 .ods 格式"),
        "清单.xls": (b"old excel", "无法作为电子表格"),
        "清单.ods": ("一段文字".encode(), "无法作为电子表格"),
        # A workbook cut short in transfer: its zip directory is gone.
        "截断.xlsx": (xlsx([row("210000-FG-XK-001")])[:1500], "无法作为电子表格"),
        # An .xls with an opening password: python-calamine cannot tell it from damage.
        "加密.xls": (xls([row("210000-FG-XK-002")], encrypted=True), "无法作为电子表格"),
        # An .xlsx with an opening password is an OLE file holding the encrypted package.
        "加密.xlsx": (compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x01" * 60,
                                     "EncryptedPackage": bytes(range(256)) * 20}), "文件设有打开密码,无法读取"),
    }
    for name, (content, message) in refused.items():
        page = client.post(url, {"file": _upload(name, content)}).content.decode()
        assert message in page, name
    assert ImportUpload.objects.count() == 1 and not Job.objects.exists()


def test_a_damaged_file_met_by_the_import_itself_is_a_validation_error(org):
    with pytest.raises(ValidationError) as caught:
        power_import(user=org.clerk, department=org.dept, rows_or_file=b"PK\x03\x04 not really a zip")
    assert "无法作为电子表格" in caught.value.messages[0]


def test_a_file_that_makes_the_reader_panic_is_refused_with_the_message(org):
    # An .xls whose Workbook stream claims 8 bytes (so it would sit in a mini stream that
    # the file does not have): python-calamine 0.9.1 panics in Rust (PanicException, a
    # BaseException) instead of raising an error.
    content = bytearray(xls([row("210000-FG-XK-001")]))
    directory = 512 + 512 * 8  # header, eight stream sectors, then the directory
    content[directory + 128 + 120:directory + 128 + 124] = (8).to_bytes(4, "little")
    with pytest.raises(ValidationError) as caught:
        workbook_read(bytes(content))
    assert "无法作为电子表格" in caught.value.messages[0]


def test_the_cycle_collector_is_paused_for_the_import_and_resumed_after_it(org, categories):  # noqa: F811
    import gc

    seen = []
    result = power_import(user=org.clerk, department=org.dept, rows_or_file=department_list(),
                          progress=lambda done, total, message="": seen.append(gc.isenabled()))
    assert result.ok and seen and not any(seen)
    assert gc.isenabled()
    with pytest.raises(ValidationError):
        power_import(user=org.clerk, department=org.dept, rows_or_file=b"not a workbook")
    assert gc.isenabled()
    gc.disable()  # a caller that had it off keeps it off
    try:
        power_import(user=org.clerk, department=org.dept, rows_or_file=department_list())
        assert not gc.isenabled()
    finally:
        gc.enable()
