"""All-or-nothing import of a department's power list: the portal's template or the layout
of a real power-and-responsibility list (权责清单), with main items and sub-items.

Reading goes in four steps, each in this module:
  columns   each header is mapped to an import field through the synonym table
            (HeaderSynonym: built-in rows, the region's and its parents' own) or the
            template's headers; the preview page may correct the mapping per column;
  items     rows become main items and sub-items: a row naming a 所属主项编码, a 子项名称
            row under a main item's row ("follows"), or 子项名称 rows whose main-item cells
            are merged over them (the first row carries the main item; a cell filled only
            there, or equal on every sub-item row, belongs to the main item);
  checking  every fault of every row is collected (nothing stops at the first);
  saving    only when no row has a fault, in one transaction (or not at all: a preview).
"""

import datetime as dt
import gc
import io
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import PROTECT, F, Q
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from powerlist.catalogue.models import (
    AccountabilityCircumstance,
    Category,
    HeaderSynonym,
    ImportUpload,
    LegalBasis,
    Power,
    ResponsibilityItem,
)
from powerlist.catalogue.responsibility import (
    join_circumstances,
    join_responsibility_items,
    split_circumstances,
    split_responsibility_text,
)
from powerlist.jobs.models import Job
from powerlist.jobs.runner import job_start
from powerlist.org.models import Division
from powerlist.org.permissions import can_create_in, can_edit_item, clerk_reaches_division
from powerlist.org.roles import Role
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.record import RecordEvent, operation_record_append_events
from powerlist.review.record_models import ReviewLogEntry

from .columns import (
    COLUMNS,
    EXAMPLE_PREFIX,
    IGNORED_FIELDS,
    IMPORT_FIELDS,
    TEXT_FIELDS,
    clean_key,
    clean_text,
    format_legal_bases,
    header_key,
    parse_days,
    parse_legal_bases,
    same_text,
)
from powerlist.bulk import AnyOf, insert_returning_ids, insert_rows, insert_values
from .synonyms import BUILTIN_SYNONYMS

GUIDE_SHEET = "填写说明"
HEADER_SEARCH_ROWS = 30
PROGRESS_EVERY = 200
MAX_REPORTED_ERRORS = 1000
CHUNK = 500
POWER_IMPORT_TASK = "powerlist.tasks.power_import_task"
DISPOSITIONS = {"保留": Power.Disposition.RETAIN, "取消": Power.Disposition.CANCEL,
                "调整": Power.Disposition.ADJUST}
EXERCISE_LEVELS = {clean_key(label): value for value, label in Power.ExerciseLevel.choices}
EXERCISE_LEVELS.update({"直接": Power.ExerciseLevel.DIRECT, "委托": Power.ExerciseLevel.DELEGATED,
                        "下放": Power.ExerciseLevel.DELEGATED, "转报": Power.ExerciseLevel.FORWARDED})
YES, NO = {"是", "Y", "YES", "√", "✓", "1"}, {"否", "N", "NO", "×", "0", ""}
# Cells of a 子项名称 row that name its main item, not the sub-item.
MAIN_FIELDS = ("code", "name", "category", "parent_code", "sub_item_name", "sub_item_code", *IGNORED_FIELDS)
LIST_FIELDS = ("legal_bases", "responsibility_items", "accountability_circumstances")
# Foreign keys are resolved (and checked) by the import itself; clean_fields would
# query the database once per key and row.
_NOT_CLEANED = ("region", "department", "division", "category", "source", "in_force", "created_by", "parent",
                "establishment_confirmed_by", "legal_confirmed_by")
# The fields whose checks are not already done while parsing: lengths, choices, bounds.
CLEANABLE = tuple(f.name for f in Power._meta.concrete_fields
                  if f.name not in _NOT_CLEANED and (f.validators or f.choices))
_FIELD_NAMES = frozenset(f.name for f in Power._meta.concrete_fields)
# Foreign keys a row sets: through their column and the relation cache, as the descriptor
# would, without its per-assignment router calls (three per row).
_RELATIONS = {"category": "category_id", "division": "division_id"}


@dataclass
class MappedColumn:
    index: int
    header: str
    field: str  # "" when not imported
    source: str  # template / synonym / region / manual / ""
    sample: str = ""

    @property
    def label(self):
        return IMPORT_FIELDS.get(self.field, "")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sub_items_created: int = 0
    sub_items_updated: int = 0
    responsibility_items: int = 0
    circumstances: int = 0
    total: int = 0
    saved: bool = False
    header_row: int | None = None
    columns: list = field(default_factory=list)  # MappedColumn
    errors: list = field(default_factory=list)  # {"row", "column", "message"}
    error_count: int = 0

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        if not self.ok:
            return _("发现 %(n)s 处错误,未保存任何数据。请按错误明细修改后重新导入。") % {"n": self.error_count}
        counts = {
            "total": self.total, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "subs_created": self.sub_items_created, "subs_updated": self.sub_items_updated,
            "duties": self.responsibility_items, "cases": self.circumstances,
        }
        if not self.saved:
            return _("共 %(total)s 行:将新增 %(created)s 项(其中子项 %(subs_created)s 项),更新 %(updated)s 项"
                     "(其中子项 %(subs_updated)s 项),%(unchanged)s 项未变化;责任事项 %(duties)s 条,"
                     "追责情形 %(cases)s 条。") % counts
        return _("共 %(total)s 行:新增 %(created)s 项(其中子项 %(subs_created)s 项),更新 %(updated)s 项"
                 "(其中子项 %(subs_updated)s 项),未变化 %(unchanged)s 项;责任事项 %(duties)s 条,"
                 "追责情形 %(cases)s 条。") % counts

    def add_error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})

    def outcome(self):
        """What the job page shows (JSON)."""
        return {"errors": self.errors, "error_count": self.error_count, "summary": self.summary(),
                "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "sub_items_created": self.sub_items_created, "sub_items_updated": self.sub_items_updated,
                "responsibility_items": self.responsibility_items, "circumstances": self.circumstances}


# The formats the import reads (python-calamine tells them apart by their content, never
# by the file's name): Excel 2007+ (.xlsx), Excel 97–2003 (.xls), OpenDocument (.ods).
WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")


def _unreadable():
    return _("文件无法作为电子表格(.xlsx、.xls 或 .ods)打开:可能已损坏、设有打开密码,或并非表格文件;请用 Excel 或 "
             "WPS 打开后另存为 .xlsx(不设密码)再上传。")


# An .xlsx saved with an opening password is no zip but an OLE compound file holding the
# encrypted package (MS-OFFCRYPTO): its signature, and the stream's name in UTF-16.
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def workbook_open(file):
    """Open an .xlsx (path, bytes or file object) read-only with openpyxl; ValidationError
    in Chinese when it is not a workbook. (The risk-point import reads through it; the
    power import reads with workbook_read.)"""
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationError(_("文件无法作为 Excel 工作簿(.xlsx)打开,请用 Excel 或 WPS 另存为 .xlsx 后重试。")) from exc
    except Exception as exc:  # openpyxl raises its own types for damaged parts
        raise ValidationError(_("文件无法作为 Excel 工作簿(.xlsx)打开,请用 Excel 或 WPS 另存为 .xlsx 后重试。")) from exc


def workbook_read(file):
    """The worksheets of a workbook (.xlsx, .xls or .ods: path, bytes or file object) as
    [(title, rows)], every row a tuple of cell values as openpyxl's read-only values_only
    gives them (None for an empty cell, whole numbers as int, a date as a datetime), so
    what the import tolerates and parses is unchanged. Read with python-calamine (Rust):
    openpyxl's read was the largest single part of a 5,000-row import (bench/results.md).
    Chart, macro and VBA sheets are left out. ValidationError in Chinese when the file is
    not a readable workbook (damaged, encrypted, or another kind of file), found by its
    content, whatever its name."""
    if isinstance(file, (str, Path)):
        with open(file, "rb") as stream:
            data = stream.read()
    elif isinstance(file, bytes):
        data = file
    else:
        file.seek(0)
        data = file.read()
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            return [(meta.name, _openpyxl_values(workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)))
                    for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
    except Exception as exc:  # python-calamine raises its own types (zip, XML, CFB, password …)
        raise _unreadable_error(data, exc) from exc
    except BaseException as exc:
        # A malformed file can make the Rust reader panic: pyo3 raises PanicException,
        # a BaseException (not an Exception) that no other code would catch.
        if type(exc).__name__ != "PanicException":
            raise
        raise _unreadable_error(data, exc) from exc


def _unreadable_error(data, exc):
    if isinstance(exc, PasswordError) or (data.startswith(_OLE_SIGNATURE) and _ENCRYPTED_PACKAGE in data):
        return ValidationError(_("文件设有打开密码,无法读取;请在 Excel 或 WPS 中取消密码后重新上传。"))
    return ValidationError(_unreadable())


_DATE, _FLOAT = dt.date, float


def _openpyxl_values(rows):
    """calamine's cells as openpyxl gives them: "" → None, 20.0 → 20, a date → a datetime
    at midnight (openpyxl has no date-only cells). Rows keep their place from A1 (the
    sheet is read with its empty area), so row numbers and column indexes are Excel's."""
    def cell(value):
        if value == "":
            return None
        kind = value.__class__
        if kind is _FLOAT:
            return int(value) if value.is_integer() else value
        if kind is _DATE:
            return dt.datetime(value.year, value.month, value.day)
        return value

    return [tuple(map(cell, row)) for row in rows]


def _sheets(rows_or_file):
    """Row sources as iterators of (excel_row_number, values)."""
    if isinstance(rows_or_file, (list, tuple)):
        return [enumerate(rows_or_file, 1)]
    return [enumerate(rows, 1) for title, rows in workbook_read(rows_or_file) if title != GUIDE_SHEET]


def header_table(region):
    """{header key: (field, source)}: the region's own synonyms (then its parents'), the
    template's headers, then the built-in synonyms. One query."""
    table = {}
    codes = [c for c in (region.path or "").split("/") if c] if region is not None else []
    rows = HeaderSynonym.objects.filter(Q(region__isnull=True) | Q(region__code__in=codes))
    rows = sorted(rows.values_list("key", "field", "region__code"),
                  key=lambda r: -(codes.index(r[2]) + 1) if r[2] in codes else 0)
    for key, field_name, region_code in rows:
        if region_code and field_name in IMPORT_FIELDS:
            table.setdefault(key, (field_name, "region"))
    for column in COLUMNS:
        table.setdefault(header_key(column.header), (column.field, "template"))
    builtin = [(key, field_name) for key, field_name, region_code in rows if not region_code]
    if not builtin:
        # A database without the seeded rows (emptied by hand, or a flushed test database).
        builtin = [(header_key(name), field_name) for field_name, names in BUILTIN_SYNONYMS.items() for name in names]
    for key, field_name in builtin:
        if field_name in IMPORT_FIELDS:
            table.setdefault(key, (field_name, "synonym"))
    return table


def map_columns(headers, table, override=None):
    """[MappedColumn] for a header row; `override` {"index": field or ""} corrects it."""
    columns = []
    for index, value in enumerate(headers):
        header = clean_text(value).replace("\n", "")
        field_name, source = table.get(header_key(value), ("", "")) if header else ("", "")
        columns.append(MappedColumn(index, header, field_name, source))
    for index, field_name in (override or {}).items():
        index = int(index)
        if 0 <= index < len(columns) and (field_name in IMPORT_FIELDS or field_name == ""):
            columns[index].field, columns[index].source = field_name, "manual"
    return columns


@dataclass
class _Item:
    number: int
    cells: dict  # field -> raw cell value
    is_sub: bool = False
    main: "_Item | None" = None  # the main item in the file
    subs: list = field(default_factory=list)
    implicit: bool = False  # a main item read off its first sub-item's row
    code: str = ""
    parent_code: str = ""
    values: dict = field(default_factory=dict)
    lists: dict = field(default_factory=dict)  # field -> parsed list (only for mapped columns)
    power: Power | None = None  # the existing power with this code
    parent: Power | None = None  # the existing main item (a sub-item of an item not in the file)
    new: Power | None = None  # what will be saved
    ok: bool = True


class _Importer:
    def __init__(self, *, user, department, progress, mapping=None):
        self.user = user
        self.department = department
        self.mapping = mapping or {}
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
        self.blank = Power(department=department, region_id=department.region_id, created_by=user)
        self.excludes = {}
        divisions = Division.objects.filter(department=department)
        self.divisions = {clean_key(d.name): d for d in divisions}
        if user.division_id:
            self.default_division = self.divisions.get(clean_key(user.division.name))
        else:
            self.default_division = next(iter(self.divisions.values())) if len(self.divisions) == 1 else None

    def new_power(self):
        """A copy of the one blank new power, its attributes copied straight into a new
        instance: Model.__init__ per row cost a fifth of a 5,000-row import, and
        copy.copy (pickling's __reduce_ex__/__getstate__) a tenth (bench/results.md)."""
        power = Power.__new__(Power)
        power.__dict__.update(self.blank.__dict__)
        power._state = ModelState()
        power._state.fields_cache = dict(self.blank._state.fields_cache)
        return power

    def error(self, row, field_name, message):
        self.result.add_error(row, IMPORT_FIELDS.get(field_name, field_name or ""), message)

    # --- columns ---------------------------------------------------------------
    def find_header(self, sources):
        """(header row number, columns, remaining rows) of the first sheet with a row that
        maps a name column and a code, category or 子项名称 column; title rows above it
        are skipped."""
        table = header_table(self.department.region)
        for rows in sources:
            for number, values in rows:
                fields = {c.field for c in map_columns(values or (), table)}
                if "name" in fields and fields & {"code", "category", "sub_item_name"}:
                    # The clerk's corrections apply to the header row found, never make one.
                    return number, map_columns(values or (), table, self.mapping), rows
                if number >= HEADER_SEARCH_ROWS:
                    break
        return None, None, None

    def read(self, rows_or_file):
        """The data rows as (row number, {field: cell}); blank and example rows skipped."""
        sources = _sheets(rows_or_file)
        header_row, columns, rows = self.find_header(sources)
        result = self.result
        if header_row is None:
            result.add_error("", "", _("未找到表头行:须有一行包含事项(职权、权力)名称列,以及编码、类别或子项名称列。"
                                       "请使用下载的模板,或检查表头的写法。"))
            return []
        result.header_row, result.columns = header_row, columns
        by_field = {}
        for column in columns:
            if column.field and column.field not in IGNORED_FIELDS:
                by_field.setdefault(column.field, []).append(column.index)
        missing = [f for f in ("code", "name", "category") if f not in by_field]
        for name in missing:
            result.add_error(header_row, IMPORT_FIELDS[name],
                             _("缺少“%(header)s”列(可在预览页把某一列指定为该字段)。") % {"header": IMPORT_FIELDS[name]})
        if missing:
            return []
        self.fields = set(by_field)
        single = {f: ix[0] for f, ix in by_field.items() if len(ix) == 1}
        multiple = {f: ix for f, ix in by_field.items() if len(ix) > 1}
        samples = {}
        raw = []
        for number, values in rows:
            values = values or ()
            width = len(values)
            cells = {f: values[i] if i < width else None for f, i in single.items()}
            for f, indexes in multiple.items():
                parts = [clean_text(values[i]) for i in indexes if i < width and clean_text(values[i])]
                cells[f] = "\n".join(parts) or None
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
                continue  # blank row
            if clean_key(cells["code"]).startswith(EXAMPLE_PREFIX):
                continue  # the template's example row
            for column in columns:
                if column.index not in samples and column.index < width and values[column.index] not in (None, ""):
                    samples[column.index] = clean_text(values[column.index])[:40]
            raw.append((number, cells))
        for column in columns:
            column.sample = samples.get(column.index, "")
        return raw

    # --- rows into items ---------------------------------------------------------
    def items(self, raw):
        """Main items and sub-items from the rows, in file order (a main item before its
        sub-items)."""
        items, current = [], None
        for number, cells in raw:
            sub_name = clean_text(cells.get("sub_item_name"))
            if sub_name:
                code, name = clean_key(cells.get("code")), clean_text(cells.get("name"))
                repeated = current is not None and code == current.code and (not name or same_text(
                    name, current.cells.get("name")))
                if (code or name) and not repeated:
                    current = _Item(number, {f: cells.get(f) for f in MAIN_FIELDS if f in cells}, implicit=True,
                                    code=code)
                    items.append(current)
                elif current is None:
                    self.error(number, "sub_item_name", _("子项“%(name)s”上方没有主项:请在第一行子项所在行填写主项的编码和名称。")
                               % {"name": sub_name[:30]})
                    continue
                sub_cells = {f: v for f, v in cells.items() if f not in MAIN_FIELDS}
                sub_cells["name"] = sub_name
                sub = _Item(number, sub_cells, is_sub=True, main=current)
                sub.code = clean_key(cells.get("sub_item_code")) or f"{current.code}-{len(current.subs) + 1:02d}"
                current.subs.append(sub)
                items.append(sub)
            elif clean_key(cells.get("parent_code")):
                item = _Item(number, cells, is_sub=True, code=clean_key(cells.get("code")),
                             parent_code=clean_key(cells.get("parent_code")))
                items.append(item)
            else:
                current = _Item(number, cells, code=clean_key(cells.get("code")))
                items.append(current)
        for item in items:
            if item.implicit:
                self.lift_shared_cells(item)
        return items

    def lift_shared_cells(self, main):
        """A main item read off its sub-items' rows takes the cells merged over them (filled
        only on the first row, or equal on every row); its sub-items then inherit them."""
        names = {f for sub in main.subs for f in sub.cells if f != "name"}
        for name in names:
            texts = [clean_text(sub.cells.get(name)) for sub in main.subs]
            first = texts[0]
            if first and (all(t == first for t in texts) or not any(texts[1:])):
                main.cells[name] = main.subs[0].cells[name]
                for sub in main.subs:
                    sub.cells[name] = None

    # --- checking one item ---------------------------------------------------------
    def parse(self, item):
        """The item's values and lists; every fault of the row is reported."""
        cells, number, values = item.cells, item.number, item.values
        if not item.code:
            self.error(number, "code", _("请填写事项编码。"))
        name = "".join(clean_text(cells.get("name")).split("\n"))
        if not name:
            self.error(number, "sub_item_name" if item.main else "name", _("请填写事项名称。"))
        values["code"], values["name"] = item.code, name
        category_text = clean_key(cells.get("category"))
        category = self.categories.get(category_text) or self.categories.get(category_text.removeprefix("行政"))
        if not category_text and item.is_sub:
            category = None  # the main item's (check_parent)
        elif not category_text:
            self.error(number, "category", _("请填写职权类别。"))
        elif category is None:
            self.error(number, "category", _("无法识别的职权类别“%(value)s”,请填写模板“填写说明”中列出的类别。")
                       % {"value": clean_text(cells.get("category"))[:30]})
        values["category"] = category
        if "disposition" in self.fields:
            text = clean_key(cells.get("disposition"))
            values["disposition"] = DISPOSITIONS.get(text, Power.Disposition.RETAIN if not text else None)
            if values["disposition"] is None:
                self.error(number, "disposition", _("处理结果只能填“保留”“取消”或“调整”。"))
        values["division"] = self.parse_division(item)
        level = self.parse_level(item)
        if level is not None:
            values["exercise_level"] = level
        for name_ in ("statutory_limit_days", "promised_limit_days"):
            if name_ in self.fields:
                values[name_], message = parse_days(cells.get(name_))
                if message:
                    self.error(number, name_, message)
        for name_ in TEXT_FIELDS:
            if name_ in self.fields:
                values[name_] = clean_text(cells.get(name_))
        if "legal_bases" in self.fields:
            bases = item.lists["legal_bases"] = parse_legal_bases(cells.get("legal_bases"))
            for basis in bases:
                if len(basis["law_name"]) > 200 or len(basis["article"]) > 100:
                    self.error(number, "legal_bases", _("法律法规名称不得超过200字、条款不得超过100字:“%(law)s”。")
                               % {"law": basis["law_name"][:40]})
        if "responsibility_items" in self.fields:
            item.lists["responsibility_items"] = [
                {"stage": stage, "text": text} for stage, text in split_responsibility_text(
                    clean_text(cells.get("responsibility_items")))
            ]
        if "accountability_circumstances" in self.fields:
            item.lists["accountability_circumstances"] = [
                {"text": text} for text in split_circumstances(clean_text(cells.get("accountability_circumstances")))
            ]

    def parse_division(self, item):
        value = item.cells.get("division")
        text = clean_key(value)
        if not text:
            if item.is_sub:
                return None  # the main item's (check_parent)
            if self.default_division is None:
                self.error(item.number, "division", _("请填写内部负责机构。"))
            return self.default_division
        division = self.divisions.get(text)
        if division is None:
            self.error(item.number, "division", _("本部门没有名为“%(value)s”的处(科、室)。")
                       % {"value": clean_text(value)[:30]})
        return division

    def parse_level(self, item):
        """行使层级 (a label) or 审核转报 (是/否): the exercise level, or None to leave it."""
        level = None
        if "exercise_level" in self.fields:
            text = clean_key(item.cells.get("exercise_level"))
            level = EXERCISE_LEVELS.get(text) if text else Power.ExerciseLevel.DIRECT
            if level is None:
                self.error(item.number, "exercise_level", _("行使层级只能填“直接行使”“委托下放”或“审核转报”。"))
        if "forwarded" in self.fields:
            text = clean_key(item.cells.get("forwarded")).upper()
            if text in YES:
                level = Power.ExerciseLevel.FORWARDED
            elif text not in NO:
                self.error(item.number, "forwarded", _("审核转报只能填“是”或“否”。"))
            elif level is None:
                level = Power.ExerciseLevel.DIRECT
        return level

    def unchanged(self, item, power):
        for name_, value in item.values.items():
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
        if item.is_sub and (power.parent.code if power.parent_id else "") != self.parent_code_of(item):
            return False
        lists = item.lists
        if "legal_bases" in lists and not same_text(format_legal_bases(lists["legal_bases"]),
                                                    format_legal_bases(power.legal_bases.all())):
            return False
        if "responsibility_items" in lists and not same_text(
                join_responsibility_items([(i["stage"], i["text"]) for i in lists["responsibility_items"]]),
                join_responsibility_items(power.responsibility_items.all())):
            return False
        if "accountability_circumstances" in lists and not same_text(
                join_circumstances([c["text"] for c in lists["accountability_circumstances"]]),
                join_circumstances(power.accountability_circumstances.all())):
            return False
        return True

    def parent_code_of(self, item):
        return item.main.code if item.main is not None else item.parent_code

    def check(self, item):
        """Attach the existing power (or a new one) and run the model's rules; every
        fault is reported. Returns "unchanged", None (a fault) or the Power to save."""
        existing, number = item.power, item.number
        faults = self.result.error_count
        if item.is_sub:
            self.check_parent(item)
        if existing is not None:
            if existing.department_id != self.department.pk:
                self.error(number, "code", _("事项编码“%(code)s”已被本区划其他部门的事项使用。") % {"code": item.code})
                return None
            if self.result.error_count == faults and self.unchanged(item, existing):
                return "unchanged"
            decision = can_edit_item(self.user, existing)
            if not decision:
                if existing.state != ReviewState.DRAFT:
                    message = _("事项%(code)s已提交审核/已确认(当前状态:%(state)s),不能通过导入修改。") % {
                        "code": item.code, "state": existing.get_state_display()}
                else:
                    message = _("事项%(code)s属于其他处(科、室),不能通过导入修改。") % {"code": item.code}
                self.error(number, "code", message)
        division = item.values.get("division")
        if not clerk_reaches_division(self.user, division.pk if division else None):
            self.error(number, "division", _("只能导入本处(科、室)的事项。"))
        power = existing or self.new_power()
        cache = power._state.fields_cache
        for name_, value in item.values.items():
            if name_ in _RELATIONS:
                setattr(power, _RELATIONS[name_], value.pk if value is not None else None)
                cache[name_] = value
            else:
                setattr(power, name_, value)
        try:
            # Only what the file set: the rest is the existing row's, or the model's defaults.
            power.clean_fields(exclude=self.not_cleaned(item.values))
            power.clean()
        except ValidationError as exc:
            for name_, messages in exc.message_dict.items():
                for message in messages:
                    self.error(number, name_ if name_ in IMPORT_FIELDS else "", message)
        return power if self.result.error_count == faults else None

    def not_cleaned(self, values):
        """clean_fields' exclude for a row's values (every field but the cleanable ones the
        row set), as a set, computed once per combination of fields set."""
        key = frozenset(name_ for name_ in CLEANABLE if values.get(name_) is not None)
        exclude = self.excludes.get(key)
        if exclude is None:
            exclude = self.excludes[key] = _FIELD_NAMES - key
        return exclude

    def check_parent(self, item):
        parent_code = self.parent_code_of(item)
        main = item.main
        if main is None:
            parent = self.in_file.get(parent_code)
            if parent is not None and not parent.is_sub:
                item.main = main = parent
            elif parent is not None:
                self.error(item.number, "parent_code", _("“%(code)s”是子项,子项不能再有子项。") % {"code": parent_code})
                return
            else:
                item.parent = self.existing.get(parent_code)
                if item.parent is None or item.parent.department_id != self.department.pk:
                    self.error(item.number, "parent_code", _("找不到本部门编码为“%(code)s”的主项。") % {"code": parent_code})
                    return
                if item.parent.parent_id:
                    self.error(item.number, "parent_code", _("“%(code)s”是子项,子项不能再有子项。") % {"code": parent_code})
                    return
        if item.code and not (item.code.startswith(f"{parent_code}-") and len(item.code) > len(parent_code) + 1):
            self.error(item.number, "sub_item_code" if "sub_item_code" in self.fields else "code",
                       _("子项编码“%(code)s”须为主项编码加后缀,如“%(main)s-01”。") % {"code": item.code, "main": parent_code})
        main_values = main.values if main is not None else {"category": item.parent.category,
                                                            "division": item.parent.division}
        main_category = main_values.get("category")
        if item.values.get("category") is None:
            item.values["category"] = main_category
        elif main_category and item.values["category"] != main_category:
            self.error(item.number, "category", _("子项的职权类别必须与主项相同(%(category)s)。") % {"category": main_category})
        if item.values.get("division") is None:
            item.values["division"] = main_values.get("division") or self.default_division

    # --- the whole file ----------------------------------------------------------
    def run(self, rows_or_file, *, save):
        raw = self.read(rows_or_file)
        result = self.result
        result.total = len(raw)
        if result.ok and not raw:
            result.add_error("", "", _("文件中没有可导入的数据行(表头下方为空,或只有示例行)。"))
        if not result.ok:
            return result
        self.progress(0, result.total, _("正在检查数据…"))
        items = self.items(raw)
        codes = {i.code for i in items} | {i.parent_code for i in items}
        self.existing = self.existing_powers(codes - {""})
        seen, self.in_file = {}, {}
        for item in items:
            if item.code and item.code not in self.in_file:
                self.in_file[item.code] = item
        for item in items:
            self.parse(item)
        for done, item in enumerate(items, 1):
            duplicate = item.code in seen
            if duplicate:
                self.error(item.number, "code", _("事项编码“%(code)s”与第%(row)s行重复。") % {
                    "code": item.code, "row": seen[item.code]})
            elif item.code:
                seen[item.code] = item.number
            # A duplicate row is still checked, as new, to report its other mistakes.
            item.power = None if duplicate else self.existing.get(item.code)
            outcome = self.check(item)
            if outcome == "unchanged":
                result.unchanged += 1
            elif outcome is not None and not duplicate:
                item.new = outcome
            if done % PROGRESS_EVERY == 0:
                self.progress(done, result.total, _("正在检查数据…"))
        changed = [i for i in items if i.new is not None]
        self.count(changed)
        if not result.ok or not save:
            return result
        self.progress(result.total, result.total, _("检查通过,正在保存…"))
        self.save(changed)
        return result

    def count(self, changed):
        result = self.result
        for item in changed:
            if item.power is None:
                result.created += 1
                result.sub_items_created += item.is_sub
            else:
                result.updated += 1
                result.sub_items_updated += item.is_sub
            result.responsibility_items += sum(1 for i in item.lists.get("responsibility_items", ()) if i["text"])
            result.circumstances += len(item.lists.get("accountability_circumstances", ()))

    def existing_powers(self, codes):
        """{code: power} of the region's powers with these codes, lists prefetched: one
        query, plus one per list when any exists."""
        powers = (
            Power.objects.filter(AnyOf(F("code"), sorted(codes)), region_id=self.department.region_id)
            .select_related("region", "parent", "category", "division")
            .prefetch_related("legal_bases", "responsibility_items", "accountability_circumstances")
        )
        return {p.code: p for p in powers}

    def save(self, changed):
        fields = sorted({name for item in changed for name in item.values} | {"parent"})
        try:
            with transaction.atomic():
                if not (self.still_editable(changed) and self.codes_still_free(changed)
                        and self.lists_still_replaceable(changed)):
                    transaction.set_rollback(True)
                    self.result.created = self.result.updated = 0
                    return
                now = timezone.now()
                created = []
                # Main items first: their sub-items need their ids.
                for wave in ([i for i in changed if not i.is_sub], [i for i in changed if i.is_sub]):
                    for item in wave:
                        if item.is_sub:
                            item.new.parent = item.main.new if item.main is not None and item.main.new else (
                                item.main.power if item.main is not None else item.parent)
                        item.new.updated_at = now
                    updates = [i.new for i in wave if i.power is not None]
                    Power.objects.bulk_update(updates, [*fields, "updated_at"], batch_size=CHUNK)
                    news = [i.new for i in wave if i.power is None]
                    for power in news:
                        power.created_at = now
                    created += insert_returning_ids(Power, news)
                self.save_lists(changed)
                operation_record_append_events(
                    (RecordEvent(obj=power, actor=self.user, role=Role.CLERK, action=ReviewAction.CREATE,
                                 from_state="", to_state=ReviewState.DRAFT) for power in created),
                    insert=lambda entries: insert_rows(ReviewLogEntry, entries),
                )
        except IntegrityError:
            self.result.add_error("", "", _("保存时发现事项编码冲突(可能有人同时新增了相同编码的事项),未保存任何数据,请重新导入。"))
            self.result.created = self.result.updated = 0
            return
        self.result.saved = True

    def save_lists(self, changed):
        """Replace the lists of the mapped list columns. Rows are written as plain values,
        many per statement: tens of thousands of small rows, where building a model
        instance each cost more than the database (bench/results.md, import bench)."""
        updated = [i.new.pk for i in changed if i.power is not None]
        owners = [(i.new.pk, i.lists) for i in changed]
        columns = {
            "legal_bases": (LegalBasis, ("power_id", "order", "law_name", "article", "text"),
                            lambda row: (row["law_name"], row["article"], row["text"])),
            "responsibility_items": (ResponsibilityItem, ("power_id", "order", "stage", "text", "basis"),
                                     lambda row: (row["stage"], row["text"], "")),
            "accountability_circumstances": (AccountabilityCircumstance, ("power_id", "order", "text", "ground"),
                                             lambda row: (row["text"], "")),
        }
        for name in LIST_FIELDS:
            if name not in self.fields:
                continue
            model, names, values = columns[name]
            for start in range(0, len(updated), CHUNK):
                model.objects.filter(power_id__in=updated[start:start + CHUNK]).delete()
            insert_values(model, names, [(pk, n, *values(row))
                                         for pk, lists in owners for n, row in enumerate(lists.get(name, ()))])

    def still_editable(self, changed):
        """Under lock: nothing imported over was submitted while the file was checked."""
        updates = [i for i in changed if i.power is not None]
        ids = [i.power.pk for i in updates]
        states = dict(Power.objects.select_for_update().filter(AnyOf(F("pk"), ids)).values_list("pk", "state")
                      if ids else ())
        for item in updates:
            if states.get(item.power.pk) != ReviewState.DRAFT:
                self.error(item.number, "code", _("事项%(code)s已提交审核/已确认,不能通过导入修改。") % {"code": item.code})
        return self.result.ok

    def lists_still_replaceable(self, changed):
        """Under lock: no list an import replaces is cited by a record that protects its
        rows (an accountability record cites the circumstance it found, in supervision),
        found through the relations themselves, so powerlist names no later app. A row
        error names the item; before, the refused delete surfaced as a code conflict."""
        updates = {i.power.pk: i for i in changed if i.power is not None}
        for name in (n for n in LIST_FIELDS if n in self.fields and updates):
            model = Power._meta.get_field(name).related_model
            # include_hidden: the citing models' keys have no reverse accessor (related_name "+").
            for rel in model._meta.get_fields(include_hidden=True):
                if not (rel.auto_created and rel.is_relation and getattr(rel, "on_delete", None) is PROTECT):
                    continue
                path = f"{rel.field.name}__power_id"
                cited = set(rel.related_model._base_manager.filter(**{f"{path}__in": list(updates)})
                            .values_list(path, flat=True))
                for pk in sorted(cited):
                    self.error(updates[pk].number, name, _(
                        "事项%(code)s的%(list)s已被%(record)s引用,不能通过导入整体替换;请在事项页面逐条修改,"
                        "或从表格中删去该列后再导入。") % {
                        "code": updates[pk].code, "list": model._meta.verbose_name_plural,
                        "record": rel.related_model._meta.verbose_name})
        return self.result.ok

    def codes_still_free(self, changed):
        creates = [i for i in changed if i.power is None]
        codes = [i.code for i in creates]
        taken = set(Power.objects.filter(AnyOf(F("code"), codes), region_id=self.department.region_id)
                    .values_list("code", flat=True) if codes else ())
        for item in creates:
            if item.code in taken:
                self.error(item.number, "code", _("本区划内已有事项编码“%(code)s”。") % {"code": item.code})
        return self.result.ok


def require_clerk_of(user, department):
    """The department, when the user is a clerk of it; PermissionDenied with the reason otherwise."""
    decision = can_create_in(user, department) if department is not None else None
    if not decision:
        raise PermissionDenied(decision.reason if decision is not None else _("您的账号未分配部门。"))
    return department


def power_import(*, user, department, rows_or_file, progress=None, mapping=None, save=True):
    """Import the powers of `department` from a workbook, all or nothing.

    rows_or_file: a workbook (.xlsx, .xls or .ods: path, bytes or file object, read by
    workbook_read) or a list of
    rows (the header row first, title rows above it allowed), in the portal's template
    or a real list's layout (module docstring). `mapping` ({"column index": field or ""})
    corrects how columns were recognised. Every row is checked (categories,
    dispositions, divisions, exercise levels, time limits, legal bases, the model's
    rules, codes unique in the region and in the file, sub-item codes and main items,
    and that an existing power with the code is a draft of this department the user may
    edit), and every fault of a row is reported. With any fault nothing is saved and
    the result lists each with its Excel row and column header. Otherwise new codes
    become drafts (with a 'create' entry each in the operation record), existing drafts
    with the same code are updated (the lists of the mapped list columns replaced), and
    unchanged rows are left alone. save=False checks and counts only (the preview).
    `progress(done, total, message)` is called every few hundred rows.

    Raises PermissionDenied unless the user is a clerk of the department, and
    ValidationError when the file is not a workbook.
    """
    require_clerk_of(user, department)
    importer = _Importer(user=user, department=department, progress=progress, mapping=mapping)
    with _cyclic_gc_paused():
        return importer.run(rows_or_file, save=save)


@contextmanager
def _cyclic_gc_paused():
    """Python's cycle collector paused for the import, and resumed after it (also when it
    raises). An import keeps every row's item, values, lists and new powers alive until it
    saves: hundreds of thousands of objects, which each full collection walked again, and
    allocating them set off several (the 5,000-row bench: 0.25–0.45 CPU s of its ~1.2 s of
    Python, measured by toggling this; bench/results.md). Nothing is kept that reference
    counting would free: the items' cycles (a main item and its sub-items) wait for the
    next collection after the import."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_upload_create(*, user, upload):
    """Keep an uploaded workbook for its preview (nothing is imported yet). Raises
    PermissionDenied unless the user is a clerk of a department."""
    department = require_clerk_of(user, user.department)
    return ImportUpload.objects.create(user=user, department=department, file=upload, filename=upload.name[:200])


def import_upload_preview(*, user, upload, mapping=None):
    """Check the kept workbook with `mapping` (or the one last saved) without saving:
    the ImportResult of a dry run, with the columns as mapped. Stores the mapping."""
    if upload.user_id != user.pk:
        raise PermissionDenied(_("只能查看自己上传的文件。"))
    if mapping is not None:
        upload.mapping = mapping
    with upload.file.open("rb") as stream:
        result = power_import(user=user, department=upload.department, rows_or_file=stream,
                              mapping=upload.mapping, save=False)
    upload.checked = {"mapping": upload.mapping, "ok": result.ok,
                      "columns": [[c.index, c.header] for c in result.columns]}
    upload.save(update_fields=["mapping", "checked"])
    return result


def import_upload_columns(upload):
    """The columns of the kept workbook as its last dry run found them ([MappedColumn],
    without the fields), or None before the first one: enough to read a posted mapping
    without opening the file."""
    if not upload.checked:
        return None
    return [MappedColumn(index, header, "", "") for index, header in upload.checked.get("columns", ())]


def import_upload_passed(upload, mapping):
    """Whether the kept workbook's last dry run, with exactly `mapping`, found no fault.
    The file itself never changes (a new upload is a new ImportUpload), so the import
    may be queued without checking again: the job checks every row anyway, under lock."""
    checked = upload.checked or {}
    return bool(checked.get("ok")) and checked.get("mapping") == mapping == upload.mapping


def import_upload_cleanup(*, now=None):
    """Remove the uploads older than IMPORT_UPLOAD_RETENTION_DAYS (default 2): their files
    through Django storage (local disk or S3 alike), then their rows. A file a pending or
    running import job still reads (the job holds the same stored name) is left for the
    next run. Returns the number of uploads removed; a file already gone is no error."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IMPORT_UPLOAD_RETENTION_DAYS)
    busy = Job.objects.filter(kind="power_import", state__in=(Job.State.PENDING, Job.State.RUNNING))
    removed, after = 0, 0
    while True:
        batch = list(ImportUpload.objects.filter(created_at__lt=cutoff, pk__gt=after).order_by("pk")
                     .only("pk", "file")[:CHUNK])
        if not batch:
            return removed
        after = batch[-1].pk
        names = [u.file.name for u in batch if u.file]
        in_use = set(busy.filter(input_file__in=names).values_list("input_file", flat=True))
        done = [u for u in batch if u.file.name not in in_use]
        for upload in done:
            if upload.file:
                upload.file.delete(save=False)
        removed += ImportUpload.objects.filter(pk__in=[u.pk for u in done]).delete()[0]


def power_import_start(*, user, upload, mapping=None):
    """Queue the import of a workbook: creates the Job (kind "power_import") holding the
    file (an uploaded file, or the file of an ImportUpload) and `mapping`, and, once the
    transaction commits, the Celery task that runs power_import. Raises
    PermissionDenied unless the user is a clerk of a department."""
    if isinstance(upload, ImportUpload):
        if upload.user_id != user.pk:
            raise PermissionDenied(_("只能导入自己上传的文件。"))
        # Into the department the preview checked against, and only while the user is still its clerk.
        department = require_clerk_of(user, upload.department)
        mapping, filename, upload = upload.mapping if mapping is None else mapping, upload.filename, upload.file
    else:
        department = require_clerk_of(user, user.department)
        filename = upload.name
    return job_start(
        kind="power_import", user=user, task=POWER_IMPORT_TASK, input_file=upload, message=_("排队等待导入…"),
        params={"department": department.pk, "filename": filename[:200], "mapping": mapping or {}},
    )
