"""Every read of the public portal. Only rows of publications are read: nothing here
touches a working copy. Lists are paginated and cost a fixed number of queries."""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Min, Q, Sum, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from powerlist.models import Category, Department, Region

from disclosure.diff import snapshot_diff, snapshot_rows
from disclosure.models import Publication, PublicSearchEntry, PublishedPower
from disclosure.register_selectors import public_hidden_q, recorded_notes, withheld_codes, withheld_power_ids
from disclosure.search import capped_count, query_groups, tsquery

PAGE_SIZE = 20
COUNT_CAP = 1000
# Facets count the first 1,000 hits, like the total: both come from one read of them.
FACET_CAP = 1000


def _current():
    """Rows of the current publications the public may browse and search: a power the
    register withholds or the office retracted is left out."""
    return PublishedPower.objects.filter(is_current=True).exclude(public_hidden_q())


def public_regions():
    """Regions with at least one current publication, with the number of powers their
    current publications hold (`power_total`) and the latest publication time."""
    current = Q(publications__state=Publication.State.CURRENT)
    return (
        Region.objects.annotate(power_total=Sum("publications__power_count", filter=current),
                                published=Max("publications__published_at", filter=current))
        .filter(published__isnull=False).order_by("path")
    )


def region_by_code(code):
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("没有该行政区划。"))
    return region


def region_departments(region):
    """The region's departments that published, with their current publication."""
    return (
        Publication.objects.filter(region=region, state=Publication.State.CURRENT)
        .select_related("department").order_by("department__order", "department__name")
    )


def department_of(region, department_id):
    department = Department.objects.filter(region=region, pk=department_id).first()
    if department is None or not Publication.objects.filter(department=department).exists():
        raise Http404(_("该部门尚未公开目录。"))
    return department


def department_categories(department):
    """[(category, count)] of the department's current publication."""
    rows = (
        _current().filter(department=department).values("category").annotate(n=Count("id"))
        .order_by("category__order", "category__code")
    )
    categories = Category.objects.in_bulk([r["category"] for r in rows])
    return [(categories[r["category"]], r["n"]) for r in rows]


def category_of(category_id):
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise Http404(_("没有该职权类别。"))
    return category


def category_powers(department, category, page=1):
    qs = (
        _current().filter(department=department, category=category)
        .select_related("region").only("id", "code", "name", "status", "version", "parent_code", "region__code")
        .order_by("code")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def _rows():
    # A withheld power does not exist for the public (404); a retracted one is found,
    # and its page answers 410 (disclosure.views).
    return (PublishedPower.objects.exclude(power_id__in=withheld_power_ids())
            .select_related("publication", "region", "department"))


def power_current(region_code, code):
    """The power's newest published row (its department's current publication, or the
    last one that held it). Http404 when never published."""
    row = _rows().filter(region__code=region_code, code=code).order_by("-publication__published_at", "-id").first()
    if row is None:
        raise Http404(_("没有该公开事项。"))
    return row


def power_version(region_code, code, version):
    """The first publication of version `version` of the power: its stable address."""
    row = _rows().filter(region__code=region_code, code=code, version=version).order_by("publication_id").first()
    if row is None:
        raise Http404(_("没有该公开版本。"))
    return row


def power_history(row):
    """[{version, first published, last published, publication number}] of the power, newest first."""
    return list(
        PublishedPower.objects.filter(power_id=row.power_id).values("version")
        .annotate(first=Min("publication__published_at"), last=Max("publication__published_at"),
                  number=Min("publication__number"))
        .order_by("-version")
    )


def change_log(department, limit=50):
    return (
        Publication.objects.filter(department=department).select_related("publisher", "department__region")
        .order_by("-number")[:limit]
    )


def region_change_log(region, limit=50):
    return (
        Publication.objects.filter(region=region).select_related("department__region")
        .order_by("-published_at", "-id")[:limit]
    )


def power_comparison(region_code, code, a=None, b=None) -> dict:
    """Two published versions of a power side by side: {"current", "old", "new",
    "versions", "rows": [{label, old, new, changed}], "changed_count"}. `a`/`b` default
    to the two newest versions; Http404 for a version that does not exist."""
    current = power_current(region_code, code)
    versions = [h["version"] for h in power_history(current)]
    a = a or (versions[1] if len(versions) > 1 else versions[0])
    b = b or versions[0]
    old, new = (power_version(region_code, code, v) for v in sorted((a, b)))
    rows = [
        {"label": o["label"], "old": o["text"], "new": n["text"], "changed": o["text"] != n["text"]}
        for o, n in zip(snapshot_rows(old.data), snapshot_rows(new.data))
        if o["text"] or n["text"]
    ]
    return {"current": current, "old": old, "new": new, "versions": versions, "rows": rows,
            "changed_count": len(snapshot_diff(old.data, new.data))}


def latest_publication_time():
    return Publication.objects.aggregate(t=Max("published_at"))["t"]


# ---------------------------------------------------------------- search
#
# On PostgreSQL search reads the narrow table disclosure.search_models.PublicSearchEntry
# (GIN indexes over the full and the name vector) in raw SQL. One query reads the first
# max(COUNT_CAP, FACET_CAP) + 1 hits once and gives the capped count, the four facets and,
# when that was every hit, the whole ranking; then the shown rows by primary key. Only a
# common term (more hits than the cap) needs a third query for its page (_RankedHits).
# SQLite keeps the simple ORM path (LIKE on the published text).

_ROW_FIELDS = ("id", "code", "name", "status", "version", "level", "parent_code", "search_text",
               "region__code", "region__name", "department__name", "category__name")
FACET_SHOWN = 30


def _pg():
    return connection.vendor == "postgresql"


_MATCH = "{column} @@ to_tsquery('simple', %s)"


def _match_sql(column, groups, *, relaxed=False):
    """(SQL, params): `column` matches `groups` (PostgreSQL). The terms without synonyms
    form one tsquery; a term with synonyms is an OR of one `@@` per alternative, so that
    the planner reads each alternative's GIN entries apart (a BitmapOr). In one tsquery
    `排污 | (污染 <-> 染物 …) | (排放 <-> …)` has no entry every hit must hold, so GIN walks
    the union of all six bigrams' posting lists (12 ms at 500,000); apart, each phrase
    skips along its rarest bigram (2 ms). `relaxed` turns phrases into AND (`<->` → `&`):
    a superset that GIN answers without reading the rows back (no recheck)."""
    def text(some):
        found = tsquery(some)
        return found.replace(" <-> ", " & ") if relaxed else found

    single = [g for g in groups if len(g) == 1]
    clauses, params = [], []
    if single:
        clauses.append(_MATCH.format(column=column))
        params.append(text(single))
    for group in groups:
        if len(group) > 1:
            clauses.append("(" + " OR ".join(_MATCH.format(column=column) for _alt in group) + ")")
            params += [text([[alt]]) for alt in group]
    return " AND ".join(clauses), params


def _filter_sql(filters):
    clauses, params = [], []
    for key in ("region", "department", "category"):
        if filters.get(key):
            clauses.append(f"{key}_id = %s")
            params.append(filters[key])
    if filters.get("level"):
        clauses.append("level = %s")
        params.append(filters["level"])
    return "".join(f" AND {c}" for c in clauses), params


class _RankedHits:
    """The ranked hits as the Paginator slices them (PostgreSQL): exact code first, then
    name hits by code, then the other hits by code.

    `ranked` (from _pg_hits) holds the ids of every hit in that order when the first read
    saw them all; a page is then a slice of it, with no query. Otherwise the term is
    common and each part is a branch of one UNION ALL that walks the (code, id) index up
    to the end of the page asked for (a few hundred rows for a term in a few % of rows);
    the part after the name hits is left out when the name hits alone fill the page."""

    def __init__(self, groups, q, filters, count, ranked, name_seen):
        self.groups = groups
        self.code_key = q.strip().lower()
        self.where, self.params = _filter_sql(filters)
        self._count, self.ranked, self.name_seen = count, ranked, name_seen

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def _branch(self, part, condition, params, end):
        table = PublicSearchEntry._meta.db_table
        return (f"(SELECT published_id, {part} AS part, code FROM {table} WHERE {condition} AND code_key <> %s"
                f"{self.where} ORDER BY code, published_id LIMIT %s)", [*params, self.code_key, *self.params, end])

    def _name_branch(self, end):
        """The name hits up to `end`. A phrase (社会保险, 最低生活保障金) makes GIN recheck
        every candidate row against the phrase, ~2.5 µs each: 2,165 name hits of
        最低生活保障金 cost 5 ms of rechecks to show 20. So the rows come from the relaxed
        query (the phrase's bigrams anywhere, no recheck), sorted by code, and the
        phrase is checked on them in that order only until the page is full."""
        name, name_params = _match_sql("name_vector", self.groups)
        if "<->" not in "".join(name_params):
            return self._branch(1, name, name_params, end)
        table = PublicSearchEntry._meta.db_table
        relaxed, relaxed_params = _match_sql("name_vector", self.groups, relaxed=True)
        return (f"(SELECT published_id, 1 AS part, code FROM (SELECT published_id, code, name_vector FROM {table}"
                f" WHERE {relaxed} AND code_key <> %s{self.where} ORDER BY code, published_id OFFSET 0) AS relaxed"
                f" WHERE {name} LIMIT %s)", [*relaxed_params, self.code_key, *self.params, *name_params, end])

    def ids(self, offset, limit):
        if self.ranked is not None:
            return self.ranked[offset:offset + limit]
        table, end = PublicSearchEntry._meta.db_table, offset + limit
        match, match_params = _match_sql("vector", self.groups)
        name, name_params = _match_sql("name_vector", self.groups)
        branches = [(f"(SELECT published_id, 0 AS part, code FROM {table}"
                     f" WHERE code_key = %s AND {match}{self.where})",
                     [self.code_key, *match_params, *self.params]),
                    self._name_branch(end)]
        if self.name_seen < end:
            branches.append(self._branch(2, f"{match} AND NOT ({name})", [*match_params, *name_params], end))
        sql = ("SELECT published_id FROM (" + " UNION ALL ".join(b for b, _p in branches)
               + ") AS hits ORDER BY part, code, published_id OFFSET %s LIMIT %s")
        params = [p for _b, ps in branches for p in ps] + [offset, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [r[0] for r in cursor.fetchall()]

    def __getitem__(self, index):
        start, stop = (index.start or 0), index.stop
        ids = self.ids(start, stop - start)
        if not ids:
            return []
        rows = PublishedPower.objects.select_related("region", "department", "category").only(*_ROW_FIELDS)
        found = rows.order_by().in_bulk(ids)
        return [found[i] for i in ids]


def _pg_hits(groups, q, filters, count_cap, facet_cap):
    """(count, capped, facets, ranked, name hits seen) from one read of the first
    max(count_cap, facet_cap) + 1 hits (PostgreSQL): the facets count the first
    `facet_cap` and keep the FACET_SHOWN largest groups of each kind, whose names alone
    are looked up; `ranked` is every hit's id in rank order when the read saw every
    hit, else None."""
    table, cap = PublicSearchEntry._meta.db_table, max(count_cap, facet_cap)
    where, params = _filter_sql(filters)
    match, match_params = _match_sql("vector", groups)
    name, name_params = _match_sql("name_vector", groups)
    sql = f"""
        WITH hits AS MATERIALIZED (
          SELECT published_id, code, code_key, region_id, department_id, category_id, level,
                 {name} AS name_hit
          FROM {table} WHERE {match}{where} LIMIT %s),
        grouped AS (
          SELECT GROUPING(region_id, department_id, category_id, level) AS g,
                 region_id, department_id, category_id, level, count(*) AS n
          FROM (SELECT * FROM hits LIMIT %s) AS h
          GROUP BY GROUPING SETS ((region_id), (department_id), (category_id), (level))),
        shown AS (
          SELECT *, row_number() OVER (PARTITION BY g ORDER BY n DESC, region_id, department_id, category_id,
                                       level) AS r
          FROM grouped)
        SELECT g, region_id, (SELECT name FROM {Region._meta.db_table} WHERE id = s.region_id),
               department_id, (SELECT name FROM {Department._meta.db_table} WHERE id = s.department_id),
               category_id, (SELECT name FROM {Category._meta.db_table} WHERE id = s.category_id),
               level, n, NULL::bigint, NULL::bigint[]
        FROM shown s WHERE r <= %s
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, count(*), count(*) FILTER (WHERE name_hit),
               array_agg(published_id ORDER BY code_key = %s DESC, name_hit DESC, code, published_id)
        FROM hits"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*name_params, *match_params, *params, cap + 1, facet_cap, FACET_SHOWN,
                             q.strip().lower()])
        rows = cursor.fetchall()
    facets = {"region": [], "department": [], "category": [], "level": []}
    levels = dict(Region.Level.choices)
    # GROUPING() has one bit per column, region first: 0b0111 is the region set.
    sets = {0b0111: "region", 0b1011: "department", 0b1101: "category", 0b1110: "level"}
    seen = name_seen = 0
    ranked = None
    for g, region, region_name, dept, dept_name, cat, cat_name, level, n, names, ids in rows:
        if g is None:  # the row over every hit read
            seen, name_seen, ranked = n, names, ids or []
            continue
        key = sets[g]
        facets[key].append({"region": (region, region_name, n), "department": (dept, dept_name, n),
                            "category": (cat, cat_name, n), "level": (level, str(levels.get(level, level)), n)}[key])
    for key in ("region", "department", "category"):
        facets[key].sort(key=lambda f: (-f[2], f[1]))
    facets["level"].sort(key=lambda f: (-f[2], f[0]))
    facets["capped"], facets["cap"] = seen > facet_cap, facet_cap
    every_hit = seen <= cap
    return min(seen, count_cap), seen > count_cap, facets, ranked if every_hit else None, name_seen


def search_queryset(q, filters=None):
    """Current published rows matching `q`, ranked: an exact code first, then name
    hits, then the rest (by code). (queryset, matched): matched is False when `q`
    holds no term, and the queryset is then empty. The ORM path (SQLite; PostgreSQL
    pages come from _RankedHits over the search table)."""
    filters = filters or {}
    groups = query_groups(q)
    qs = _current()
    for key in ("region", "department", "category"):
        if filters.get(key):
            qs = qs.filter(**{f"{key}_id": filters[key]})
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if not groups:
        return qs.none(), False
    exact = Case(When(code__iexact=q.strip(), then=Value(1)), default=Value(0), output_field=IntegerField())
    for group in groups:
        condition = Q()
        for alternative in group:
            condition |= Q(search_text__icontains=alternative)
        qs = qs.filter(condition)
    name_hit = Q()
    for group in groups:
        group_hit = Q()
        for alternative in group:
            group_hit |= Q(name__icontains=alternative)
        name_hit &= group_hit
    in_name = Case(When(name_hit, then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(exact=exact, in_name=in_name).order_by("-exact", "-in_name", "code", "id"), True


def search_facets(qs, cap=FACET_CAP) -> dict:
    """Counts per region, level, department and category over the first `cap` hits,
    computed in the database ({"capped": bool, "region": [(id, name, n)], …}). SQLite."""
    sample = PublishedPower.objects.filter(pk__in=qs.order_by().values("id")[:cap])
    facets = {"capped": qs.order_by().values("id")[cap:cap + 1].exists(), "cap": cap}
    for key, label in (("region", "region__name"), ("department", "department__name"),
                       ("category", "category__name")):
        facets[key] = [
            (r[key], r[label], r["n"])
            for r in sample.values(key, label).annotate(n=Count("id")).order_by("-n", label)[:FACET_SHOWN]
        ]
    levels = dict(Region.Level.choices)
    facets["level"] = [(r["level"], str(levels.get(r["level"], r["level"])), r["n"]) for r in
                       sample.values("level").annotate(n=Count("id")).order_by("-n")]
    return facets


def search(q, filters=None, page=1):
    """One page of results with capped total and facets; rows carry what the list shows."""
    filters = filters or {}
    groups = query_groups(q)
    if not groups:
        return {"matched": False, "page": None, "count": 0, "capped": False, "facets": None}
    if _pg():
        count, capped, facets, ranked, name_seen = _pg_hits(groups, q, filters, COUNT_CAP, FACET_CAP)
        paginator = Paginator(_RankedHits(groups, q, filters, count, ranked, name_seen), PAGE_SIZE)
    else:
        qs, _matched = search_queryset(q, filters)
        count, capped = capped_count(qs, COUNT_CAP)
        facets = search_facets(qs, FACET_CAP)
        paginator = Paginator(qs.select_related("region", "department", "category").only(*_ROW_FIELDS), PAGE_SIZE)
    # The paginator would run an exact COUNT: give it the capped one.
    paginator.count = count
    return {"matched": True, "page": paginator.get_page(page), "count": count, "capped": capped,
            "facets": facets}



# ---------------------------------------------------------------- change logs and the register


def mask_withheld_sub_items(row):
    """Drop from a row's snapshot the sub-items the register withholds now (a row
    frozen before the entry was recorded still names them). One query, only when the
    row lists sub-items."""
    subs = row.data.get("sub_items") or []
    hidden = withheld_codes(row.region_id, [s["code"] for s in subs])
    if hidden:
        row.data["sub_items"] = [s for s in subs if s["code"] not in hidden]
    return row


def _publication_entry(p, *, with_department):
    title = _("第%(n)s批公开:新增%(a)s项,变更%(c)s项,取消%(x)s项") % {
        "n": p.number, "a": p.added_count, "c": p.changed_count, "x": p.cancelled_count}
    if with_department:
        title = f"{p.department.name} {title}"
    link = reverse("disclosure:changes", args=[p.department.region.code, p.department_id]) + f"#p{p.number}"
    return {"kind": "publication", "when": p.published_at, "title": title, "text": p.note, "link": link,
            "guid": f"publication-{p.pk}", "department": p.department, "publication": p}


def _note_entry(note, *, with_department):
    title = _("职能调整说明:%(title)s") % {"title": note.title}
    if with_department:
        title = f"{note.department.name} {title}"
    lines = [_("调整原因:%(r)s") % {"r": note.reason}, _("调整依据:%(g)s") % {"g": note.ground},
             _("生效日期:%(d)s") % {"d": note.effective_date.isoformat()}]
    for item in note.public_items:
        if item.withheld:
            lines.append(_("%(change)s:一项依法不予公开的事项") % {"change": item.get_change_display()})
            continue
        line = f"{item.get_change_display()}:{item.code} {item.name}"
        if item.change == item.Change.MOVED and item.new_department_id:
            line += _("(划转至%(place)s)") % {"place": f"{item.new_department.region.name}{item.new_department.name}"}
        if item.detail:
            line += f"({item.detail})"
        lines.append(line)
    link = reverse("disclosure:changes", args=[note.department.region.code, note.department_id]) + f"#a{note.pk}"
    return {"kind": "note", "when": note.confirmed_at, "title": title, "text": "\n".join(lines), "link": link,
            "guid": f"adjustment-{note.pk}", "department": note.department, "note": note}


def change_entries(publications, notes, *, with_department=False, limit=50):
    """Publications and recorded adjustment notes as one log in plain words, newest first."""
    entries = [_publication_entry(p, with_department=with_department) for p in publications]
    entries += [_note_entry(n, with_department=with_department) for n in notes]
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]


def region_change_entries(region, limit=50):
    """The region's change log: every department's publications and recorded notes."""
    return change_entries(region_change_log(region, limit), recorded_notes(region=region, limit=limit),
                          with_department=True, limit=limit)
