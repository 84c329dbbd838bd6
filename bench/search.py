"""Public search benchmark on PostgreSQL: the search table (disclosure.selectors.search:
one statement that reads the first 1,001 hits for capped count and facets and returns the
ranked page with its rows) against the `LIKE '%…%'`
scan of the publication rows it replaces (a page ordered by code plus an exact count),
side by side in one run; and the staff power list's region-wide search (the office's
view at /powers/?q=…) with its capped count.

    .venv/bin/python bench/search.py --sizes 50000 500000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_bench (default)

Sizes are numbers of generated powers. For each size the synthetic province generator
(powerlist.demo.generate) adds a province (a fresh province code) until the provinces
taken so far hold that many powers (a database that already holds them is reused), then
every power in force of those provinces is published with bulk inserts (one publication
per department, a COPY of the rows into a staging table and INSERT … SELECT that builds
the tsvectors in the database, as the publication service's INSERT does). The published
rows of the provinces not taken yet stay unpublished, so the public search sees exactly
the size measured. Sizes are measured largest first; a smaller one then removes the newest
published rows (unpublish_down_to). Each query runs 3 times to warm up, then `--runs`
times; median and p95 in ms, and the CPU time per search of this process plus its
PostgreSQL backend (bench/cpu.py). `--prewarm` loads both sides' tables and indexes into
shared buffers (pg_prewarm) before each size; the server settings that matter for it
(shared_buffers and the like, docs/production.md) are printed and written with the figures.
The figures go into the "Public search" section of bench/results.md. `--cap N` tries
another count and facet cap for one run (the portal's stays 1,000) and `--print-only`
prints the figures without the staff list and without touching bench/results.md.
"""

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-000")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/search_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from disclosure.models import PublishedPower  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from disclosure.search import search_tokens  # noqa: E402
from disclosure import selectors  # noqa: E402
from disclosure.selectors import search  # noqa: E402
from powerlist.catalogue.selectors import power_list  # noqa: E402
from powerlist.catalogue.views.powers import SEARCH_COUNT_CAP  # noqa: E402
from powerlist.demo.generate import generate_province  # noqa: E402
from powerlist.models import Power, User  # noqa: E402
from powerlist.search import capped_count  # noqa: E402

from bench.cpu import cpu_now  # noqa: E402

QUERIES = ("许可", "建设", "排污", "社会保险", "低保", "最低生活保障金", "危险化学品经营许可", "航天器")
PROVINCE_CODES = ("990000", "980000", "970000", "960000", "950000")
RESULTS = ROOT / "bench" / "results.md"
GIN_INDEXES = ("public_search_vector_gin", "public_search_name_gin")
START, END = "<!-- public-search bench: start -->", "<!-- public-search bench: end -->"


def unpublish_down_to(total):
    """Remove the newest published rows (and their search entries, and publications left
    empty) until `total` are published, so one run can measure 500,000 and then 50,000
    without publishing the larger size again. Returns the number removed."""
    excess = PublishedPower.objects.filter(is_current=True).count() - total
    if excess <= 0:
        return 0
    with connection.cursor() as cur:
        cur.execute("""CREATE TEMP TABLE gone ON COMMIT DROP AS SELECT id FROM disclosure_publishedpower
            WHERE is_current ORDER BY id DESC LIMIT %s""", [excess])
        cur.execute("DELETE FROM disclosure_publicsearchentry WHERE published_id IN (SELECT id FROM gone)")
        cur.execute("DELETE FROM disclosure_publishedpower WHERE id IN (SELECT id FROM gone)")
        cur.execute("""DELETE FROM disclosure_publication p
            WHERE NOT EXISTS (SELECT 1 FROM disclosure_publishedpower x WHERE x.publication_id = p.id)""")
    return excess


def publish_up_to(total):
    """Publish powers in force that have no published row, in id order, until `total`
    powers are published; in bulk. Returns the number published now."""
    want = total - PublishedPower.objects.filter(is_current=True).count()
    if want <= 0:
        return 0
    with connection.cursor() as cur:
        cur.execute("""CREATE TEMP TABLE chosen ON COMMIT DROP AS
            SELECT p.id, p.department_id FROM powerlist_power p
            WHERE p.in_force_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM disclosure_publishedpower pp WHERE pp.power_id = p.id)
            ORDER BY p.id LIMIT %s""", [want])
        cur.execute("""
            INSERT INTO disclosure_publication (department_id, region_id, number, published_at, note, state,
                added_count, changed_count, cancelled_count, power_count)
            SELECT d.id, d.region_id, 1, now(), 'bench', 'current', 0, 0, 0, 0
            FROM powerlist_department d
            WHERE EXISTS (SELECT 1 FROM chosen c WHERE c.department_id = d.id)
              AND NOT EXISTS (SELECT 1 FROM disclosure_publication x WHERE x.department_id = d.id)""")
        cur.execute("""
            SELECT p.id, p.region_id, p.department_id, r.category_id, g.level, g.code, r.data->>'code', r.name,
                   c.name, d.name, g.name, r.data->'legal_bases', x.id
            FROM powerlist_power p JOIN powerlist_powerrevision r ON r.id = p.in_force_id
            JOIN powerlist_region g ON g.id = p.region_id JOIN powerlist_department d ON d.id = p.department_id
            JOIN powerlist_category c ON c.id = r.category_id
            JOIN disclosure_publication x ON x.department_id = p.department_id
            WHERE p.id IN (SELECT id FROM chosen)""")
        rows = cur.fetchall()
        cur.execute("""CREATE TEMP TABLE staging (publication_id bigint, power_id bigint, region_id bigint,
            department_id bigint, category_id bigint, level text, code text, name text, data jsonb,
            search_text text, tokens text) ON COMMIT DROP""")
        import json
        with cur.copy("COPY staging FROM STDIN") as copy:
            for (pid, region_id, dept_id, cat_id, level, region_code, code, name, cat, dept, region, bases,
                 pub_id) in rows:
                bases = bases if isinstance(bases, list) else json.loads(bases or "[]")
                body = " ".join([cat, dept, region, *(f"{b['law_name']}{b.get('article', '')}" for b in bases)])
                data = {"region_code": region_code, "code": code, "name": name, "category": cat,
                        "department": dept, "region": region, "legal_bases": bases}
                copy.write_row((pub_id, pid, region_id, dept_id, cat_id, level, code, name, json.dumps(data,
                                ensure_ascii=False), f"{name} {code} {body}",
                                search_tokens(name=name, code=code, body=body)))
        cur.execute("""
            INSERT INTO disclosure_publishedpower (publication_id, power_id, region_id, department_id, category_id,
                level, code, name, parent_code, status, version, is_current, data, digest, search_text)
            SELECT publication_id, power_id, region_id, department_id, category_id, level, code, name, '',
                   'in_force', 1, true, data, md5(data::text), search_text
            FROM staging""")
        # A bulk load goes through the GIN pending list, merged once at the end (the indexes
        # run without one: disclosure migration 0004).
        for index in GIN_INDEXES:
            cur.execute(f"ALTER INDEX {index} SET (fastupdate = on)")
        cur.execute("""
            INSERT INTO disclosure_publicsearchentry (published_id, region_id, department_id, category_id, level,
                code, code_key, vector, name_vector)
            SELECT pp.id, s.region_id, s.department_id, s.category_id, s.level, s.code, lower(s.code),
                   setweight(to_tsvector('simple', split_part(s.tokens, '|', 1)), 'A')
                   || setweight(to_tsvector('simple', split_part(s.tokens, '|', 2)), 'B')
                   || setweight(to_tsvector('simple', split_part(s.tokens, '|', 3)), 'C'),
                   to_tsvector('simple', split_part(s.tokens, '|', 1))
            FROM staging s JOIN disclosure_publishedpower pp
              ON pp.publication_id = s.publication_id AND pp.power_id = s.power_id""")
        for index in GIN_INDEXES:
            cur.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")
            cur.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        cur.execute("ANALYZE disclosure_publishedpower")
        cur.execute("ANALYZE disclosure_publicsearchentry")
    return len(rows)


def timed(fn, runs, warmup=3):
    """(median, p95, CPU per run) in ms: CPU is this process's plus its database
    backend's over all the runs, divided by the runs (the backend's clock counts in
    10 ms ticks, so only the mean over many runs means anything)."""
    for _ in range(warmup):
        fn()
    samples = []
    cpu = cpu_now()
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    cpu = (cpu_now() - cpu) * 1000 / runs
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)], cpu


def like_scan(q):
    """What the index replaces: a LIKE scan for a page by code and the exact count."""
    with connection.cursor() as cur:
        cur.execute("SELECT id, code, name FROM disclosure_publishedpower WHERE is_current AND search_text LIKE %s "
                    "ORDER BY code LIMIT 20", [f"%{q}%"])
        cur.fetchall()
        cur.execute("SELECT count(*) FROM disclosure_publishedpower WHERE is_current AND search_text LIKE %s",
                    [f"%{q}%"])
        return cur.fetchone()[0]


def indexed(q):
    result = search(q)
    list(result["page"])
    return result


def prewarm():
    """Load both sides' tables and indexes into shared_buffers (pg_prewarm), as a server
    that has been serving searches for a while holds them; returns the pages loaded."""
    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cur.execute("""SELECT coalesce(sum(pg_prewarm(c.oid)), 0) FROM pg_class c
            WHERE c.relname IN ('disclosure_publicsearchentry', 'disclosure_publishedpower')
               OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN
                   ('disclosure_publicsearchentry'::regclass, 'disclosure_publishedpower'::regclass))
               OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname IN
                   ('disclosure_publicsearchentry', 'disclosure_publishedpower'))""")
        return cur.fetchone()[0]


def server_settings():
    with connection.cursor() as cur:
        cur.execute("""SELECT name, current_setting(name) FROM unnest(ARRAY['shared_buffers',
            'effective_cache_size', 'work_mem', 'maintenance_work_mem', 'max_wal_size']) name""")
        return ", ".join(f"{name} = {value}" for name, value in cur.fetchall())


def measure(runs, like_runs):
    rows = []
    for q in QUERIES:
        result = indexed(q)
        hits = like_scan(q)
        i_med, i_p95, i_cpu = timed(lambda: indexed(q), runs)
        l_med, l_p95, l_cpu = timed(lambda: like_scan(q), like_runs, warmup=1)
        shown = f"{result['count']}+" if result["capped"] else str(result["count"])
        rows.append((q, hits, shown, i_med, i_p95, i_cpu, l_med, l_p95, l_cpu))
    return rows


def biggest_province_office():
    """The office of the province with the most province-level powers, and that number (its
    region-wide scope also covers every city and county below)."""
    code, n = (Power.objects.filter(region__level="province").values_list("region__code")
               .annotate(n=Count("id")).order_by("-n").first())
    return User.objects.get(username=f"g{code}-office"), code, n


def staff_old(user, q):
    """The staff list's search before: icontains on name and code, then an exact count."""
    qs = power_list(user=user, filters={}).filter(Q(name__icontains=q) | Q(code__icontains=q))
    list(qs[:50])
    return qs.count()


def staff_new(user, q):
    qs = power_list(user=user, filters={"q": q})
    list(qs[:50])
    return capped_count(qs, SEARCH_COUNT_CAP)


def measure_staff(runs, like_runs):
    """The office's region-wide search (/powers/?include_lower=on&q=…): SQL of one page of
    50 plus the count, the old icontains path against the search column."""
    user, code, n = biggest_province_office()
    rows = []
    for q in ("许可", "建设", "航天器"):
        hits = staff_old(user, q)
        count, capped = staff_new(user, q)
        n_med, n_p95, n_cpu = timed(lambda: staff_new(user, q), runs)
        o_med, o_p95, o_cpu = timed(lambda: staff_old(user, q), like_runs, warmup=1)
        rows.append((code, n, q, hits, f"{count}+" if capped else str(count), n_med, n_p95, n_cpu, o_med, o_p95,
                     o_cpu))
    return rows


def _ratio(slow, fast):
    return f"{slow / fast:.0f}×" if fast > 0 else "—"


def write_results(sections, staff, runs, like_runs):
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    text = re.sub(re.escape(START) + r".*?" + re.escape(END) + r"\n?", "", text, flags=re.S).rstrip() + "\n\n"
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [START, "", f"## Public search (`bench/search.py`) — run {now}", "",
           f"PostgreSQL ({connection.settings_dict['NAME']}), Django {django.get_version()}, Python "
           f"{platform.python_version()}, {os.cpu_count()} CPUs shared with other work, load average at the end "
           f"{os.getloadavg()[0]:.1f}; server settings {server_settings()}. \"index\" = disclosure.selectors.search (the narrow search table "
           "disclosure_publicsearchentry with GIN indexes over the full and the name bigram tsvector; one statement "
           "reads the first 1,001 hits once for the capped count and the four facets, ranks the page of 20 (from "
           "those hits when they were all, else by its own walk of the ranked parts) and returns its rows); "
           "\"LIKE\" = a page by code "
           "plus an exact count with `search_text LIKE '%q%'` over the publication rows (one warm-up, then "
           f"{like_runs} timed runs; the index side 3 warm-ups and {runs} runs). Targets (issue 11): p95 < 50 ms at 500,000, ≥ 100× "
           "faster than LIKE, at most 1.5× growth from 50,000 to 500,000. \"CPU\" = CPU time of this process "
           "plus its PostgreSQL backend per search (mean over the timed runs): the wall clock at this load is "
           "mostly waiting for a core.", ""]
    for size, published, powers, load, rows in sections:
        out += [f"### {published:,} published powers ({powers:,} powers in the database; load average {load:.1f})",
                "",
                "| query | hits (LIKE, exact) | shown | index median | index p95 | index CPU | LIKE median | LIKE p95 | "
                "LIKE CPU | p95 ratio | CPU ratio |",
                "|---|---|---|---|---|---|---|---|---|---|---|"]
        for q, hits, shown, i_med, i_p95, i_cpu, l_med, l_p95, l_cpu in rows:
            out.append(f"| {q} | {hits:,} | {shown} | {i_med:.1f} ms | **{i_p95:.1f} ms** | {i_cpu:.1f} ms | "
                       f"{l_med:.1f} ms | {l_p95:.1f} ms | {l_cpu:.0f} ms | {l_p95 / i_p95:.1f}× | "
                       f"{_ratio(l_cpu, i_cpu)} |")
        out.append("")
    out += ["### Staff list: the office's region-wide search", "",
            "`powerlist.catalogue.selectors.power_list(user=<province office>, filters={\"q\": q})`: one page "
            "of 50 plus the count capped at 1,000 (the search column, GIN), against the `icontains` filter on "
            "name and code with an exact count it replaces (SQL only, no rendering).", "",
            "| province (its own-level powers) | query | hits (exact) | shown | search median | search p95 | search CPU | "
            "icontains median | icontains p95 | icontains CPU | p95 ratio |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for code, n, q, hits, shown, n_med, n_p95, n_cpu, o_med, o_p95, o_cpu in staff:
        out.append(f"| {code} ({n:,}) | {q} | {hits:,} | {shown} | {n_med:.1f} ms | **{n_p95:.1f} ms** | "
                   f"{n_cpu:.1f} ms | {o_med:.1f} ms | {o_p95:.1f} ms | {o_cpu:.0f} ms | {o_p95 / n_p95:.1f}× |")
    out += ["", END, ""]
    RESULTS.write_text(text + "\n".join(out), encoding="utf-8")


def in_force_count():
    return Power.objects.filter(in_force__isnull=False).count()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 500_000],
                        help="numbers of published powers to measure at")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--like-runs", type=int, default=None,
                        help="timed runs of the slow LIKE / icontains side (default: --runs; each is seconds at 500,000)")
    parser.add_argument("--prewarm", action="store_true",
                        help="pg_prewarm both sides' tables and indexes before measuring each size")
    parser.add_argument("--cap", type=int, default=None,
                        help="set disclosure.selectors.COUNT_CAP and FACET_CAP for this run (an option tried, "
                             "not the portal's setting)")
    parser.add_argument("--print-only", action="store_true",
                        help="print the figures; skip the staff list and leave bench/results.md alone")
    args = parser.parse_args()
    if args.cap:
        selectors.COUNT_CAP = selectors.FACET_CAP = args.cap
        print(f"count and facet cap set to {args.cap} for this run", flush=True)
    print(server_settings(), flush=True)
    call_command("migrate", verbosity=0)
    sections = []
    # Largest first: a smaller size then only removes the newest rows (seconds) instead of
    # publishing the larger size again after it (minutes).
    for size in sorted(args.sizes, reverse=True):
        while in_force_count() < size:
            code = next(c for c in PROVINCE_CODES if not Power.objects.filter(region__code=c).exists())
            # About 65 % of generated powers are confirmed (in force).
            powers = int((size - in_force_count()) / 0.6) + 1000
            start = time.perf_counter()
            generate_province(powers=powers, region_code=code, log=False)
            print(f"generated {powers} powers in {code} in {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        with transaction.atomic():
            added = publish_up_to(size) or unpublish_down_to(size)
        if added:
            # What autovacuum does after a bulk load or delete (hint bits, visibility, the dead
            # rows of a smaller size, which the LIKE side would otherwise scan too).
            with connection.cursor() as cur:
                cur.execute("VACUUM (ANALYZE) disclosure_publicsearchentry, disclosure_publishedpower")
        published = PublishedPower.objects.filter(is_current=True).count()
        print(f"published or removed {added} rows in {time.perf_counter() - start:.0f} s; {published} current",
              flush=True)
        if args.prewarm:
            print(f"prewarmed {prewarm()} pages", flush=True)
        rows = measure(args.runs, args.like_runs or args.runs)
        for row in rows:
            print(row, flush=True)
        sections.append((size, published, Power.objects.count(), os.getloadavg()[0], rows))
    if args.print_only:
        return
    staff = measure_staff(args.runs, args.like_runs or args.runs)
    for row in staff:
        print(row, flush=True)
    write_results(sections, staff, args.runs, args.like_runs or args.runs)


if __name__ == "__main__":
    main()
