"""The public snapshot of a department's powers, built only from confirmed content in
force: PowerRevision data (sub-items resolved against their main item's revision in
force), FlowchartRevision data, confirmed risk points' countermeasures, discretion
benchmarks and the posts the confirmed flowchart names. A working copy is never read,
so a draft, a revision under review or a returned item cannot leak into a publication.
"""

import hashlib
import json

from django.utils import translation

from powerlist.catalogue.effective import effective_data
from powerlist.catalogue.models import Power
from powerlist.catalogue.responsibility import ResponsibilityStage
from powerlist.flowcharts.models import Flowchart
from powerlist.posts.models import Post
from powerlist.review.models import ReviewState
from riskpoints.models import DiscretionBenchmark, RiskPoint, Stage

from disclosure.register_selectors import retracted_power_ids, withheld_power_ids
from disclosure.search import search_tokens

PUBLIC_TEXT_FIELDS = (
    "disposition_reason", "responsible_leader", "staff_duties", "conditions", "statutory_limit_days",
    "promised_limit_days", "service_commitment", "work_discipline", "fee_basis", "remarks",
)


def published_powers_queryset(department):
    """The department's powers with a revision in force: the only ones ever published,
    less those the register withholds (a recorded non-disclosure) or the office retracted."""
    return (
        Power.objects.filter(department=department, in_force__isnull=False)
        .exclude(pk__in=withheld_power_ids()).exclude(pk__in=retracted_power_ids())
        .select_related("in_force", "in_force__category", "parent__in_force", "region", "department")
        .order_by("code")
    )


def _outline(content):
    """The flowchart as an ordered text outline: each step with its post, time limit,
    checkpoint and where it leads (the SVG's text equivalent)."""
    names = {s["key"]: s.get("name") or "" for s in content.get("steps", [])}
    outgoing = {}
    for t in content.get("transitions", []):
        outgoing.setdefault(t["source"], []).append({"to": names.get(t["target"], ""), "label": t.get("label") or ""})
    return [
        {
            "name": s.get("name") or "",
            "post": s.get("post") or "",
            "time_limit_days": s.get("time_limit_days"),
            "is_checkpoint": bool(s.get("is_checkpoint")),
            "checkpoint_note": s.get("checkpoint_note") or "",
            "handling_rules": s.get("handling_rules") or "",
            "counterpart_rights": s.get("counterpart_rights") or "",
            "is_final": bool(s.get("is_final")),
            "next": outgoing.get(s["key"], []),
        }
        for s in content.get("steps", [])
    ]


def _flowcharts(department, power_ids):
    """{power_id: revision data} of the confirmed power flowcharts, and {category_id:
    revision data} of the department's confirmed category flowcharts."""
    charts = Flowchart.objects.filter(department=department, in_force__isnull=False).select_related("in_force")
    by_power, by_category = {}, {}
    for chart in charts:
        if chart.kind == Flowchart.Kind.POWER and chart.power_id in power_ids:
            by_power[chart.power_id] = (chart, chart.in_force)
        elif chart.kind == Flowchart.Kind.CATEGORY:
            by_category[chart.category_id] = (chart, chart.in_force)
    return by_power, by_category


def _measures(power_ids):
    stage_labels = dict(Stage.choices)
    points = (
        RiskPoint.objects.filter(power_id__in=power_ids, state=ReviewState.CONFIRMED)
        .prefetch_related("countermeasures").order_by("power_id", "number")
    )
    result = {}
    for point in points:
        for m in point.countermeasures.all():
            result.setdefault(point.power_id, []).append({
                "stage": str(stage_labels.get(point.stage, point.stage)),
                "kind": m.get_kind_display(), "text": m.text, "responsible_unit": m.responsible_unit,
                "state": m.get_state_display(),
                "in_force_since": m.in_force_since.isoformat() if m.in_force_since else "",
            })
    return result


def _benchmarks(power_ids):
    result = {}
    for b in DiscretionBenchmark.objects.filter(power_id__in=power_ids).prefetch_related("rows"):
        result.setdefault(b.power_id, []).append({
            "title": b.title, "unit": b.get_unit_display(), "statutory_text": b.statutory_text,
            "rows": [
                {"violation": r.violation, "grade": r.get_grade_display(), "circumstances": r.circumstances,
                 "measure_text": r.measure_text, "penalty_basis": r.penalty_basis}
                for r in b.rows.all()
            ],
        })
    return result


def _posts(department, post_ids, extra):
    ids = set(post_ids) | {pid for ids in extra.values() for pid in ids}
    return {p.pk: {"name": p.name, "duties": p.duties, "qualifications": p.qualifications}
            for p in Post.objects.filter(department=department, pk__in=ids)}


def _stage_label(code):
    try:
        return str(ResponsibilityStage(code).label)
    except ValueError:
        return code


def department_snapshots(department) -> list:
    """[(power, data)] for every power of `department` in force, `data` being the public
    snapshot (plain JSON). A fixed number of queries, whatever the number of powers."""
    with translation.override("zh-hans"):
        return _department_snapshots(department)


def _department_snapshots(department):
    powers = list(published_powers_queryset(department))
    ids = [p.pk for p in powers]
    by_power, by_category = _flowcharts(department, set(ids))
    measures, benchmarks = _measures(ids), _benchmarks(ids)
    extra = {}
    for power_id, post_id in Post.extra_powers.through.objects.filter(power_id__in=ids).values_list(
            "power_id", "post_id"):
        extra.setdefault(power_id, []).append(post_id)
    step_posts = [
        s.get("post_id") for _chart, rev in [*by_power.values(), *by_category.values()]
        for s in rev.data["content"].get("steps", []) if s.get("post_id")
    ]
    posts = _posts(department, step_posts, extra)
    subs = {}
    for p in powers:
        if p.parent_id:
            subs.setdefault(p.parent_id, []).append({"code": p.in_force.data.get("code", p.code), "name": p.in_force.name})
    result = []
    for power in powers:
        revision = power.in_force
        main = power.parent.in_force.data if power.parent_id and power.parent.in_force_id else None
        own = effective_data(revision.data, main)
        chart = by_power.get(power.pk) or by_category.get(revision.category_id)
        flowchart = None
        chart_post_ids = []
        if chart is not None:
            chart_obj, chart_rev = chart
            content = chart_rev.data["content"]
            chart_post_ids = [s.get("post_id") for s in content.get("steps", []) if s.get("post_id")]
            flowchart = {
                "title": content.get("title") or chart_obj.title,
                "kind": chart_obj.kind,
                "revision": chart_rev.number,
                "confirmed_at": chart_rev.confirmed_at.isoformat(),
                "svg": chart_rev.data.get("svg", ""),
                "outline": _outline(content),
            }
        post_ids = list(dict.fromkeys([*chart_post_ids, *extra.get(power.pk, [])]))
        channels = []
        if chart is not None:
            for s in chart[1].data["content"].get("steps", []):
                text = (s.get("complaint_channels") or "").strip()
                if text and text not in channels:
                    channels.append(text)
        data = {
            "region_code": power.region.code,
            "region": power.region.name,
            "level": power.region.level,
            "department": power.department.name,
            "division": own.get("division", ""),
            "code": own.get("code") or power.code,
            "name": revision.name,
            "parent_code": own.get("parent_code", ""),
            "category": revision.category.name,
            "category_code": revision.category.code,
            "disposition": revision.disposition,
            "disposition_label": str(Power.Disposition(revision.disposition).label),
            "exercise_level": str(Power.ExerciseLevel(own["exercise_level"]).label) if own.get("exercise_level") else "",
            "revision": revision.number,
            "confirmed_at": revision.confirmed_at.isoformat(),
            **{name: own.get(name) for name in PUBLIC_TEXT_FIELDS},
            "inherited": own.get("inherited", []),
            "legal_bases": own.get("legal_bases", []),
            "responsibility_items": [
                {**item, "stage_label": _stage_label(item.get("stage"))} for item in own.get("responsibility_items", [])
            ],
            "accountability_circumstances": own.get("accountability_circumstances", []),
            "sub_items": subs.get(power.pk, []),
            "flowchart": flowchart,
            "posts": [posts[pid] for pid in post_ids if pid in posts],
            "measures": measures.get(power.pk, []),
            "benchmarks": benchmarks.get(power.pk, []),
            "complaint_channels": channels,
        }
        result.append((power, data))
    return result


def snapshot_digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def snapshot_search(data) -> tuple:
    """(search_text, token text) of a snapshot: the plain text LIKE and highlighting read,
    and the name | code | body tokens of the stored vector."""
    body = " ".join(filter(None, [
        data["category"], data["department"], data["region"], data.get("conditions") or "",
        data.get("service_commitment") or "", data.get("fee_basis") or "", data.get("disposition_reason") or "",
        " ".join(f"{b.get('law_name', '')}{b.get('article', '')}" for b in data["legal_bases"]),
        " ".join(i.get("text", "") for i in data["responsibility_items"]),
    ]))
    text = f"{data['name']} {data['code']} {body}"
    return text, search_tokens(name=data["name"], code=data["code"], body=body)
