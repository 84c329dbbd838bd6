"""Page benchmark at province scale: times the main list pages with Django's test
Client against a generated province (powerlist.demo.generate) and writes bench/results.md.

    make bench                                  # PostgreSQL powerportal_bench, 500,000 powers
    DATABASE_URL=... .venv/bin/python bench/run.py --powers 20000 --requests 10

The database is migrated, and the province generated when it is missing (the first
run at 500,000 powers takes about three minutes). Each page is requested a few
times to warm up, then `--requests` times; the report gives the median and the 95th
percentile in milliseconds, the SQL queries of one request and their time.
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/powerportal_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from powerlist.demo.generate import DEFAULT_REGION_CODE, generate_province  # noqa: E402
from powerlist.models import Power, Region, ReviewLogEntry, User  # noqa: E402

# Targets for a page of the portal under one user (median / p95, milliseconds).
TARGET_MEDIAN_MS = 300
TARGET_P95_MS = 500


def scenarios(province, city):
    """(label, username, url): the pages the issue names, as the users who open them."""
    p, c = province, city
    return [
        ("权力事项 /powers/ — 省经办人", f"g{p}-d01-clerk", "/powers/"),
        ("权力事项 /powers/ — 省部门审核人", f"g{p}-d01-reviewer", "/powers/"),
        ("权力事项 /powers/ — 省领导小组办公室", f"g{p}-office", "/powers/"),
        ("权力事项 /powers/ — 市领导小组办公室", f"g{c}-office", "/powers/"),
        ("权力事项 /powers/ — 市经办人", f"g{c}-d01-clerk", "/powers/"),
        ("搜索 /powers/?q=许可 — 省经办人", f"g{p}-d01-clerk", "/powers/?q=许可"),
        ("搜索 /powers/?q=许可 — 省领导小组办公室", f"g{p}-office", "/powers/?q=许可"),
        ("第100页 /powers/?page=100 — 省领导小组办公室", f"g{p}-office", "/powers/?page=100"),
        # Office lists show their own region by default; these ask for the regions below too.
        ("含下级 /powers/?include_lower=on — 省领导小组办公室", f"g{p}-office", "/powers/?include_lower=on"),
        ("含下级第100页 — 省领导小组办公室", f"g{p}-office", "/powers/?include_lower=on&page=100"),
        ("含下级搜索 ?q=许可 — 省领导小组办公室", f"g{p}-office", "/powers/?include_lower=on&q=许可"),
        ("目录 /powers/catalogue/ — 省经办人", f"g{p}-d01-clerk", "/powers/catalogue/"),
        ("工作台 /workspace/ — 省经办人", f"g{p}-d01-clerk", "/workspace/"),
        ("工作台 /workspace/ — 省领导小组办公室", f"g{p}-office", "/workspace/"),
        ("我的事项 /workspace/clerk/ — 省经办人", f"g{p}-d01-clerk", "/workspace/clerk/"),
        ("部门审核 /workspace/department-review/", f"g{p}-d01-reviewer", "/workspace/department-review/"),
        ("办公室审核 /workspace/office-review/ — 省", f"g{p}-office", "/workspace/office-review/"),
        ("办公室审核 /workspace/office-review/ — 市", f"g{c}-office", "/workspace/office-review/"),
        ("编委办确认 /workspace/establishment-confirmation/ — 省", f"g{p}-establishment",
         "/workspace/establishment-confirmation/"),
    ]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def measure(client, url, requests, warmup):
    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    # Each request empties connection.queries (request_started), so after one request
    # it holds exactly that request's queries.
    connection.force_debug_cursor = True
    client.get(url)
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": len(queries),
        "sql_ms": sql_ms,
        "slowest_sql": max(queries, key=lambda q: float(q["time"]), default=None),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--powers", type=int, default=500_000, help="Size of the province to generate when missing.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--region-code", default=DEFAULT_REGION_CODE)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--only", help="Run only the scenarios whose label contains this text.")
    args = parser.parse_args()

    vendor = connection.vendor
    print(f"Database: {vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
    province_code = args.region_code
    if not Region.objects.filter(code=province_code).exists():
        print(f"Generating {args.powers} powers (seed {args.seed}) …")
        started = time.monotonic()
        stats = generate_province(powers=args.powers, seed=args.seed, region_code=province_code)
        print(f"  generated {stats.powers} powers in {time.monotonic() - started:.0f}s")
    province = Region.objects.get(code=province_code)
    city = Region.objects.filter(parent=province).order_by("code").first()
    total_powers = Power.objects.count()
    print(f"{total_powers} powers, {ReviewLogEntry.objects.count()} review-log entries")

    rows = []
    for label, username, url in scenarios(province.code, city.code):
        if args.only and args.only not in label:
            continue
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        result = measure(client, url, args.requests, args.warmup)
        ok = result["median"] <= TARGET_MEDIAN_MS and result["p95"] <= TARGET_P95_MS
        rows.append((label, username, url, result, ok))
        print(f"{'ok ' if ok else 'SLOW'} {result['median']:8.1f} {result['p95']:8.1f} ms "
              f"{result['queries']:3d} q {result['sql_ms']:8.1f} ms SQL  {label}")
    write_report(args, rows, total_powers, vendor)
    print(f"Wrote {args.output}")


def write_report(args, rows, total_powers, vendor):
    import django as dj

    lines = [
        "# Bench results",
        "",
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {vendor} "
        f"({connection.settings_dict.get('NAME')}), {total_powers:,} powers; "
        f"Django {dj.get_version()}, Python {platform.python_version()}, {os.cpu_count()} CPUs. "
        f"{args.requests} timed requests per page after {args.warmup} warm-up requests, "
        f"Django test Client in-process (no network, no static files), DEBUG={os.environ.get('DEBUG')}; "
        f"load average at the end {os.getloadavg()[0]:.1f} (other work on the machine inflates the times).",
        "",
        f"Target: median ≤ {TARGET_MEDIAN_MS} ms and p95 ≤ {TARGET_P95_MS} ms per page.",
        "",
        "| page | user | median ms | p95 ms | queries | SQL ms (one request) | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for label, username, _url, r, ok in rows:
        lines.append(
            f"| {label} | `{username}` | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} | "
            f"{r['sql_ms']:.1f} | {'met' if ok else '**missed**'} |"
        )
    slow = [(label, r) for label, _u, _url, r, ok in rows if not ok]
    if slow:
        lines += ["", "## Slowest query of each page that missed the target", ""]
        for label, r in slow:
            q = r["slowest_sql"]
            if q:
                lines += [f"**{label}** ({float(q['time']) * 1000:.0f} ms):", "", "```sql", q["sql"][:1500], "```", ""]
    Path(args.output).write_text("\n".join(lines) + "\n" + _other_sections(Path(args.output)), encoding="utf-8")


def _other_sections(path):
    """The sections other benches wrote into the same file (## Operation record …),
    kept as they are: this bench rewrites only the page table at the top."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    own = "## Slowest query of each page that missed the target"
    for start in (i for i in range(len(text)) if text.startswith("\n## ", i)):
        if not text.startswith(own, start + 1):
            return text[start:]
    return ""


if __name__ == "__main__":
    main()
