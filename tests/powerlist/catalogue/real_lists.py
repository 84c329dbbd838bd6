"""Workbooks laid out like the power-and-responsibility lists (权责清单) departments keep:
a merged title row, 序号 / 职权编码 / 职权名称 / 子项名称 / 职权类型 / 实施依据 / 实施主体 /
责任事项 / 追责情形 / 审核转报(是/否) / 备注, main items whose cells are merged over their
sub-items' rows, numbered multi-line responsibility cells."""

import io

from openpyxl import Workbook

HEADERS = ("序号", "职权编码", "职权名称", "子项名称", "职权类型", "实施依据", "实施主体", "责任事项", "追责情形",
           "审核转报(是/否)", "备注")
LICENCE_DUTIES = ("1.受理责任:公示应当提交的材料,一次性告知补正材料,依法受理或不予受理。\n"
                  "2.审查责任:对申请材料进行审查,提出审查意见。\n"
                  "3.决定责任:作出准予或不予核准的决定,不予核准的说明理由。\n"
                  "4.送达责任:送达核准文件,依法公开。\n"
                  "5.事后监管责任:对项目实施情况进行监督检查。")
LICENCE_CASES = ("因不履行或不正确履行行政职责,有下列情形的,依法追究责任:\n"
                 "1.对符合条件的申请不予受理的;\n2.不在法定期限内作出决定的;\n3.索取或者收受他人财物的。")
PENALTY_DUTIES = ("1.立案责任:发现违法线索后及时审查,决定是否立案。2.调查取证责任:两名以上执法人员调查取证。"
                  "3.审理责任:审理案件事实和证据。4.告知责任:告知当事人陈述申辩权利。5.决定责任:作出处罚决定。"
                  "6.送达责任:送达处罚决定书。7.执行责任:监督执行。8.其他责任:法律法规规定的其他责任。")
BASIS_NODE = "《企业投资项目核准和备案管理条例》第三条"
BASIS_ENERGY = "《中华人民共和国节约能源法》第十五条"


def real_list(rows, *, title="辽宁省发展和改革委员会权责清单", merges=(), headers=HEADERS):
    """The workbook as bytes: row 1 the title merged over every column, row 2 the headers,
    then `rows` (lists in header order); `merges` are (first row, last row, column) of
    data rows (1 = the first data row) merged vertically, as Excel and WPS store them
    (the value only in the first cell)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for first, last, column in merges:
        sheet.merge_cells(start_row=first + 2, start_column=column, end_row=last + 2, end_column=column)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def department_list():
    """department_rows() as an .xlsx (real_list)."""
    rows, merges = department_rows()
    return real_list(rows, merges=merges)


def department_rows():
    """(rows, merges): two main items with sub-items (merged cells), one without: 6 data rows.

    1 企业投资项目核准 (XK-001): sub-items 新建 / 改扩建; basis, duties and cases merged (shared).
    2 节能审查 (SP-003): sub-items with their own basis each; duties merged.
    3 价格违法处罚 (CF-004): one row, 审核转报 是.
    """
    rows = [
        [1, "210000-FG-XK-001", "企业投资项目核准", "企业投资项目核准(新建项目)", "行政许可", BASIS_NODE,
         "省发展改革委", LICENCE_DUTIES, LICENCE_CASES, "否", None],
        [None, None, None, "企业投资项目核准(改扩建项目)", None, None, None, None, None, None, "含技术改造"],
        [2, "210000-FG-SP-003", "固定资产投资项目节能审查", "年综合能耗5000吨标准煤以上项目", "行政审批", BASIS_ENERGY,
         "省发展改革委", LICENCE_DUTIES, None, "否", None],
        [None, None, None, "年综合能耗1000至5000吨标准煤项目", None, "《固定资产投资项目节能审查办法》第五条",
         None, None, None, None, None],
        [None, None, None, "年综合能耗不满1000吨标准煤项目", None, "《固定资产投资项目节能审查办法》第六条",
         None, None, None, None, None],
        [3, "210000-FG-CF-004", "对经营者不执行政府定价的处罚", None, "行政处罚", "《中华人民共和国价格法》第三十九条",
         "省发展改革委", PENALTY_DUTIES, "1.没有法定依据实施处罚的;\n2.擅自改变处罚种类、幅度的。", "是", None],
    ]
    # Columns: 1 序号, 2 编码, 3 名称, 5 类型, 6 依据, 7 主体, 8 责任, 9 追责, 10 转报.
    merges = [(1, 2, c) for c in (1, 2, 3, 5, 6, 7, 8, 9, 10)] + [(3, 5, c) for c in (1, 2, 3, 5, 7, 8, 10)]
    return rows, merges
