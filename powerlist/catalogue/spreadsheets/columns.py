"""The power template's columns and the normalisation of what clerks type into them.

Real workbooks carry full-width digits and letters (２０, ＡＢ), stray spaces, numbers
stored as floats and category names with or without the 行政 prefix; the helpers
here turn a cell into the value the model wants, or a Chinese error message.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # Power field, or "legal_bases"
    help: str
    width: int = 18
    required: bool = False


COLUMNS = (
    Column("事项编码", "code", gettext_lazy("必填。本区划内唯一,如 210000-FG-XK-001;再次导入同一编码会更新该草稿。"),
           20, True),
    Column("事项名称", "name", gettext_lazy("必填。"), 30, True),
    Column("所属主项编码", "parent_code",
           gettext_lazy("子项填写所属主项的编码(主项可在同一文件中,也可已在系统中);子项编码须为主项编码加后缀,如 -01。主项不填。"),
           20),
    Column("职权类别", "category", gettext_lazy("必填。填类别名称,可带或不带“行政”二字,如“行政许可”或“许可”。"),
           12, True),
    Column("处理结果", "disposition", gettext_lazy("保留、取消或调整;不填视为保留。")),
    Column("处理理由", "disposition_reason", gettext_lazy("取消或调整的事项必填。"), 24),
    Column("行使层级", "exercise_level", gettext_lazy("直接行使、委托下放或审核转报;不填视为直接行使。"), 12),
    Column("行使依据", "legal_bases",
           gettext_lazy("每条依据一行(单元格内按 Alt+Enter 换行),格式:《法律法规名称》第X条 条文内容。"), 50),
    Column("内部负责机构", "division", gettext_lazy("本部门的处(科、室)名称;经办人属于某处室时只能填本处室,不填即为本处室。"),
           16),
    Column("主管领导", "responsible_leader", gettext_lazy("选填。"), 12),
    Column("人员职责分工", "staff_duties", gettext_lazy("选填。"), 30),
    Column("责任事项", "responsibility_items",
           gettext_lazy("按环节编号填写,每项一行,如“1.受理责任:……”“2.审查责任:……”;没有编号的内容作为“其他责任”。"
                        "子项不填则沿用主项。"), 40),
    Column("办理条件", "conditions", gettext_lazy("选填。"), 30),
    Column("法定时限(工作日)", "statutory_limit_days", gettext_lazy("整数,单位工作日,如 20;无法定时限可不填。"), 12),
    Column("承诺时限(工作日)", "promised_limit_days", gettext_lazy("整数,单位工作日,不得超过法定时限。"), 12),
    Column("服务承诺", "service_commitment", gettext_lazy("选填。"), 24),
    Column("工作纪律", "work_discipline", gettext_lazy("选填。"), 24),
    Column("追责情形", "accountability_circumstances",
           gettext_lazy("每种情形一行,可带编号“1.……”;子项不填则沿用主项。"), 40),
    Column("收费依据", "fee_basis", gettext_lazy("选填;不收费可填“不收费”。"), 20),
    Column("备注", "remarks", gettext_lazy("选填。"), 20),
)
# Columns the export adds after the template's for the reader; the import ignores them.
INFO_HEADERS = ("实施部门", "审核状态")
HEADERS = tuple(c.header for c in COLUMNS)
TEXT_FIELDS = (
    "disposition_reason", "responsible_leader", "staff_duties", "conditions",
    "service_commitment", "work_discipline", "fee_basis", "remarks",
)
# Every field a column can be mapped to (the preview's select), with its label: the
# template's columns plus what real lists (权责清单) carry besides.
IMPORT_FIELDS = {
    **{c.field: c.header for c in COLUMNS},
    "sub_item_name": "子项名称",
    "sub_item_code": "子项编码",
    "forwarded": "审核转报(是/否)",
    "implementing_body": "实施主体(仅供核对,不导入)",
    "serial": "序号(不导入)",
}
# Fields read from a row but not stored.
IGNORED_FIELDS = ("implementing_body", "serial")
# Rows whose code starts with this are the template's example and are not imported.
EXAMPLE_PREFIX = "示例"

# Full-width ASCII digits and letters, the ideographic space and no-break spaces.
# Chinese punctuation (,。;:《》) stays as typed: it is correct in Chinese prose.
_WIDTH_MAP = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_WIDTH_MAP.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x200B: "", 0xFEFF: ""})
_NEEDS_MAP = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _WIDTH_MAP) + "]")


def clean_text(value) -> str:
    """A prose cell: full-width digits and letters made ASCII, surrounding spaces gone,
    line ends unified; Chinese punctuation kept."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    # translate() looks every character up; most cells have nothing to map.
    if _NEEDS_MAP.search(text):
        text = text.translate(_WIDTH_MAP)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        return text.strip()
    return "\n".join([line.strip() for line in text.strip().split("\n")])


_SPACES = re.compile(r"\s+")


def clean_key(value) -> str:
    """A code, a name to look up or a header: NFKC (every full-width form), no spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(value)))


def header_key(value) -> str:
    """Headers match without spaces, brackets' width or the (工作日) suffix."""
    return re.sub(r"\(.*?\)", "", clean_key(value))


def same_text(a, b) -> bool:
    """Equal once normalised and whitespace-collapsed (for "row unchanged")."""
    def norm(v):
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", clean_text(v))).strip()

    return norm(a) == norm(b)


def parse_days(value):
    """(days, error): blank -> None; 20, 20.0, "２０", "20个工作日", "20日" -> 20."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("须为整数(工作日)。")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and value >= 0:
            return int(value), None
        return None, _("须为不小于0的整数(工作日)。")
    match = re.fullmatch(r"(\d+)(?:\.0+)?(?:个)?(?:工作日|日|天)?", clean_key(value))
    if not match:
        return None, _("“%(value)s”不是整数(工作日)。") % {"value": clean_text(value)[:30]}
    return int(match.group(1)), None


_NUM = "0-9一二三四五六七八九十百千零〇两"
_ARTICLE = re.compile(
    rf"第[{_NUM}]+条(?:之[{_NUM}]+)?(?:第[{_NUM}]+款)?(?:第[(\uff08]?[{_NUM}]+[)\uff09]?项)?"
)
_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[.、)]\s*")


def parse_legal_bases(value):
    """One legal basis per line: "《法名》第X条[第Y款] 条文" -> [{law_name, article, text}].

    A line that starts neither with 《 nor with a law name followed by an article
    continues the previous basis's text. Leading numbering ("1." "一、") is dropped.
    """
    bases = []
    for raw in clean_text(value).split("\n"):
        line = _NUMBERING.sub("", raw.strip()).strip()
        if not line:
            continue
        if line.startswith("《") and "》" in line:
            end = line.index("》") + 1
            law, rest = line[:end], line[end:].strip()
        else:
            match = _ARTICLE.search(line)
            if bases and (not match or match.start() == 0):
                bases[-1]["text"] = f"{bases[-1]['text']}\n{line}".strip()
                continue
            law, rest = (line[: match.start()], line[match.start():]) if match else (line, "")
        article = ""
        match = _ARTICLE.match(rest)
        if match:
            article, rest = match.group(0), rest[match.end():]
        bases.append({"law_name": law.strip(), "article": article,
                      "text": rest.strip().lstrip(":,,:").strip()})
    return bases


def format_legal_bases(bases) -> str:
    """The cell text for legal bases, the inverse of parse_legal_bases."""
    lines = []
    for b in bases:
        text = " ".join((b.text if hasattr(b, "text") else b["text"]).split())
        law = b.law_name if hasattr(b, "law_name") else b["law_name"]
        article = b.article if hasattr(b, "article") else b["article"]
        lines.append(f"{law}{article} {text}".strip())
    return "\n".join(lines)
