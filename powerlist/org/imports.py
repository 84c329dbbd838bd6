"""Accounts from a spreadsheet, all or nothing: every row is checked and every fault of a
row reported at once (in Chinese, by row number); only a file without a fault is saved.

Columns (the header row may sit below a title): 用户名, 姓名, 部门, 处室,
角色(可多个,用、分隔), 邮箱. Imported accounts have no usable password yet: an
administrator hands each person a temporary password (重置密码) when the account is
handed over, so an import of hundreds of rows does not hash hundreds of passwords
(about 0.3 s each) in one request."""

import io
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from powerlist.org.audit import OrgAction, org_record_append_many
from powerlist.org.models import Division, RoleAssignment, User
from powerlist.org.permissions import can_administer_users, can_change_role
from powerlist.org.roles import Role
from powerlist.org.selectors import admin_departments

HEADERS = ("用户名", "姓名", "部门", "处室", "角色(可多个,用、分隔)", "邮箱")
FIELDS = ("username", "display_name", "department", "division", "roles", "email")
GUIDE = (
    gettext_lazy("必填。登录用的账号名:字母、数字、汉字及 @ . + - _,不超过 150 个字符,不能与已有账号重复。"),
    gettext_lazy("必填。不超过 50 个字符。"),
    gettext_lazy("必填。您管理范围内的部门名称;不同区划有同名部门时写上区划名,如“沈阳市发展改革委”。"),
    gettext_lazy("选填。该部门的处(科、室)名称。"),
    gettext_lazy("选填。角色名称,多个用顿号“、”分隔,如“经办人、部门审核人”。"),
    gettext_lazy("选填。"),
)
ROLE_SEPARATORS = ("、", ",", ",", ";", ";")
MAX_ROWS = 2000
MAX_FILE_BYTES = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
EXAMPLE_USERNAME = "示例"


@dataclass
class UserImportResult:
    users: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, [messages])

    @property
    def ok(self):
        return not self.errors


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _read_rows(data):
    """(row number, {field: text}) for each non-empty row under the header row."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise ValidationError(_("无法读取该文件,请上传由模板填写的 .xlsx 文件。")) from exc
    rows = sheet.iter_rows(values_only=True)
    for number, row in enumerate(rows, start=1):
        cells = [_cell(v).replace(" ", "") for v in row]
        if cells and cells[0] == HEADERS[0]:
            break
        if number >= HEADER_SEARCH_ROWS:
            raise ValidationError(_("找不到表头行:第一列应为“用户名”。请使用下载的模板。"))
    else:
        raise ValidationError(_("找不到表头行:第一列应为“用户名”。请使用下载的模板。"))
    expected = [h.replace(" ", "") for h in HEADERS]
    if cells[: len(HEADERS)] != expected:
        raise ValidationError(_("表头应依次为:%(headers)s。") % {"headers": "、".join(HEADERS)})
    for number, row in enumerate(rows, start=number + 1):
        values = [_cell(v) for v in (row or ())][: len(FIELDS)]
        values += [""] * (len(FIELDS) - len(values))
        if any(values) and values[0] != EXAMPLE_USERNAME:
            yield number, dict(zip(FIELDS, values, strict=True))


def _role_lookup():
    lookup = {}
    with translation.override("zh-hans"):
        for role in Role:
            lookup[str(role.label)] = role.value
            lookup[role.value] = role.value
    return lookup


def _department_lookup(actor):
    """{name: [department, ...]} over the departments the actor administers, under the
    department's own name and under region name + name."""
    lookup = {}
    for department in admin_departments(user=actor):
        for key in {department.name, f"{department.region.name}{department.name}"}:
            lookup.setdefault(key, []).append(department)
    return lookup


def users_import_check(*, actor, data):
    """Read and check the whole file; returns a UserImportResult with the unsaved users
    (each with `_import_roles`) or every fault, row by row."""
    decision = can_administer_users(actor)
    if not decision:
        raise PermissionDenied(decision.reason)
    rows = list(_read_rows(data))
    if not rows:
        raise ValidationError(_("文件中没有需要导入的行。"))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("一次最多导入 %(max)s 行,该文件有 %(n)s 行,请分批导入。") % {"max": MAX_ROWS, "n": len(rows)})
    departments = _department_lookup(actor)
    roles_by_name = _role_lookup()
    names = {r["username"] for _n, r in rows if r["username"]}
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    divisions = {}
    for division in Division.objects.filter(department__in=admin_departments(user=actor)).filter(
        name__in={r["division"] for _n, r in rows if r["division"]}
    ):
        divisions[(division.department_id, division.name)] = division
    result, first_row = UserImportResult(), {}
    username_validator = UnicodeUsernameValidator()
    for number, row in rows:
        faults = []
        username = row["username"]
        if not username:
            faults.append(_("用户名:必填。"))
        else:
            try:
                username_validator(username)
                if len(username) > 150:
                    raise ValidationError("")
            except ValidationError:
                faults.append(_("用户名“%(v)s”:只能包含字母、数字、汉字及 @ . + - _,且不超过 150 个字符。") % {"v": username})
            if username in taken:
                faults.append(_("用户名“%(v)s”:已有同名账号。") % {"v": username})
            elif username in first_row:
                faults.append(_("用户名“%(v)s”:与第 %(row)s 行重复。") % {"v": username, "row": first_row[username]})
            first_row.setdefault(username, number)
        if not row["display_name"]:
            faults.append(_("姓名:必填。"))
        elif len(row["display_name"]) > 50:
            faults.append(_("姓名:不超过 50 个字符。"))
        department = None
        if not row["department"]:
            faults.append(_("部门:必填。"))
        else:
            found = departments.get(row["department"], [])
            if not found:
                faults.append(_("部门“%(v)s”:不存在或不在您的管理范围内。") % {"v": row["department"]})
            elif len(found) > 1:
                faults.append(_("部门“%(v)s”:您的管理范围内有多个同名部门(%(names)s),请写上区划名。")
                              % {"v": row["department"], "names": "、".join(f"{d.region.name}{d.name}" for d in found)})
            else:
                department = found[0]
        division = None
        if row["division"] and department is not None:
            division = divisions.get((department.pk, row["division"]))
            if division is None:
                faults.append(_("处室“%(v)s”:不是“%(department)s”的处(科、室)。")
                              % {"v": row["division"], "department": department.name})
        roles = []
        for name in _split_roles(row["roles"]):
            if name not in roles_by_name:
                faults.append(_("角色“%(v)s”:没有这个角色。可填:%(roles)s。")
                              % {"v": name, "roles": "、".join(str(r.label) for r in Role)})
            else:
                roles.append(roles_by_name[name])
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                faults.append(_("邮箱“%(v)s”:格式不正确。") % {"v": row["email"]})
        user = User(username=username, display_name=row["display_name"], department=department,
                    division=division, email=row["email"], must_change_password=True)
        user._role_cache, user._department_grants_cache = frozenset(), {}
        if department is not None:
            for role in roles:
                allowed = can_change_role(actor, user, role)
                if not allowed:
                    faults.append(_("角色“%(role)s”:%(reason)s") % {"role": Role(role).label, "reason": allowed.reason})
        if faults:
            result.errors.append((number, faults))
        else:
            user._import_roles = sorted(set(roles))
            result.users.append(user)
    return result


def _split_roles(text):
    for separator in ROLE_SEPARATORS[1:]:
        text = text.replace(separator, ROLE_SEPARATORS[0])
    return [part.strip() for part in text.split(ROLE_SEPARATORS[0]) if part.strip()]


def users_import(*, actor, data, filename=""):
    """Import the accounts of a spreadsheet, all or nothing.

    Returns a UserImportResult: with `errors` (nothing saved) when any row has a fault,
    else with the created users. Each account is active, has no usable password yet and
    must change the one an administrator gives it; each gets one operation-record entry
    (with its roles). Raises PermissionDenied for a non-administrator and ValidationError
    for a file that is not the template."""
    result = users_import_check(actor=actor, data=data)
    if not result.ok:
        return result
    decision = can_administer_users(actor)
    with transaction.atomic():
        for user in result.users:
            user.set_unusable_password()
        User.objects.bulk_create(result.users, batch_size=500)
        saved = {u.username: u for u in User.objects.select_related("department__region").filter(
            username__in=[u.username for u in result.users])}
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=saved[u.username], role=r) for u in result.users for r in u._import_roles],
            batch_size=1000,
        )
        comment = format_lazy(gettext_lazy("文件 {}"), filename) if filename else ""
        org_record_append_many(
            actor=actor, role=decision.role, users=[saved[u.username] for u in result.users],
            action=OrgAction.USER_IMPORT, comments=[comment] * len(result.users),
            snapshots=[{"roles": u._import_roles, "department_id": u.department_id, "division_id": u.division_id}
                       for u in result.users],
        )
        result.users = list(saved.values())
    return result


def users_import_template(*, actor) -> bytes:
    """The template workbook: the header row and an example row, the column guide, and
    the departments (with their divisions) the actor administers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "用户"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append((EXAMPLE_USERNAME, "张三", "发展改革委", "投资处", "经办人", "zhangsan@example.gov.cn"))
    for column, width in zip("ABCDEF", (16, 12, 24, 16, 28, 28), strict=True):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet("填写说明")
    guide.append((_("列"), _("说明")))
    for header, text in zip(HEADERS, GUIDE, strict=True):
        guide.append((header, str(text)))
    guide.append(("", _("第一列为“示例”的行不会导入。任何一行有错误,整个文件都不保存。")))
    guide.append((_("角色"), "、".join(str(r.label) for r in Role)))
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 24, 90
    departments = book.create_sheet("部门")
    departments.append((_("区划"), _("部门"), _("处(科、室)")))
    by_department = {}
    for division in Division.objects.filter(department__in=admin_departments(user=actor)).order_by("order", "name"):
        by_department.setdefault(division.department_id, []).append(division.name)
    for department in admin_departments(user=actor):
        departments.append((department.region.name, department.name, "、".join(by_department.get(department.pk, []))))
    departments.column_dimensions["B"].width, departments.column_dimensions["C"].width = 30, 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
