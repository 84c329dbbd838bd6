"""The account import: all or nothing, every fault of a row at once, in Chinese."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from powerlist.models import ReviewLogEntry
from powerlist.org.imports import users_import, users_import_template
from powerlist.org.models import User
from tests.powerlist.org.conftest import workbook_bytes


@pytest.mark.django_db
def test_a_row_with_four_faults_lists_all_four_and_nothing_is_saved(admins):
    data = workbook_bytes([
        ("liming", "李明", "发展改革委", "投资处", "经办人", "liming@example.gov.cn"),
        ("clerk", "张三", "不存在厅", "", "经办人、局长", "not-an-email"),
    ])
    before = User.objects.count()
    result = users_import(actor=admins.province_admin, data=data, filename="users.xlsx")
    assert not result.ok
    assert result.errors == [(3, [
        "用户名“clerk”:已有同名账号。",
        "部门“不存在厅”:不存在或不在您的管理范围内。",
        "角色“局长”:没有这个角色。可填:经办人、部门审核人、领导小组办公室审核人、编委办确认人、法制办确认人、专家、纪检监察、系统管理员。",
        "邮箱“not-an-email”:格式不正确。",
    ])]
    assert User.objects.count() == before
    assert not User.objects.filter(username="liming").exists()


@pytest.mark.django_db
def test_every_faulty_row_is_reported(admins):
    data = workbook_bytes([
        ("a1", "", "发展改革委", "不存在处", "", ""),
        ("a1", "乙", "发展改革委", "", "", ""),
        ("", "丙", "", "", "", ""),
    ])
    result = users_import(actor=admins.province_admin, data=data)
    assert result.errors == [
        (2, ["姓名:必填。", "处室“不存在处”:不是“发展改革委”的处(科、室)。"]),
        (3, ["用户名“a1”:与第 2 行重复。"]),
        (4, ["用户名:必填。", "部门:必填。"]),
    ]


@pytest.mark.django_db
def test_a_clean_file_creates_every_account_with_roles_and_records(admins):
    data = workbook_bytes([
        ("liming", "李明", "发展改革委", "投资处", "经办人", "liming@example.gov.cn"),
        ("zhaolei", "赵磊", "辽宁省财政厅", "", "经办人、部门审核人", ""),
        ("示例", "张三", "发展改革委", "投资处", "经办人", ""),
    ])
    result = users_import(actor=admins.province_admin, data=data, filename="users.xlsx")
    assert result.ok
    liming, zhaolei = User.objects.get(username="liming"), User.objects.get(username="zhaolei")
    assert (liming.department, liming.division, liming.email) == (admins.dept, admins.division, "liming@example.gov.cn")
    assert zhaolei.department == admins.other_dept
    assert set(zhaolei.role_assignments.values_list("role", flat=True)) == {"clerk", "department_reviewer"}
    assert not liming.has_usable_password() and liming.must_change_password
    assert not User.objects.filter(username="示例").exists()
    entries = ReviewLogEntry.objects.filter(action="user_import").order_by("object_id")
    assert [(e.object_id, e.comment, e.snapshot["roles"]) for e in entries] == [
        (liming.pk, "文件 users.xlsx", ["clerk"]), (zhaolei.pk, "文件 users.xlsx", ["clerk", "department_reviewer"])]


@pytest.mark.django_db
def test_department_admin_imports_only_clerks_of_own_department(admins):
    data = workbook_bytes([
        ("c1", "甲", "发展改革委", "", "部门审核人", ""),
        ("c2", "乙", "财政厅", "", "经办人", ""),
    ])
    result = users_import(actor=admins.dept_admin, data=data)
    assert result.errors == [
        (2, ["角色“部门审核人”:部门管理员只能授予或收回“经办人”角色;“部门审核人”由系统管理员授予。"]),
        (3, ["部门“财政厅”:不存在或不在您的管理范围内。"]),
    ]


@pytest.mark.django_db
def test_same_department_name_in_two_regions_asks_for_the_region(admins):
    from tests.powerlist.factories import DepartmentFactory

    DepartmentFactory(region=admins.city, name="财政厅")
    result = users_import(actor=admins.province_admin, data=workbook_bytes([("b1", "甲", "财政厅", "", "", "")]))
    assert result.errors == [(2, ["部门“财政厅”:您的管理范围内有多个同名部门(辽宁省财政厅、沈阳市财政厅),请写上区划名。"])]
    ok = users_import(actor=admins.province_admin, data=workbook_bytes([("b1", "甲", "沈阳市财政厅", "", "", "")]))
    assert ok.ok and User.objects.get(username="b1").department.region == admins.city


@pytest.mark.django_db
def test_wrong_headers_are_refused(admins):
    with pytest.raises(ValidationError) as exc:
        users_import(actor=admins.province_admin, data=workbook_bytes([], headers=("用户名", "名字")))
    assert "表头应依次为" in str(exc.value)


@pytest.mark.django_db
def test_template_has_the_columns_and_the_departments_in_scope(admins):
    book = load_workbook(io.BytesIO(users_import_template(actor=admins.city_admin)))
    assert [c.value for c in book["用户"][1]] == ["用户名", "姓名", "部门", "处室", "角色(可多个,用、分隔)", "邮箱"]
    rows = [tuple(c.value for c in row) for row in book["部门"].iter_rows(min_row=2)]
    assert rows == [("沈阳市", "沈阳市发展改革委", "投资科"), ("沈阳市", "沈阳市领导小组办公室", None)]


@pytest.mark.django_db
def test_import_page_shows_each_row_with_all_its_faults(client, admins):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admins.province_admin)
    data = workbook_bytes([("clerk", "张三", "不存在厅", "", "局长", "bad")])
    response = client.post("/administration/users/import/", {"file": SimpleUploadedFile("u.xlsx", data)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "第 2 行" in body and body.count("<li>", body.index("import-errors")) >= 5
