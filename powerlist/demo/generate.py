"""A synthetic province for scale tests and benchmarks (`manage.py generate_province`).

The shape follows DOMAIN.md: 14 cities, about 100 counties, some 40 departments per
region, each with divisions, a clerk and a department reviewer; each region has its
four offices with an office reviewer, an establishment confirmer and a legal
confirmer. N powers are spread over the ordinary departments with names composed
from real item vocabulary, one or two legal bases each, and states along the review
chain; confirmed powers carry the PowerRevision in force. Small N shrinks the shape
(fewer cities, counties and departments) so that test runs stay fast.

Everything is drawn from `random.Random(seed)` and a fixed base time, so a seed
always gives the same content. The organisation is written with bulk_create; the
powers, legal bases, revisions and review-log entries with PostgreSQL COPY (or
bulk_create on other databases), in batches, with primary keys allocated here so
that powers and their revisions can point at each other.

Operation record: each generated power gets one 'create' entry by its department's clerk,
hash-chained per region after each chain's head (so `verify_operation_record` passes);
its later history (submissions, approvals) is not invented. Pass `log=False` to
skip even that.

Run it on an otherwise idle database: ids are allocated from the current maximum.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from powerlist.catalogue.models import Category, LegalBasis, Power, PowerRevision
from powerlist.catalogue.reference import ensure_categories
from powerlist.catalogue.services import CONTENT_FIELDS
from powerlist.demo.vocabulary import (
    CITY_NAMES,
    COUNTY_FIRST,
    COUNTY_SECOND,
    DEPARTMENTS,
    DIVISIONS,
    LAWS,
    OFFICES,
    STATE_SHARES,
    VOCABULARY,
)
from powerlist.org.models import Department, Division, Region, RoleAssignment, User
from powerlist.org.roles import Role
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.record import RecordEvent, operation_record_append_events
from powerlist.review.record_models import ReviewLogEntry

DEFAULT_PASSWORD = "generated-2026"
DEFAULT_REGION_CODE = "990000"
BASE_TIME = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Shape:
    cities: int
    counties: int
    departments_per_region: int


def shape_for(powers: int) -> Shape:
    """The full province from 100,000 powers up; smaller runs get a smaller province."""
    cities = max(1, min(14, round(14 * powers / 100_000)))
    counties = max(cities, min(100, round(100 * powers / 100_000)))
    departments = max(3, min(len(DEPARTMENTS), round(powers / 2_500)))
    return Shape(cities, counties, departments)


@dataclass
class Stats:
    regions: int = 0
    departments: int = 0
    users: int = 0
    powers: int = 0
    legal_bases: int = 0
    revisions: int = 0
    log_entries: int = 0
    by_state: dict = field(default_factory=dict)


def _local_name(name, level):
    return name if level == Region.Level.PROVINCE else name.replace("厅", "局")


def _division_name(name, level):
    suffix = {Region.Level.PROVINCE: "处", Region.Level.CITY: "科", Region.Level.COUNTY: "股"}[level]
    return name if name == "办公室" else name[:-1] + suffix


class _Writer:
    """Inserts rows (dicts keyed by attname) with COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self):
        self.copy = connection.vendor == "postgresql"

    def insert(self, model, rows):
        if not rows:
            return
        if not self.copy:
            model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
            return
        attnames = list(rows[0])
        fields = {f.attname: f for f in model._meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(fields[a].column) for a in attnames)
        json_attnames = {a for a in attnames if fields[a].get_internal_type() == "JSONField"}
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [json.dumps(row[a], ensure_ascii=False) if a in json_attnames and row[a] is not None
                         else row[a] for a in attnames]
                    )

    def analyze(self, models):
        """Fresh planner statistics: without them the first list queries after a bulk
        load pick plans for an empty table."""
        if not self.copy:
            return
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    def reset_sequences(self, models):
        if not self.copy:
            return
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def _next_id(model):
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def generate_province(*, powers, seed=0, password=DEFAULT_PASSWORD, region_code=DEFAULT_REGION_CODE,
                      batch_size=5000, log=True, progress=None):
    """Create the synthetic province with `powers` powers. Returns Stats.

    Raises ValueError when the province's region code is taken (generate into an
    empty database, or choose another --region-code). `progress(message)` is called
    after each batch.
    """
    if Region.objects.filter(code=region_code).exists():
        raise ValueError(f"region {region_code} already exists; generate into an empty database")
    if len(region_code) != 6 or not region_code.isdigit() or not region_code.endswith("0000"):
        raise ValueError("region code must be six digits ending in 0000, such as 990000")
    progress = progress or (lambda message: None)
    rng = random.Random(seed)
    shape = shape_for(powers)
    stats = Stats()
    writer = _Writer()
    with transaction.atomic():
        ensure_categories(Category)
        org = _generate_organisation(rng, shape, region_code, password, stats)
        progress(f"organisation: {stats.regions} regions, {stats.departments} departments, {stats.users} users")
        created = _generate_powers(rng, org, powers, batch_size, writer, stats, progress)
        if log:
            _generate_log(created, writer, stats, batch_size, progress)
        writer.reset_sequences([Power, PowerRevision, LegalBasis, ReviewLogEntry])
    writer.analyze([Power, PowerRevision, LegalBasis, ReviewLogEntry, User, Department, Division])
    return stats


@dataclass
class _Org:
    # (department, [divisions], clerk) for every ordinary department, in creation order
    units: list
    province: Region


def _generate_organisation(rng, shape, region_code, password, stats):
    prefix = region_code[:2]
    province = Region(code=region_code, name="模拟省", level=Region.Level.PROVINCE, path=f"{region_code}/")
    province.save()
    regions = [province]
    cities = []
    for i in range(shape.cities):
        code = f"{prefix}{i + 1:02d}00"
        cities.append(Region(code=code, name=f"{CITY_NAMES[i]}市", level=Region.Level.CITY, parent=province,
                             path=f"{province.path}{code}/"))
    Region.objects.bulk_create(cities)
    regions += cities
    counties = []
    for i in range(shape.counties):
        city = cities[i % len(cities)]
        number = i // len(cities) + 1
        name = f"{COUNTY_FIRST[i % len(COUNTY_FIRST)]}{COUNTY_SECOND[(i // len(COUNTY_FIRST)) % len(COUNTY_SECOND)]}县"
        counties.append(Region(code=f"{city.code[:4]}{number:02d}", name=name, level=Region.Level.COUNTY,
                               parent=city, path=f"{city.path}{city.code[:4]}{number:02d}/"))
    Region.objects.bulk_create(counties)
    regions += counties
    stats.regions = len(regions)

    departments = []
    for region in regions:
        for order, name in enumerate(DEPARTMENTS[: shape.departments_per_region]):
            departments.append(Department(region=region, name=_local_name(name, region.level), order=order,
                                          is_pilot=order < 11))
        for i, (name, kind) in enumerate(OFFICES):
            departments.append(Department(region=region, name=name, kind=kind, order=900 + i))
    Department.objects.bulk_create(departments, batch_size=2000)
    stats.departments = len(departments)
    ordinary = [d for d in departments if d.kind == Department.Kind.ORDINARY]
    divisions = [
        Division(department=d, name=_division_name(name, d.region.level), order=i)
        for d in ordinary for i, name in enumerate(DIVISIONS)
    ]
    Division.objects.bulk_create(divisions, batch_size=5000)
    divisions_by_department = {}
    for division in divisions:
        divisions_by_department.setdefault(division.department_id, []).append(division)

    # One hash for all generated accounts: hashing ten thousand passwords would take
    # most of an hour and the accounts are for benchmarks only.
    encoded = make_password(password) if password else make_password(None)
    users, roles = [], []

    def add_user(username, display_name, department, division, role):
        users.append(User(username=username, display_name=display_name, department=department,
                          division=division, password=encoded, date_joined=BASE_TIME))
        roles.append(role)

    units = []
    for department in departments:
        region_code_ = department.region.code
        if department.kind == Department.Kind.ORDINARY:
            own = divisions_by_department[department.id]
            stem = f"g{region_code_}-d{department.order + 1:02d}"
            add_user(f"{stem}-clerk", f"{department.name}经办人", department, own[2], Role.CLERK)
            clerk = users[-1]
            add_user(f"{stem}-reviewer", f"{department.name}审核人", department, None, Role.DEPARTMENT_REVIEWER)
            units.append((department, own, clerk))
        elif department.kind == Department.Kind.LEADING_GROUP_OFFICE:
            add_user(f"g{region_code_}-office", f"{department.region.name}办公室审核人", department, None,
                     Role.OFFICE_REVIEWER)
        elif department.kind == Department.Kind.ESTABLISHMENT_OFFICE:
            add_user(f"g{region_code_}-establishment", f"{department.region.name}编委办", department, None,
                     Role.ESTABLISHMENT_CONFIRMER)
        elif department.kind == Department.Kind.LEGAL_OFFICE:
            add_user(f"g{region_code_}-legal", f"{department.region.name}法制办", department, None,
                     Role.LEGAL_CONFIRMER)
    User.objects.bulk_create(users, batch_size=2000)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=r) for u, r in zip(users, roles)], batch_size=5000
    )
    stats.users = len(users)
    return _Org(units=units, province=province)


def _allocate(rng, total, weights):
    """Split `total` into integers proportional to `weights` (deterministic)."""
    whole = sum(weights)
    counts = [int(total * w / whole) for w in weights]
    for i in rng.sample(range(len(weights)), total - sum(counts)):
        counts[i] += 1
    return counts


def _pick_state(rng):
    x = rng.random() * 100
    for state, share in STATE_SHARES:
        if x < share:
            return state
        x -= share
    return ReviewState.CONFIRMED


def _generate_powers(rng, org, total, batch_size, writer, stats, progress):
    categories = {c.code: c for c in Category.objects.filter(code__in=VOCABULARY)}
    codes = sorted(VOCABULARY)
    category_weights = [VOCABULARY[c][0] for c in codes]
    # Province departments hold more powers than county ones.
    level_weight = {Region.Level.PROVINCE: 3.0, Region.Level.CITY: 1.5, Region.Level.COUNTY: 1.0}
    weights = [level_weight[d.region.level] * rng.uniform(0.5, 1.5) for d, _divs, _c in org.units]
    counts = _allocate(rng, total, weights)
    offices = {}
    for user in User.objects.filter(
        department__region__path__startswith=org.province.path,
        role_assignments__role=Role.ESTABLISHMENT_CONFIRMER,
    ).select_related("department"):
        offices[user.department.region_id] = user

    power_id, revision_id = _next_id(Power), _next_id(PowerRevision)
    buffers = {"powers": [], "bases": [], "revisions": []}
    created = []  # (power id, code, name, region id, department id, clerk) for the log

    def flush():
        writer.insert(Power, buffers["powers"])
        writer.insert(PowerRevision, buffers["revisions"])
        writer.insert(LegalBasis, buffers["bases"])
        stats.powers += len(buffers["powers"])
        stats.revisions += len(buffers["revisions"])
        stats.legal_bases += len(buffers["bases"])
        for key in buffers:
            buffers[key] = []
        progress(f"powers: {stats.powers}/{total}")

    for (department, divisions, clerk), count in zip(org.units, counts):
        level = department.region.level
        for n in range(count):
            code = rng.choices(codes, category_weights)[0]
            _share, template, objects, verbs = VOCABULARY[code]
            category = categories[code]
            name = template.format(o=rng.choice(objects), v=rng.choice(verbs))
            division = divisions[n % len(divisions)]
            state = _pick_state(rng)
            created_at = BASE_TIME + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 120))
            changed_at = created_at + dt.timedelta(minutes=rng.randrange(30, 60 * 24 * 20))
            statutory = rng.choice((5, 10, 15, 20, 30, 45, 60))
            promised = max(1, int(statutory * rng.choice((0.5, 0.6, 0.7))))
            roll = rng.random()
            if roll < 0.04:
                disposition, reason = Power.Disposition.CANCEL, "上位法已废止,该事项不再保留。"
            elif roll < 0.10:
                disposition, reason = Power.Disposition.ADJUST, "依据机构改革方案调整实施主体。"
            else:
                disposition, reason = Power.Disposition.RETAIN, ""
            laws = rng.sample(LAWS[code], k=min(len(LAWS[code]), rng.choice((1, 1, 2))))
            power = {
                "id": power_id,
                "region_id": department.region_id,
                "department_id": department.id,
                "division_id": division.id,
                "code": f"{department.region.code}-{department.order + 1:02d}-{code}-{n + 1:05d}",
                "name": name,
                "category_id": category.id,
                "disposition": disposition,
                "disposition_reason": reason,
                "responsible_leader": "分管副" + ("厅长" if level == Region.Level.PROVINCE else "局长"),
                "staff_duties": f"{division.name}承办人受理、审查,处长(科长)审核,分管领导审定。",
                "conditions": "申请材料齐全、符合法定形式;符合法律法规规定的条件。",
                "statutory_limit_days": statutory,
                "promised_limit_days": promised,
                "exercise_level": Power.ExerciseLevel.DIRECT,
                "service_commitment": f"材料齐全的,{promised}个工作日内办结;一次性告知需补正的全部内容。",
                "work_discipline": "严禁吃拿卡要;严禁超时限办理;严格执行回避制度。",
                "fee_basis": "不收费",
                "remarks": "",
                "source_id": None,
                "parent_id": None,
                "revision": 1,
                "in_force_id": None,
                "created_by_id": clerk.id,
                "created_at": created_at,
                "updated_at": changed_at,
                "state": state,
                "version": 1,
                "state_changed_at": None if state == ReviewState.DRAFT else changed_at,
                "submitted_at": None if state == ReviewState.DRAFT else changed_at,
                "confirmed_at": None,
                "establishment_confirmed_by_id": None,
                "legal_confirmed_by_id": None,
                "last_return_comment": "",
            }
            if state == ReviewState.DRAFT and rng.random() < 0.2:
                power["last_return_comment"] = "请补充法律依据的具体条款。"
                power["version"] = 3
            elif state != ReviewState.DRAFT:
                power["version"] = {ReviewState.DEPARTMENT_REVIEW: 2, ReviewState.OFFICE_REVIEW: 3,
                                    ReviewState.FINAL_REVIEW: 4, ReviewState.CONFIRMED: 6}[state]
            if state == ReviewState.FINAL_REVIEW and rng.random() < 0.5:
                power["establishment_confirmed_by_id"] = offices[department.region_id].id
                power["version"] = 5
            bases = [
                {"power_id": power_id, "law_name": law, "article": article, "text": "", "order": i}
                for i, (law, article) in enumerate(laws)
            ]
            if state == ReviewState.CONFIRMED:
                power["confirmed_at"] = changed_at
                power["in_force_id"] = revision_id
                buffers["revisions"].append({
                    "id": revision_id,
                    "power_id": power_id,
                    "number": 1,
                    "name": name,
                    "category_id": category.id,
                    "disposition": disposition,
                    "data": _snapshot(power, category, division, bases),
                    "confirmed_at": changed_at,
                })
                revision_id += 1
            buffers["powers"].append(power)
            buffers["bases"].extend(bases)
            stats.by_state[state] = stats.by_state.get(state, 0) + 1
            created.append((power_id, power["code"], name, department.region_id, department.id, clerk,
                            created_at))
            power_id += 1
            if len(buffers["powers"]) >= batch_size:
                flush()
    flush()
    return created


def _snapshot(power, category, division, bases):
    """The same shape as services.powers.power_snapshot."""
    data = {}
    for name in CONTENT_FIELDS:
        if name == "category":
            data["category"], data["category_id"] = category.name, category.id
        elif name == "division":
            data["division"], data["division_id"] = division.name, division.id
        else:
            data[name] = power[name]
    data["legal_bases"] = [{"law_name": b["law_name"], "article": b["article"], "text": b["text"]} for b in bases]
    data.update(parent_code="", responsibility_items=[], accountability_circumstances=[])
    return data


def _generate_log(created, writer, stats, batch_size, progress):
    """One 'create' entry per generated power, by its department's clerk, through the
    operation record's bulk writer (COPY on PostgreSQL): each region's chain continues
    after its head."""
    attnames = [f.attname for f in ReviewLogEntry._meta.concrete_fields if not f.primary_key]

    def insert(entries):
        writer.insert(ReviewLogEntry, [{a: getattr(entry, a) for a in attnames} for entry in entries])

    for start in range(0, len(created), batch_size):
        events = [
            RecordEvent(
                obj=Power(pk=power_id, code=code, name=name, region_id=region_id, department_id=department_id),
                actor=clerk, role=Role.CLERK, action=ReviewAction.CREATE, from_state="",
                to_state=ReviewState.DRAFT, created_at=created_at,
            )
            for power_id, code, name, region_id, department_id, clerk, created_at in created[start:start + batch_size]
        ]
        operation_record_append_events(events, insert=insert)
        stats.log_entries += len(events)
        progress(f"operation record: {stats.log_entries}/{len(created)}")
