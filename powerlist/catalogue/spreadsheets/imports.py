"""All-or-nothing import of a department's power list from the Excel template."""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from powerlist.catalogue.models import Category, LegalBasis, Power
from powerlist.jobs.runner import job_start
from powerlist.org.models import Division
from powerlist.org.permissions import can_create_in, can_edit_item
from powerlist.org.roles import Role
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.record import operation_record_append_many

from .columns import (
    COLUMNS,
    EXAMPLE_PREFIX,
    TEXT_FIELDS,
    clean_key,
    clean_text,
    format_legal_bases,
    header_key,
    parse_days,
    parse_legal_bases,
    same_text,
)

GUIDE_SHEET = "填写说明"
HEADER_SEARCH_ROWS = 30
PROGRESS_EVERY = 200
MAX_REPORTED_ERRORS = 1000
POWER_IMPORT_TASK = "powerlist.tasks.power_import_task"
DISPOSITIONS = {"保留": Power.Disposition.RETAIN, "取消": Power.Disposition.CANCEL,
                "调整": Power.Disposition.ADJUST}
HEADER_BY_FIELD = {c.field: c.header for c in COLUMNS}
# Foreign keys are resolved (and checked) by the import itself; clean_fields would
# query the database once per key and row.
_NOT_CLEANED = ("region", "department", "division", "category", "source", "in_force", "created_by",
                "establishment_confirmed_by", "legal_confirmed_by")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0
    errors: list = field(default_factory=list)  # {"row", "column", "message"}
    error_count: int = 0

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        if not self.ok:
            return _("发现 %(n)s 处错误,未保存任何数据。请按错误明细修改后重新导入。") % {"n": self.error_count}
        return _("共 %(total)s 行:新增 %(created)s 项,更新 %(updated)s 项,未变化 %(unchanged)s 项。") % {
            "total": self.total, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
        }

    def add_error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})


def workbook_open(file):
    """Open an .xlsx (path, bytes or file object) read-only; ValidationError in Chinese
    when it is not a workbook."""
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationError(_("文件无法作为 Excel 工作簿(.xlsx)打开,请用 Excel 或 WPS 另存为 .xlsx 后重试。")) from exc
    except Exception as exc:  # openpyxl raises its own types for damaged parts
        raise ValidationError(_("文件无法作为 Excel 工作簿(.xlsx)打开,请用 Excel 或 WPS 另存为 .xlsx 后重试。")) from exc


def _sheets(rows_or_file):
    """Row sources as iterators of (excel_row_number, values)."""
    if isinstance(rows_or_file, (list, tuple)):
        return [enumerate(rows_or_file, 1)], None
    workbook = rows_or_file
    opened = None
    if not isinstance(rows_or_file, Workbook) and not hasattr(rows_or_file, "worksheets"):
        if isinstance(rows_or_file, (str, Path)):
            rows_or_file = str(rows_or_file)
        workbook = opened = workbook_open(rows_or_file)
    sources = []
    for sheet in workbook.worksheets:
        if sheet.title == GUIDE_SHEET:
            continue
        if hasattr(sheet, "reset_dimensions"):  # read-only: trust the rows, not the stored size
            sheet.reset_dimensions()
        sources.append(enumerate(sheet.iter_rows(values_only=True), 1))
    return sources, opened


def _find_header(sources):
    """(header_row_number, {field: column index}, remaining rows) of the first sheet
    whose first rows hold 事项编码 and 事项名称; title rows above are skipped."""
    code_key, name_key = header_key("事项编码"), header_key("事项名称")
    for rows in sources:
        for number, values in rows:
            keys = [header_key(v) for v in (values or ())]
            if code_key in keys and name_key in keys:
                columns = {}
                for column in COLUMNS:
                    wanted = header_key(column.header)
                    if wanted in keys:
                        columns[column.field] = keys.index(wanted)
                return number, columns, rows
            if number >= HEADER_SEARCH_ROWS:
                break
    return None, None, None


@dataclass
class _Row:
    number: int
    code: str
    values: dict  # field -> parsed value
    legal_bases: list | None
    power: Power | None = None  # the existing power, when the code is known


class _Importer:
    def __init__(self, *, user, department, progress):
        self.user = user
        self.department = department
        self.progress = progress or (lambda done, total, message="": None)
        self.result = ImportResult()
        self.categories = {}
        for category in Category.objects.filter(is_active=True):
            for label in (category.name, category.short_name):
                key = clean_key(label)
                if key:
                    self.categories[key] = category
                    self.categories[key.removeprefix("行政")] = category
                    self.categories.setdefault(f"行政{key}", category)
        divisions = Division.objects.filter(department=department)
        self.divisions = {clean_key(d.name): d for d in divisions}
        if user.division_id:
            self.default_division = self.divisions.get(clean_key(user.division.name))
        else:
            self.default_division = next(iter(self.divisions.values())) if len(self.divisions) == 1 else None

    def error(self, row, field_name, message):
        self.result.add_error(row, HEADER_BY_FIELD.get(field_name, field_name or ""), message)

    # --- reading -------------------------------------------------------------
    def read(self, rows_or_file):
        sources, opened = _sheets(rows_or_file)
        try:
            header_row, columns, rows = _find_header(sources)
            if header_row is None:
                self.result.add_error("", "", _("未找到表头行:须有一行同时包含“事项编码”和“事项名称”。请使用下载的模板。"))
                return []
            missing = [c.header for c in COLUMNS if c.required and c.field not in columns]
            for header in missing:
                self.result.add_error(header_row, header, _("缺少“%(header)s”列。") % {"header": header})
            if missing:
                return []
            self.columns = columns
            raw = []
            for number, values in rows:
                cells = {f: (values[i] if i < len(values) else None) for f, i in columns.items()}
                if all(v is None or not clean_text(v) for v in cells.values()):
                    continue  # blank row
                if clean_key(cells["code"]).startswith(EXAMPLE_PREFIX):
                    continue  # the template's example row
                raw.append((number, cells))
            return raw
        finally:
            if opened is not None:
                opened.close()

    # --- checking one row ------------------------------------------------------
    def parse(self, number, cells):
        values, errors_before = {}, self.result.error_count
        code = clean_key(cells["code"])
        if not code:
            self.error(number, "code", _("请填写事项编码。"))
        name = "".join(clean_text(cells["name"]).split("\n"))
        if not name:
            self.error(number, "name", _("请填写事项名称。"))
        values["code"], values["name"] = code, name
        category_text = clean_key(cells["category"])
        category = self.categories.get(category_text) or self.categories.get(category_text.removeprefix("行政"))
        if not category_text:
            self.error(number, "category", _("请填写职权类别。"))
        elif category is None:
            self.error(number, "category", _("无法识别的职权类别“%(value)s”,请填写模板“填写说明”中列出的类别。")
                       % {"value": clean_text(cells["category"])[:30]})
        values["category"] = category
        if "disposition" in cells:
            text = clean_key(cells["disposition"])
            values["disposition"] = DISPOSITIONS.get(text, Power.Disposition.RETAIN if not text else None)
            if values["disposition"] is None:
                self.error(number, "disposition", _("处理结果只能填“保留”“取消”或“调整”。"))
        if "division" in cells:
            values["division"] = self.parse_division(number, cells["division"])
        elif self.default_division is None:
            self.error(number, "division", _("请填写内部负责机构。"))
        else:
            values["division"] = self.default_division
        for name_ in ("statutory_limit_days", "promised_limit_days"):
            if name_ in cells:
                values[name_], message = parse_days(cells[name_])
                if message:
                    self.error(number, name_, message)
        for name_ in TEXT_FIELDS:
            if name_ in cells:
                values[name_] = clean_text(cells[name_])
        legal_bases = None
        if "legal_bases" in cells:
            legal_bases = parse_legal_bases(cells["legal_bases"])
            for basis in legal_bases:
                if len(basis["law_name"]) > 200 or len(basis["article"]) > 100:
                    self.error(number, "legal_bases", _("法律法规名称不得超过200字、条款不得超过100字:“%(law)s”。")
                               % {"law": basis["law_name"][:40]})
        return _Row(number, code, values, legal_bases), self.result.error_count == errors_before

    def parse_division(self, number, value):
        text = clean_key(value)
        if not text:
            if self.default_division is None:
                self.error(number, "division", _("请填写内部负责机构。"))
            return self.default_division
        division = self.divisions.get(text)
        if division is None:
            self.error(number, "division", _("本部门没有名为“%(value)s”的处(科、室)。") % {"value": clean_text(value)[:30]})
        return division

    def unchanged(self, row, power):
        for name_, value in row.values.items():
            if name_ in ("category", "division"):
                if (value.pk if value else None) != getattr(power, f"{name_}_id"):
                    return False
                continue
            current = getattr(power, name_)
            if name_ in TEXT_FIELDS or name_ in ("code", "name"):
                if not same_text(value, current):
                    return False
            elif value != current:
                return False
        if row.legal_bases is not None:
            return same_text(format_legal_bases(row.legal_bases), format_legal_bases(power.legal_bases.all()))
        return True

    def check(self, row):
        """Attach the existing power (or a new one) and run the model's rules."""
        existing = row.power
        if existing is not None:
            if existing.department_id != self.department.pk:
                self.error(row.number, "code", _("事项编码“%(code)s”已被本区划其他部门的事项使用。") % {"code": row.code})
                return None
            if self.unchanged(row, existing):
                return "unchanged"
            decision = can_edit_item(self.user, existing)
            if not decision:
                if existing.state != ReviewState.DRAFT:
                    message = _("事项%(code)s已提交审核/已确认(当前状态:%(state)s),不能通过导入修改。") % {
                        "code": row.code, "state": existing.get_state_display()}
                else:
                    message = _("事项%(code)s属于其他处(科、室),不能通过导入修改。") % {"code": row.code}
                self.error(row.number, "code", message)
                return None
        power = existing
        division = row.values.get("division")
        if self.user.division_id and division and division.pk != self.user.division_id:
            self.error(row.number, "division", _("只能导入本处(科、室)的事项。"))
            return None
        if power is None:
            power = Power(department=self.department, region_id=self.department.region_id, created_by=self.user)
        for name_, value in row.values.items():
            setattr(power, name_, value)
        try:
            power.clean_fields(exclude=_NOT_CLEANED)
            power.clean()
        except ValidationError as exc:
            for name_, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row.number, name_ if name_ in HEADER_BY_FIELD else "", message)
            return None
        return power

    # --- the whole file ----------------------------------------------------------
    def run(self, rows_or_file):
        raw = self.read(rows_or_file)
        result = self.result
        result.total = len(raw)
        if result.ok and not raw:
            result.add_error("", "", _("文件中没有可导入的数据行(表头下方为空,或只有示例行)。"))
        if not result.ok:
            return result
        self.progress(0, result.total, _("正在检查数据…"))
        existing = self.existing_powers({clean_key(cells["code"]) for _n, cells in raw} - {""})
        seen, creates, updates = {}, [], []
        for done, (number, cells) in enumerate(raw, 1):
            row, parsed = self.parse(number, cells)
            duplicate = row.code in seen
            if duplicate:
                self.error(number, "code", _("事项编码“%(code)s”与第%(row)s行重复。") % {
                    "code": row.code, "row": seen[row.code]})
            elif row.code:
                seen[row.code] = number
            if parsed:
                # A duplicate row is still checked, as new, to report its other mistakes.
                row.power = None if duplicate else existing.get(row.code)
                outcome = self.check(row)
                if outcome == "unchanged":
                    result.unchanged += 1
                elif outcome is not None and not duplicate:
                    (updates if row.power else creates).append((row, outcome))
            if done % PROGRESS_EVERY == 0:
                self.progress(done, result.total, _("正在检查数据…"))
        if not result.ok:
            return result
        self.progress(result.total, result.total, _("检查通过,正在保存…"))
        self.save(creates, updates)
        return result

    def existing_powers(self, codes):
        found = {}
        codes = sorted(codes)
        for start in range(0, len(codes), 500):
            chunk = (
                Power.objects.filter(region_id=self.department.region_id, code__in=codes[start:start + 500])
                .select_related("region").prefetch_related("legal_bases")
            )
            found.update({p.code: p for p in chunk})
        return found

    def save(self, creates, updates):
        result = self.result
        fields = [f for f in self.columns if f != "legal_bases"]
        if "division" not in fields:
            fields.append("division")
        try:
            with transaction.atomic():
                if not self.still_editable(updates) or not self.codes_still_free(creates):
                    transaction.set_rollback(True)
                    return
                now = timezone.now()
                powers = [power for _row, power in updates]
                for power in powers:
                    power.updated_at = now
                Power.objects.bulk_update(powers, fields + ["updated_at"], batch_size=500)
                new_powers = Power.objects.bulk_create([power for _row, power in creates], batch_size=500)
                if "legal_bases" in self.columns:
                    changed = [p.pk for p in powers]
                    for start in range(0, len(changed), 500):
                        LegalBasis.objects.filter(power_id__in=changed[start:start + 500]).delete()
                    LegalBasis.objects.bulk_create(
                        [
                            LegalBasis(power=power, order=i, **basis)
                            for row, power in [*updates, *creates]
                            for i, basis in enumerate(row.legal_bases or ())
                        ],
                        batch_size=1000,
                    )
                operation_record_append_many(
                    objs=new_powers, actor=self.user, role=Role.CLERK, action=ReviewAction.CREATE,
                    from_state="", to_state=ReviewState.DRAFT,
                )
        except IntegrityError:
            result.add_error("", "", _("保存时发现事项编码冲突(可能有人同时新增了相同编码的事项),未保存任何数据,请重新导入。"))
            return
        result.created, result.updated = len(creates), len(updates)

    def still_editable(self, updates):
        """Under lock: nothing imported over was submitted while the file was checked."""
        ids = [power.pk for _row, power in updates]
        states = {}
        for start in range(0, len(ids), 500):
            states.update(
                Power.objects.select_for_update().filter(pk__in=ids[start:start + 500]).values_list("pk", "state")
            )
        for row, power in updates:
            if states.get(power.pk) != ReviewState.DRAFT:
                self.error(row.number, "code", _("事项%(code)s已提交审核/已确认,不能通过导入修改。") % {"code": row.code})
        return self.result.ok

    def codes_still_free(self, creates):
        codes = [power.code for _row, power in creates]
        taken = set()
        for start in range(0, len(codes), 500):
            taken.update(
                Power.objects.filter(region_id=self.department.region_id, code__in=codes[start:start + 500])
                .values_list("code", flat=True)
            )
        for row, power in creates:
            if power.code in taken:
                self.error(row.number, "code", _("本区划内已有事项编码“%(code)s”。") % {"code": power.code})
        return self.result.ok


def require_clerk_of(user, department):
    """The department, when the user is a clerk of it; PermissionDenied with the reason otherwise."""
    decision = can_create_in(user, department) if department is not None else None
    if not decision:
        raise PermissionDenied(decision.reason if decision is not None else _("您的账号未分配部门。"))
    return department


def power_import(*, user, department, rows_or_file, progress=None):
    """Import the powers of `department` from the Excel template, all or nothing.

    rows_or_file: an .xlsx (path, bytes, file object or openpyxl workbook) or a list of
    rows (the header row first, title rows above it allowed). Every row is checked
    (categories, dispositions, divisions, time limits, legal bases, the model's rules,
    codes unique in the region and in the file, and that an existing power with the
    code is a draft of this department the user may edit). With any error nothing is
    saved and the result lists each error with its Excel row and column header.
    Otherwise new codes become drafts (with a 'create' review log entry each) and
    existing drafts with the same code are updated; unchanged rows are left alone.
    `progress(done, total, message)` is called every few hundred rows.

    Raises PermissionDenied unless the user is a clerk of the department, and
    ValidationError when the file is not a workbook.
    """
    require_clerk_of(user, department)
    return _Importer(user=user, department=department, progress=progress).run(rows_or_file)


def power_import_start(*, user, upload):
    """Queue the import of an uploaded workbook: creates the Job (kind "power_import")
    holding the file and, once the transaction commits, the Celery task that runs
    power_import. Raises PermissionDenied unless the user is a clerk of a department."""

    department = require_clerk_of(user, user.department)
    return job_start(
        kind="power_import", user=user, task=POWER_IMPORT_TASK, input_file=upload, message=_("排队等待导入…"),
        params={"department": department.pk, "filename": upload.name[:200]},
    )
