"""Administrators around the `org` fixture (tests/conftest.py): a province administrator
(scope: the province and the city below), a city administrator (the city only) and a
department administrator of 发展改革委 (its clerks only)."""

import io

import pytest
from guardian.shortcuts import assign_perm
from openpyxl import Workbook

from powerlist.org.roles import Role
from tests.powerlist.factories import make_user


@pytest.fixture
def admins(org):
    org.province_admin = make_user(Role.ADMINISTRATOR, org.office, username="province_admin")
    org.city_admin = make_user(Role.ADMINISTRATOR, org.city_office, username="city_admin")
    org.dept_admin = make_user(Role.CLERK, org.dept, username="dept_admin")
    assign_perm("powerlist.administer_department_users", org.dept_admin, org.dept)
    return org


def workbook_bytes(rows, *, headers=("用户名", "姓名", "部门", "处室", "角色(可多个,用、分隔)", "邮箱")):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
