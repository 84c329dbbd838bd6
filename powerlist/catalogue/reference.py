"""Reference data every installation starts with (loaded by a data migration)."""

# (code, name, short name, order): the categories the seed names, plus 行政检查
# which later national lists use.
CATEGORIES = (
    ("XK", "行政许可", "许可", 10),
    ("SP", "行政审批", "审批", 20),
    ("CF", "行政处罚", "处罚", 30),
    ("QZ", "行政强制", "强制", 40),
    ("ZS", "行政征收", "征收", 50),
    ("JF", "行政给付", "给付", 60),
    ("JL", "行政奖励", "奖励", 70),
    ("QR", "行政确认", "确认", 80),
    ("CJ", "行政裁决", "裁决", 90),
    ("JC", "行政检查", "检查", 100),
    ("ZD", "内部重大事项决定", "重大事项", 110),
    ("QT", "其他权力", "其他", 120),
)

CATEGORY_DESCRIPTIONS = {
    "ZD": "重大项目、资金分配、资产处置、人事任免",
    "QT": "“三定”规定赋予的其他行政权力",
}


def ensure_categories(Category):
    """Create the reference categories that are missing; never overwrite edits."""
    for code, name, short, order in CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "short_name": short, "order": order,
                      "description": CATEGORY_DESCRIPTIONS.get(code, "")},
        )
