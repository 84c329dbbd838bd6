"""The built-in header synonyms of the import: the names real lists (权责清单) give each
column, by import field (columns.IMPORT_FIELDS). A data migration seeds them into
HeaderSynonym (region empty); a region adds its own in the admin. The portal's own
template headers (columns.COLUMNS) are always recognised and need no row here."""

from .columns import header_key

BUILTIN_SYNONYMS = {
    "code": ("职权编码", "权力编码", "事项编码", "编码", "职权代码", "权力代码", "事项代码", "主项编码"),
    "name": ("职权名称", "权力名称", "事项名称", "主项名称", "项目名称", "权力事项名称", "职权事项"),
    "sub_item_name": ("子项名称", "子项", "子项事项名称"),
    "sub_item_code": ("子项编码", "子项代码"),
    "parent_code": ("所属主项编码", "主项代码", "所属主项"),
    "category": ("职权类型", "权力类型", "事项类型", "职权类别", "权力类别", "事项类别", "类别", "类型"),
    "legal_bases": ("实施依据", "设定依据", "法律依据", "行使依据", "设定和实施依据", "依据"),
    "implementing_body": ("法定主体", "实施主体", "实施部门", "行使主体", "责任主体"),
    "responsibility_items": ("责任事项", "责任事项内容", "行使职责", "职责"),
    "accountability_circumstances": ("追责情形", "追责情形及依据", "责任追究", "问责情形"),
    "forwarded": ("审核转报", "是否审核转报", "审核转报是否"),
    "exercise_level": ("行使层级", "行使方式"),
    "division": ("内部负责机构", "承办机构", "责任处室", "承办处室", "内设机构"),
    "remarks": ("备注", "说明"),
    "serial": ("序号", "编号"),
    "statutory_limit_days": ("法定时限", "法定办结时限", "法定期限"),
    "promised_limit_days": ("承诺时限", "承诺办结时限", "承诺期限"),
    "fee_basis": ("收费依据", "收费标准及依据", "收费"),
    "conditions": ("办理条件", "申请条件", "受理条件"),
    "responsible_leader": ("主管领导", "分管领导"),
}

__all__ = ["BUILTIN_SYNONYMS", "header_key"]
