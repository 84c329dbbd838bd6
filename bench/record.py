"""Operation-record benchmark on PostgreSQL: append latency under concurrent writers, the
stall of a reviewer while an import appends, and verification of a large record.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/record_bench .venv/bin/python bench/record.py
    make bench-record

The database (default record_bench; create it once with `createdb -h 127.0.0.1 -U postgres
record_bench`) is migrated and a small synthetic province (20,000 powers, 24 regions) is
generated when missing. Then, each in separate processes with their own connections:

1. append latency: 16 writers, each appending `--appends` entries, one transaction per append,
   and the part of it spent in the head's SELECT … FOR UPDATE (waiting for the lock);
   with the writers spread over 16 regions or all in one region, back to back (on 2 CPUs
   the 16 processes then mostly wait for a CPU) or one append per 50 ms each (then what is
   left is mostly waiting for the chain head);
2. stall: an import appends 5,000 entries in one transaction (5 times), while a reviewer in
   another city appends one entry every 20 ms; the reviewer's worst latency is the stall;
3. verification: the record is emptied and refilled with `--entries` entries (bulk, through
   the writer, spread over the regions), then verified in full and, where checkpoints exist,
   from the last checkpoint after 2,000 more entries were appended.

The same script runs on the code before the operation record had streams (one global
chain, `review_log_*`) and after (`operation_record_*`), so both can be measured. The
figures are written into the "Operation record" section of bench/results.md.
"""

import argparse
import datetime as dt
import multiprocessing
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/record_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from powerlist.models import Power, Region, ReviewAction, ReviewLogEntry, ReviewState, User

try:
    from powerlist.demo.generate import generate_province  # noqa: E402
except ImportError:  # the code before powerlist/ had subpackages
    from powerlist.generate import generate_province  # noqa: E402

try:
    from powerlist.review.record import (  # noqa: E402
        operation_record_append as record_append,
        operation_record_append_many as record_append_many,
        operation_record_verify,
        record_checkpoint_write,
    )

    CODE = "per-stream chains (operation_record_*)"

    def verify(*, full):
        return [(r.chain, r.count, r.checked, r.broken, r.reason) for r in operation_record_verify(full=full)]

    def checkpoint():
        return record_checkpoint_write()

except ImportError:  # the code before the record had streams: one global chain
    from powerlist.services.review import (  # noqa: E402
        review_log_append as record_append, review_log_append_many as record_append_many, review_log_verify,
    )

    CODE = "one global chain (review_log_*)"
    checkpoint = None

    def verify(*, full):
        count, broken, reason = review_log_verify()
        return [("review", count, count, broken, reason)]


BENCH_REGION = "980000"
WRITERS = 16
IMPORT_ROWS = 5000
IMPORTS = 5
SECTION_START = "<!-- operation-record bench: start -->"
SECTION_END = "<!-- operation-record bench: end -->"
CTX = multiprocessing.get_context("fork")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def ensure_data(powers):
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=BENCH_REGION).exists():
        print(f"Generating {powers} powers …")
        generate_province(powers=powers, seed=1, region_code=BENCH_REGION, log=False)


def region_fixtures():
    """[(region_id, [power ids], actor id)] for every region with powers and a user."""
    result = []
    for region in Region.objects.filter(path__startswith=f"{BENCH_REGION}/").order_by("code"):
        ids = list(Power.objects.filter(region=region).order_by("id").values_list("id", flat=True)[:200])
        actor = User.objects.filter(department__region=region).order_by("id").first()
        if ids and actor:
            result.append((region.id, ids, actor.id))
    return result


def _writer(barrier, queue, power_ids, actor_id, appends, think):
    """One process: `appends` single appends, each in its own transaction, timed, with
    `think` seconds between them."""
    actor = User.objects.get(pk=actor_id)
    power = Power.objects.select_related("region", "department").get(pk=power_ids[0])
    waits = []

    def time_head_lock(execute, sql, params, many, context):
        if "FOR UPDATE" not in sql:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waits.append((time.perf_counter() - started) * 1000)

    barrier.wait()
    times = []
    with connection.execute_wrapper(time_head_lock):
        for _ in range(appends):
            started = time.perf_counter()
            with transaction.atomic():
                record_append(obj=power, actor=actor, role="clerk", action=ReviewAction.SUBMIT,
                              from_state=ReviewState.DRAFT, to_state=ReviewState.DEPARTMENT_REVIEW)
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(think)
    connections.close_all()
    queue.put((times, waits))


def _run_processes(specs):
    """Start one forked process per (target, args) after closing the parent's connections."""
    connections.close_all()
    queue = CTX.Queue()
    barrier = CTX.Barrier(len(specs))
    procs = [CTX.Process(target=target, args=(barrier, queue, *args)) for target, args in specs]
    for p in procs:
        p.start()
    results = [queue.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    return results


def bench_latency(fixtures, appends, spread, think):
    if spread:
        chosen = [fixtures[i % len(fixtures)] for i in range(WRITERS)]
    else:
        chosen = [fixtures[0]] * WRITERS
    results = _run_processes([(_writer, (ids, actor_id, appends, think)) for _r, ids, actor_id in chosen])
    times = [t for r, _w in results for t in r]
    waits = [w for _r, ws in results for w in ws]
    return {"median": statistics.median(times), "p95": percentile(times, 0.95), "n": len(times),
            "wait_median": statistics.median(waits), "wait_p95": percentile(waits, 0.95),
            "regions": len({r for r, _i, _a in chosen})}


def _importer(barrier, queue, done, power_ids, actor_id):
    actor = User.objects.get(pk=actor_id)
    powers = list(Power.objects.filter(pk__in=power_ids).select_related("region", "department"))
    objs = [powers[i % len(powers)] for i in range(IMPORT_ROWS)]
    barrier.wait()
    durations = []
    for _ in range(IMPORTS):
        time.sleep(0.3)
        started = time.perf_counter()
        with transaction.atomic():
            record_append_many(objs=objs, actor=actor, role="clerk", action=ReviewAction.CREATE,
                               from_state="", to_state=ReviewState.DRAFT)
        durations.append((time.perf_counter() - started) * 1000)
    done.set()
    connections.close_all()
    queue.put(("import", durations))


def _reviewer(barrier, queue, done, power_ids, actor_id):
    """Appends one entry every 20 ms until the importer is done."""
    actor = User.objects.get(pk=actor_id)
    power = Power.objects.select_related("region", "department").get(pk=power_ids[0])
    barrier.wait()
    times = []
    while not done.is_set():
        started = time.perf_counter()
        with transaction.atomic():
            record_append(obj=power, actor=actor, role="department_reviewer", action=ReviewAction.APPROVE,
                          from_state=ReviewState.DEPARTMENT_REVIEW, to_state=ReviewState.OFFICE_REVIEW)
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.02)
    connections.close_all()
    queue.put(("review", times))


def bench_stall(fixtures):
    (_ra, import_ids, import_actor), (_rb, review_ids, review_actor) = fixtures[0], fixtures[-1]
    done = CTX.Event()
    results = dict(_run_processes([
        (_importer, (done, import_ids, import_actor)),
        (_reviewer, (done, review_ids, review_actor)),
    ]))
    reviews, imports = results["review"], results["import"]
    return {"stall": max(reviews), "median": statistics.median(reviews), "n": len(reviews),
            "import_ms": statistics.median(imports)}


def empty_record():
    tables = [ReviewLogEntry._meta.db_table, "powerlist_chainhead"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('powerlist_checkpoint') IS NOT NULL")
        if cursor.fetchone()[0]:
            tables.append("powerlist_checkpoint")
        cursor.execute(f"TRUNCATE {', '.join(tables)}")


def fill_record(fixtures, entries, batch=5000):
    """`entries` entries in transactions of `batch`, region after region."""
    actors = {a: User.objects.get(pk=a) for _r, _i, a in fixtures}
    powers = {p.pk: p for p in Power.objects.filter(
        pk__in=[i for _r, ids, _a in fixtures for i in ids]).select_related("region", "department")}
    written, turn = 0, 0
    while written < entries:
        _region, ids, actor_id = fixtures[turn % len(fixtures)]
        n = min(batch, entries - written)
        objs = [powers[ids[i % len(ids)]] for i in range(n)]
        with transaction.atomic():
            record_append_many(objs=objs, actor=actors[actor_id], role="clerk", action=ReviewAction.CREATE,
                               from_state="", to_state=ReviewState.DRAFT)
        written += n
        turn += 1
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ReviewLogEntry._meta.db_table}")


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def bench_verify(fixtures, entries):
    print(f"  filling the record with {entries:,} entries …")
    empty_record()
    _value, fill_s = timed(lambda: fill_record(fixtures, entries))
    result = {"entries": entries, "fill_s": fill_s}
    results, result["full_s"] = timed(lambda: verify(full=True))
    result["chains"] = len(results)
    result["full_ok"] = all(r[3] is None and not r[4] for r in results)
    if checkpoint is not None:
        _cps, result["checkpoint_s"] = timed(checkpoint)
        fill_record(fixtures, 2000, batch=100)
        results, result["from_checkpoint_s"] = timed(lambda: verify(full=False))
        result["from_checkpoint_checked"] = sum(r[2] for r in results)
        result["from_checkpoint_ok"] = all(r[3] is None and not r[4] for r in results)
    return result


def report(args, latency, stall, verification):
    import django as dj

    lines = [
        SECTION_START,
        "",
        f"### {CODE} — run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"`bench/record.py` on {connection.vendor} ({connection.settings_dict.get('NAME')}); Django "
        f"{dj.get_version()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, load average at the end "
        f"{os.getloadavg()[0]:.1f}. Writers are separate processes with their own connections; one append = one "
        "transaction (lock, insert, head update, commit).",
        "",
        "| measurement | result |",
        "|---|---|",
    ]
    for label, r in latency:
        lines.append(f"| append latency, {WRITERS} writers, {label} ({r['regions']} region(s), {r['n']} appends) "
                     f"| median **{r['median']:.1f} ms**, p95 **{r['p95']:.1f} ms**; of which waiting for the "
                     f"chain head: median {r['wait_median']:.1f} ms, p95 {r['wait_p95']:.1f} ms |")
    lines.append(f"| reviewer in another city during {IMPORTS} imports of {IMPORT_ROWS:,} entries "
                 f"(import {stall['import_ms']:.0f} ms each) | worst **{stall['stall']:.0f} ms** (stall), "
                 f"median {stall['median']:.1f} ms over {stall['n']} appends |")
    v = verification
    lines.append(f"| verify {v['entries']:,} entries in full ({v['chains']} chain(s)) | **{v['full_s']:.1f} s** "
                 f"({'intact' if v['full_ok'] else 'BROKEN'}) |")
    if "from_checkpoint_s" in v:
        lines.append(f"| write checkpoints of every chain (verifies since the previous checkpoint) "
                     f"| {v['checkpoint_s']:.1f} s |")
        lines.append(f"| verify from the last checkpoints ({v['from_checkpoint_checked']:,} entries after them) "
                     f"| **{v['from_checkpoint_s'] * 1000:.0f} ms** "
                     f"({'intact' if v['from_checkpoint_ok'] else 'BROKEN'}) |")
    else:
        lines.append("| verify from the last checkpoint | no checkpoints in this code |")
    lines.append(f"| (setup: {v['entries']:,} entries appended in bulk through the writer) | {v['fill_s']:.0f} s |")
    lines += ["", SECTION_END]
    return "\n".join(lines)


def write_section(path, section, keep_previous):
    """Put the run into the operation-record section of results.md, after the previous
    run of the other code when `keep_previous` (so before and after stand together)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Bench results\n"
    pattern = re.compile(re.escape(SECTION_START) + ".*?" + re.escape(SECTION_END), re.S)
    runs = pattern.findall(text)
    text = pattern.sub("", text).rstrip() + "\n"
    kept = [r for r in runs if keep_previous and CODE not in r]
    if "## Operation record" not in text:
        text += "\n## Operation record (bench/record.py)\n"
    text = text.rstrip() + "\n\n" + "\n\n".join([*kept, section]) + "\n"
    path.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--powers", type=int, default=20_000, help="Size of the province to generate when missing.")
    parser.add_argument("--appends", type=int, default=40, help="Appends per writer.")
    parser.add_argument("--entries", type=int, default=500_000, help="Entries to verify.")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--no-write", action="store_true", help="Print the figures only; leave results.md alone.")
    parser.add_argument("--replace", action="store_true",
                        help="Drop the results of the other code from the section instead of keeping them.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/record.py measures PostgreSQL's row locks: set DATABASE_URL to a PostgreSQL database")
    print(f"Database: {connection.settings_dict.get('NAME')}; code: {CODE}")
    ensure_data(args.powers)
    fixtures = region_fixtures()
    print(f"{len(fixtures)} regions with powers")
    latency = []
    for label, spread, think in (
        ("back to back, spread over regions", True, 0),
        ("back to back, all in one region", False, 0),
        ("one append per 50 ms each, spread over regions", True, 0.05),
        ("one append per 50 ms each, all in one region", False, 0.05),
    ):
        r = bench_latency(fixtures, args.appends, spread, think)
        print(f"  latency {label}: median {r['median']:.1f} ms, p95 {r['p95']:.1f} ms; head lock "
              f"median {r['wait_median']:.1f} ms, p95 {r['wait_p95']:.1f} ms")
        latency.append((label, r))
    stall = bench_stall(fixtures)
    print(f"  stall: {stall['stall']:.0f} ms (import {stall['import_ms']:.0f} ms)")
    if args.no_write and args.entries == 0:
        return
    verification = bench_verify(fixtures, args.entries)
    print(f"  verify: {verification}")
    if args.no_write:
        return
    section = report(args, latency, stall, verification)
    write_section(Path(args.output), section, keep_previous=not args.replace)
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
