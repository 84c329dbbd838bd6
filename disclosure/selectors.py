"""Every read of the public portal. Only rows of publications are read: nothing here
touches a working copy. Lists are paginated and cost a fixed number of queries."""

import json

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
# (GIN indexes over the full and the name vector) in raw SQL. A search is one statement
# (_pg_search): it reads the first max(COUNT_CAP, FACET_CAP) + 1 hits once and gives the
# capped count, the four facets and the shown page with its rows; only a page number past
# the last page takes two more queries (_RankedHits). SQLite keeps the simple ORM path
# (LIKE on the published text).

_ROW_FIELDS = ("id", "code", "name", "status", "version", "level", "parent_code", "search_text",
               "region__code", "region__name", "department__name", "category__name")
FACET_SHOWN = 30


def _pg():
    return connection.vendor == "postgresql"


_MATCH = "{column} @@ to_tsquery('simple', %s)"


def _match_sql(column, groups):
    """(SQL, params): `column` matches `groups` (PostgreSQL). The terms without synonyms
    form one tsquery; a term with synonyms is an OR of one `@@` per alternative, so that
    the planner reads each alternative's GIN entries apart (a BitmapOr). In one tsquery
    `排污 | (污染 <-> 染物 …) | (排放 <-> …)` has no entry every hit must hold, so GIN walks
    the union of all six bigrams' posting lists (12 ms at 500,000); apart, each phrase
    skips along its rarest bigram (2 ms)."""
    single = [g for g in groups if len(g) == 1]
    clauses, params = [], []
    if single:
        clauses.append(_MATCH.format(column=column))
        params.append(tsquery(single))
    for group in groups:
        if len(group) > 1:
            clauses.append("(" + " OR ".join(_MATCH.format(column=column) for _alt in group) + ")")
            params += [tsquery([[alt]]) for alt in group]
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


def _page_sql(groups, code_key, where, where_params, offset, limit, *, names_below):
    """(SQL, params) of the ids of a page of ranked hits, as (published_id, part, code) in
    rank order: exact code first (part 0), then name hits by code (1), then the other hits
    by code (2). Each part is a branch of one UNION ALL that walks the (code, id) index up
    to the end of the page asked for (a few hundred rows for a term in a few % of rows) or
    reads a rarer part through its GIN index and sorts it. `names_below` (SQL, params) says
    when the third part is needed at all: when fewer name hits than the end of the page
    were seen (the name hits alone fill the page otherwise)."""
    table, end = PublicSearchEntry._meta.db_table, offset + limit
    match, match_params = _match_sql("vector", groups)
    name, name_params = _match_sql("name_vector", groups)

    def branch(part, condition, params):
        return (f"(SELECT published_id, {part} AS part, code FROM {table} WHERE {condition} AND code_key <> %s"
                f"{where} ORDER BY code, published_id LIMIT %s)", [*params, code_key, *where_params, end])

    gate, gate_params = names_below
    branches = [(f"(SELECT published_id, 0 AS part, code FROM {table} WHERE code_key = %s AND {match}{where})",
                 [code_key, *match_params, *where_params]),
                branch(1, name, name_params),
                branch(2, f"{match} AND NOT ({name}) AND {gate}", [*match_params, *name_params, *gate_params])]
    sql = ("SELECT published_id, part, code FROM (" + " UNION ALL ".join(b for b, _p in branches)
           + ") AS ranked_hits ORDER BY part, code, published_id OFFSET %s LIMIT %s")
    return sql, [p for _b, ps in branches for p in ps] + [offset, limit]


class _RankedHits:
    """The ranked hits as the Paginator slices them (PostgreSQL): exact code first, then
    name hits by code, then the other hits by code.

    `preloaded` (offset, rows) is the page the one statement of _pg_search read; the
    paginator asks for exactly that slice unless the page number was past the last page,
    and only then does a page take queries of its own (its ids, then its rows)."""

    def __init__(self, groups, q, filters, count, name_seen, preloaded):
        self.groups = groups
        self.code_key = q.strip().lower()
        self.where, self.params = _filter_sql(filters)
        self._count, self.name_seen, self.preloaded = count, name_seen, preloaded

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def ids(self, offset, limit):
        gate = "true" if self.name_seen < offset + limit else "false"
        sql, params = _page_sql(self.groups, self.code_key, self.where, self.params, offset, limit,
                                names_below=(gate, []))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [r[0] for r in cursor.fetchall()]

    def __getitem__(self, index):
        start, stop = (index.start or 0), index.stop
        if self.preloaded is not None and self.preloaded[0] == start:
            return self.preloaded[1][:stop - start]
        ids = self.ids(start, stop - start)
        if not ids:
            return []
        rows = PublishedPower.objects.select_related("region", "department", "category").only(*_ROW_FIELDS)
        found = rows.order_by().in_bulk(ids)
        return [found[i] for i in ids]


def _instance(model, values):
    """A model instance from the `values` (attname → value) of a raw row, the others deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[n] for n in names])


def _page_rows(rows):
    """PublishedPower instances, with region, department and category loaded, from the
    JSON page of _pg_search (the fields _ROW_FIELDS names)."""
    if isinstance(rows, str):
        rows = json.loads(rows)
    found = []
    for (pk, code, name, status, version, level, parent_code, search_text, region_id, region_code, region_name,
         department_id, department_name, category_id, category_name) in rows or []:
        row = _instance(PublishedPower, {
            "id": pk, "code": code, "name": name, "status": status, "version": version, "level": level,
            "parent_code": parent_code, "search_text": search_text, "region_id": region_id,
            "department_id": department_id, "category_id": category_id})
        for field, related in (("region", _instance(Region, {"id": region_id, "code": region_code,
                                                              "name": region_name})),
                               ("department", _instance(Department, {"id": department_id, "name": department_name})),
                               ("category", _instance(Category, {"id": category_id, "name": category_name}))):
            PublishedPower._meta.get_field(field).set_cached_value(row, related)
        found.append(row)
    return found


def _pg_search(groups, q, filters, count_cap, facet_cap, offset, limit):
    """(count, capped, facets, name hits seen, page rows) in one statement (PostgreSQL).

    On a machine whose cores are shared, every round trip waits for a core twice, so a
    search is one statement: it reads the first max(count_cap, facet_cap) + 1 hits once
    (a MATERIALIZED CTE) and gives from that read the capped count, the four facets over
    the first `facet_cap` (the FACET_SHOWN largest groups of each kind, whose names alone
    are looked up), the number of name hits, and the page at `offset`: when the read saw
    every hit, the page of their ranking (exact code, name hit, code, id; a top-N sort of
    the rows read); past the cap the ranked page of _page_sql, which runs only then (a
    one-time filter). The page's rows come back as one JSON array with their region,
    department and category names."""
    table, cap = PublicSearchEntry._meta.db_table, max(count_cap, facet_cap)
    where, params = _filter_sql(filters)
    match, match_params = _match_sql("vector", groups)
    name, name_params = _match_sql("name_vector", groups)
    code_key = q.strip().lower()
    page_sql, page_params = _page_sql(groups, code_key, where, params, offset, limit,
                                      names_below=("(SELECT names FROM total) < %s", [offset + limit]))
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
          FROM grouped),
        total AS MATERIALIZED (
          SELECT count(*) AS n, count(*) FILTER (WHERE name_hit) AS names FROM hits),
        page AS MATERIALIZED (
          SELECT id, row_number() OVER (ORDER BY part, code, id) AS ord FROM (
            (SELECT published_id AS id, CASE WHEN code_key = %s THEN 0 WHEN name_hit THEN 1 ELSE 2 END AS part, code
             FROM hits WHERE (SELECT n FROM total) <= %s ORDER BY part, code, published_id OFFSET %s LIMIT %s)
            UNION ALL
            (SELECT published_id, part, code FROM ({page_sql}) AS ranked_page WHERE (SELECT n FROM total) > %s)
          ) AS shown_page)
        SELECT g, region_id, (SELECT name FROM {Region._meta.db_table} WHERE id = s.region_id),
               department_id, (SELECT name FROM {Department._meta.db_table} WHERE id = s.department_id),
               category_id, (SELECT name FROM {Category._meta.db_table} WHERE id = s.category_id),
               level, n, NULL::bigint, NULL::json
        FROM shown s WHERE r <= %s
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, total.n, total.names,
               (SELECT json_agg(json_build_array(p.id, p.code, p.name, p.status, p.version, p.level, p.parent_code,
                                                 p.search_text, p.region_id, r.code, r.name, p.department_id, d.name,
                                                 p.category_id, c.name) ORDER BY page.ord)
                FROM page JOIN {PublishedPower._meta.db_table} p ON p.id = page.id
                JOIN {Region._meta.db_table} r ON r.id = p.region_id
                JOIN {Department._meta.db_table} d ON d.id = p.department_id
                JOIN {Category._meta.db_table} c ON c.id = p.category_id)
        FROM total"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*name_params, *match_params, *params, cap + 1, facet_cap, code_key, cap, offset, limit,
                             *page_params, cap, FACET_SHOWN])
        rows = cursor.fetchall()
    facets = {"region": [], "department": [], "category": [], "level": []}
    levels = dict(Region.Level.choices)
    # GROUPING() has one bit per column, region first: 0b0111 is the region set.
    sets = {0b0111: "region", 0b1011: "department", 0b1101: "category", 0b1110: "level"}
    seen = name_seen = 0
    page = []
    for g, region, region_name, dept, dept_name, cat, cat_name, level, n, names, page_json in rows:
        if g is None:  # the row over every hit read, with the page
            seen, name_seen, page = n, names, _page_rows(page_json)
            continue
        key = sets[g]
        facets[key].append({"region": (region, region_name, n), "department": (dept, dept_name, n),
                            "category": (cat, cat_name, n), "level": (level, str(levels.get(level, level)), n)}[key])
    for key in ("region", "department", "category"):
        facets[key].sort(key=lambda f: (-f[2], f[1]))
    facets["level"].sort(key=lambda f: (-f[2], f[0]))
    facets["capped"], facets["cap"] = seen > facet_cap, facet_cap
    return min(seen, count_cap), seen > count_cap, facets, name_seen, page


def _page_number(page):
    """The page number a search shows: a whole number ≥ 1 as given, anything else
    (missing, not a number, 0 or below) page 1. Paginator.get_page would show the last
    page for 0 or below, which the one statement of _pg_search cannot know in advance
    (it would cost a second statement and its rows)."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


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
    page = _page_number(page)
    if _pg():
        offset = (page - 1) * PAGE_SIZE
        count, capped, facets, name_seen, rows = _pg_search(groups, q, filters, COUNT_CAP, FACET_CAP, offset,
                                                            PAGE_SIZE)
        paginator = Paginator(_RankedHits(groups, q, filters, count, name_seen, (offset, rows)), PAGE_SIZE)
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
