"""E-supervision benchmark on PostgreSQL: event intake through the API (with the alert
evaluation), the beat scan, and the board and case list at volume.

    createdb -h 127.0.0.1 -U postgres sup_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sup_bench .venv/bin/python bench/supervision.py \
        --cases 100000 --events-per-case 10

1. The database is migrated and seeded with the demo (the province 发展改革委, its confirmed
   powers and flowcharts, the calendar) when empty.
2. Intake: `--intake-cases` cases of 9 events each (received, accepted, three steps started
   and finished, decided) are POSTed to /api/v1/supervision/events/ in batches of 500
   through Django's test client (the whole stack but the network), then the same number
   one event per request. Each event is validated, stored, its case derived again from all
   its events and the alert rules run, as in production.
3. Volume: `--cases` cases with `--events-per-case` events are bulk-inserted (bulk_create,
   not through intake), a fifth of them open (received in the last 45 days) with
   next_check_on spread over the next 30 days, the rest closed over two years.
4. Beat scan: `cases_scan` for today (the cases whose next check day has come, found by
   the partial index), then with every open case due (the worst day: a full pass).
5. The board and the case list as the province supervisor: 20 requests each, median and
   p95, and the number of queries.
Results are printed and written into the "E-supervision" section of bench/results.md.
"""

import argparse
import datetime as dt
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sup_bench")

import django  # noqa: E402

django.setup()

from io import StringIO  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from powerlist.catalogue.models import Power  # noqa: E402
from powerlist.org.models import Department, User  # noqa: E402
from supervision.models import Case, CaseEvent, CaseState, CaseSystem  # noqa: E402
from supervision.services.cases import cases_scan  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
START, END = "<!-- supervision bench: start -->", "<!-- supervision bench: end -->"


def setup():
    call_command("migrate", verbosity=0)
    if not Department.objects.filter(region__code="210000", name="发展改革委").exists():
        call_command("seed_demo", "--password", "bench-pass-2026", "--force", stdout=StringIO())
    department = Department.objects.get(region__code="210000", name="发展改革委")
    system = CaseSystem.objects.get(code="demo-fgw-approval")
    token = Token.objects.get(user=system.service_user).key
    powers = list(Power.objects.filter(department=department, in_force__isnull=False,
                                       flowchart__in_force__isnull=False, statutory_limit_days__lte=30,
                                       promised_limit_days__isnull=False).select_related("flowchart__in_force"))
    return department, system, token, powers


def case_events(prefix, number, power, start):
    steps = [s["name"] for s in power.flowchart.in_force.data["content"]["steps"]][1:4]

    def at(hours):
        return (start + dt.timedelta(hours=hours)).isoformat()

    events = [{"event_id": f"{prefix}{number}-r", "kind": "received", "case": f"{prefix}{number}",
               "power": power.code, "occurred_at": at(0), "applicant": {"name": "某某公司"}},
              {"event_id": f"{prefix}{number}-a", "kind": "accepted", "case": f"{prefix}{number}", "occurred_at": at(1)}]
    for i, step in enumerate(steps):
        events.append({"event_id": f"{prefix}{number}-s{i}", "kind": "step_started", "case": f"{prefix}{number}",
                       "occurred_at": at(2 + 20 * i), "step": step, "person": "经办人"})
        events.append({"event_id": f"{prefix}{number}-f{i}", "kind": "step_finished", "case": f"{prefix}{number}",
                       "occurred_at": at(10 + 20 * i), "step": step, "person": "经办人"})
    events.append({"event_id": f"{prefix}{number}-d", "kind": "decided", "case": f"{prefix}{number}",
                   "occurred_at": at(70)})
    return events


def intake(token, powers, cases, *, batch):
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    tag = f"B{batch}-{int(time.time())}-"
    start = timezone.now() - dt.timedelta(days=8)
    events = [e for n in range(cases) for e in case_events(tag, n, powers[n % len(powers)], start)]
    began = time.perf_counter()
    for i in range(0, len(events), batch):
        chunk = events[i:i + batch]
        body = {"events": chunk} if batch > 1 else chunk[0]
        response = client.post("/api/v1/supervision/events/", body, content_type="application/json")
        assert response.status_code == 200, response.content[:500]
    seconds = time.perf_counter() - began
    return len(events), seconds


def volume(department, system, powers, cases, per_case):
    """Bulk-insert cases and events (not through intake): a fifth open, next checks spread."""
    existing = Case.objects.filter(number__startswith="V-").count()
    if existing >= cases:
        return existing, CaseEvent.objects.filter(case__number__startswith="V-").count(), 0.0
    began = time.perf_counter()
    today = timezone.localdate()
    rnd = random.Random(7)
    chunk = 5000
    for lo in range(existing, cases, chunk):
        rows = []
        for n in range(lo, min(cases, lo + chunk)):
            power = powers[n % len(powers)]
            is_open = n % 5 == 0
            # Open cases are young (within their limits' reach); closed ones span two years.
            received = timezone.now() - dt.timedelta(days=rnd.randint(1, 45 if is_open else 700))
            rows.append(Case(
                system=system, region_id=department.region_id, department=department, power=power,
                power_revision_id=power.in_force_id, flowchart_revision_id=power.flowchart.in_force_id,
                number=f"V-{n}", received_at=received, statutory_days=power.statutory_limit_days,
                promised_days=power.promised_limit_days,
                state=CaseState.ACCEPTED if is_open else CaseState.DECIDED,
                decided_at=None if is_open else received + dt.timedelta(days=rnd.randint(1, 25)),
                on_time=None if is_open else rnd.random() < 0.9,
                promised_due=today + dt.timedelta(days=rnd.randint(-5, 30)),
                statutory_due=today + dt.timedelta(days=rnd.randint(0, 40)),
                next_check_on=today + dt.timedelta(days=rnd.randint(0, 30)) if is_open else None,
            ))
        made = Case.objects.bulk_create(rows, batch_size=chunk)
        events = []
        for case in made:
            for k in range(per_case):
                events.append(CaseEvent(case=case, system=system, event_id=f"{case.number}-{k}",
                                        kind="step_started" if k else "received",
                                        occurred_at=case.received_at + dt.timedelta(hours=k),
                                        digest="0" * 64, payload={}))
        CaseEvent.objects.bulk_create(events, batch_size=chunk)
    seconds = time.perf_counter() - began
    return cases, CaseEvent.objects.filter(case__number__startswith="V-").count(), seconds


def timed_pages(department):
    supervisor = User.objects.get(username="supervisor")
    client = Client()
    client.force_login(supervisor)
    out = {}
    for url in ("/supervision/", "/supervision/cases/", "/supervision/alerts/"):
        client.get(url)
        times = []
        for _ in range(20):
            began = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        times.sort()
        out[url] = (statistics.median(times), times[int(len(times) * 0.95) - 1], len(ctx))
    return out


def write_results(text):
    body = RESULTS.read_text() if RESULTS.exists() else ""
    section = f"{START}\n{text}\n{END}"
    if START in body:
        body = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: section, body, flags=re.S)
    else:
        body = body.rstrip() + "\n\n## E-supervision (bench/supervision.py)\n\n" + section + "\n"
    RESULTS.write_text(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--events-per-case", type=int, default=8)
    parser.add_argument("--intake-cases", type=int, default=1000)
    args = parser.parse_args()
    settings.API_THROTTLE_ENABLED = False
    settings.DEBUG = False  # no query log in memory
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    department, system, token, powers = setup()
    lines = []

    def say(line):
        print(line, flush=True)
        lines.append(line)

    n, s = intake(token, powers, args.intake_cases, batch=500)
    say(f"- intake, batches of 500: {n:,} events in {s:.1f} s = **{n / s:,.0f} events/s** "
        f"({args.intake_cases:,} cases of 9 events, alert rules evaluated)")
    single = max(args.intake_cases // 10, 10)
    n, s = intake(token, powers, single, batch=1)
    say(f"- intake, one event per request: {n:,} events in {s:.1f} s = **{n / s:,.0f} events/s**")
    cases, events, s = volume(department, system, powers, args.cases, args.events_per_case)
    say(f"- volume: {cases:,} bulk cases, {events:,} bulk events (inserted in {s:.0f} s); "
        f"table sizes: cases {Case.objects.count():,}, events {CaseEvent.objects.count():,}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE supervision_case; ANALYZE supervision_caseevent")
        cursor.execute("EXPLAIN SELECT id FROM supervision_case WHERE state IN ('received','accepted') "
                       "AND next_check_on <= CURRENT_DATE ORDER BY next_check_on, id")
        plan = " / ".join(row[0].strip() for row in cursor.fetchall()[:3])
    say(f"- the scan's query plan: `{plan}`")
    today = timezone.localdate()
    due_today = Case.objects.filter(state__in=["received", "accepted"], next_check_on__lte=today).count()
    began = time.perf_counter()
    result = cases_scan(today=today)
    s = time.perf_counter() - began
    say(f"- beat scan, today's due cases: {result['checked']:,} of {due_today:,} due checked, "
        f"{result['raised']:,} alerts raised in **{s:.1f} s** ({result['checked'] / max(s, 1e-9):,.0f} cases/s)")
    Case.objects.filter(state__in=["received", "accepted"]).update(next_check_on=today)
    open_cases = Case.objects.filter(state__in=["received", "accepted"]).count()
    began = time.perf_counter()
    result = cases_scan(today=today)
    s = time.perf_counter() - began
    say(f"- beat scan, every open case due (worst day): {result['checked']:,} of {open_cases:,} open cases in **{s:.1f} s** "
        f"({result['checked'] / max(s, 1e-9):,.0f} cases/s); {result['raised']:,} alerts raised")
    for url, (median, p95, queries) in timed_pages(department).items():
        say(f"- {url} as the province supervisor: median {median:.0f} ms, p95 **{p95:.0f} ms**, {queries} queries")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    header = (f"PostgreSQL (sup_bench), Django {django.get_version()}, Python {platform.python_version()}, "
              f"{os.cpu_count()} CPUs shared with other work, load average at the end {load:.1f}; "
              f"{dt.date.today().isoformat()}.")
    write_results(header + "\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
