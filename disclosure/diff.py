"""Differences between two public snapshots of a power, field by field, in plain words."""

from django.utils.translation import gettext_lazy as _

def _plain(value):
    return "" if value is None else str(value)


def _bases(value):
    return "\n".join(f"{b.get('law_name', '')}{b.get('article', '')} {b.get('text', '')}".strip() for b in value or [])


def _items(value):
    return "\n".join(f"{i.get('stage_label', i.get('stage', ''))}:{i.get('text', '')}" for i in value or [])


def _circumstances(value):
    return "\n".join(f"{c.get('text', '')}{'(' + c['ground'] + ')' if c.get('ground') else ''}" for c in value or [])


def _subs(value):
    return "\n".join(f"{s['code']} {s['name']}" for s in value or [])


def _outline(value):
    if not value:
        return ""
    return "\n".join(
        f"{n}. {s['name']}" + (f"({s['post']})" if s.get("post") else "")
        + (f" {s['time_limit_days']}个工作日" if s.get("time_limit_days") else "")
        for n, s in enumerate(value.get("outline", []), start=1)
    )


def _posts(value):
    return "\n".join(f"{p['name']}:{p.get('duties', '')}" for p in value or [])


def _measures(value):
    return "\n".join(f"{m['stage']}·{m['kind']}:{m['text']}" for m in value or [])


def _benchmarks(value):
    return "\n".join(
        f"{b['title']}:" + ";".join(f"{r['violation']}·{r['grade']}:{r['measure_text']}" for r in b.get("rows", []))
        for b in value or []
    )


def _lines(value):
    return "\n".join(value or [])


# (key, label, how the value reads as text)
FIELDS = (
    ("name", _("事项名称"), _plain),
    ("code", _("事项编码"), _plain),
    ("category", _("职权类别"), _plain),
    ("disposition_label", _("处理结果"), _plain),
    ("disposition_reason", _("处理理由"), _plain),
    ("exercise_level", _("行使层级"), _plain),
    ("division", _("内部负责机构"), _plain),
    ("responsible_leader", _("主管领导"), _plain),
    ("staff_duties", _("人员职责分工"), _plain),
    ("legal_bases", _("行使依据"), _bases),
    ("conditions", _("办理条件"), _plain),
    ("statutory_limit_days", _("法定时限(工作日)"), _plain),
    ("promised_limit_days", _("承诺时限(工作日)"), _plain),
    ("fee_basis", _("收费依据"), _plain),
    ("service_commitment", _("服务承诺"), _plain),
    ("work_discipline", _("工作纪律"), _plain),
    ("responsibility_items", _("责任事项"), _items),
    ("accountability_circumstances", _("追责情形"), _circumstances),
    ("sub_items", _("子项"), _subs),
    ("flowchart", _("运行流程"), _outline),
    ("posts", _("岗位"), _posts),
    ("measures", _("廉政风险防范措施"), _measures),
    ("benchmarks", _("自由裁量基准"), _benchmarks),
    ("complaint_channels", _("投诉举报途径"), _lines),
    ("remarks", _("备注"), _plain),
)


def snapshot_diff(old: dict, new: dict) -> list:
    """[{"label", "old", "new"}] for every public field whose text differs."""
    changes = []
    for key, label, text in FIELDS:
        before, after = text(old.get(key)), text(new.get(key))
        if before != after:
            changes.append({"label": str(label), "old": before, "new": after})
    return changes


def snapshot_rows(data: dict) -> list:
    """[{"label", "text"}] of every public field, for a side-by-side comparison."""
    return [{"key": key, "label": str(label), "text": text(data.get(key))} for key, label, text in FIELDS]
