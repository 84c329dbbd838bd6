"""E-supervision benchmark on PostgreSQL: event intake through the API (with the alert
evaluation), the beat scan, and the board and case list at volume.

    createdb -h 127.0.0.1 -U postgres sup_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sup_bench .venv/bin/python bench/supervision.py \
        --cases 1000000 --events-per-case 10

1. The database is migrated and seeded with the demo (the province 发展改革委, its confirmed
   powers and flowcharts, the calendar) when empty.
2. Intake: `--intake-cases` cases of 9 events each (received, accepted, three steps started
   and finished, decided) are POSTed to /api/v1/supervision/events/ in batches of 500
   through Django's test client (the whole stack but the network), then the same number
   one event per request. Each event is validated, stored, its case derived again from all
   its events and the alert rules run, as in production.
3. Volume: up to `--cases` synthetic cases with `--events-per-case` events each, added
   set-wise by `manage.py supervision_volume` (INSERT … SELECT generate_series into the
   monthly partitions, with their idempotency keys): a fifth open (received in the last 45
   days), the rest decided over two years. The query plans of the scan and of the
   board's overdue list are printed.
4. Beat scan: `cases_scan` for today (the cases whose next check day has come, found by
   the partial index); then the worst day in two parts: raising, with `--worst-day-sample`
   open cases all due (alerts/s, each with its operation-record entry and notice), and
   reading and checking every open case (the other cases' due alerts counted as raised
   on earlier days: the synthetic open cases are mostly past their limits, and raising
   hundreds of thousands of alerts in one pass is the raising rate times their number).
5. The board rollup is rebuilt, then the board, the case list (all and one state) and
   the alert list are requested as the province supervisor: 20 requests each, median
   and p95, and the number of queries; and the board once more aggregated live.
6. Events on cases already received: one `extended` event on each of `--existing-cases`
   open synthetic cases (the first event since they were generated, so derived from all
   their events), then a second on the same cases (applied to the state the first stored),
   with their CPU seconds; `--only-existing` measures only this, without writing
   bench/results.md (`--no-state`: only cases not backfilled yet; `--late`: the first event
   out of order, dated before the last event of the case's stored state; both derived in full).
Results are printed and written into the "E-supervision" section of bench/results.md.
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
from supervision.models import BoardFact, Case, CaseEvent, CaseEventKey, CaseSchedule, CaseSystem  # noqa: E402
from supervision.services.board import board_rollup_refresh  # noqa: E402
from supervision.services.cases import cases_scan  # noqa: E402

from bench.cpu import cpu_now  # noqa: E402

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


def intake_existing(token, cases, *, batch=500, again=False, no_state=False, late=False):
    """Events on cases already received: one `extended` event on each of `cases` open
    synthetic cases not extended yet (`again`: a second one on the cases of the last such
    run), in batches of 500, dated now, so later than their other events except the few
    cases whose synthetic events run into the future. `no_state`: only cases without a
    stored timeline state (not backfilled yet), each derived in full; `late`: only cases
    with a stored state, each event dated a minute before the last event it holds (out of
    order, so derived in full too). Returns (events, seconds, the CPU seconds of this
    process and its database backend, the number of those cases whose stored timeline
    state was resumable)."""
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    tag = f"X{int(time.time())}"
    found = Case.objects.filter(number__startswith="V-", state="accepted")
    found = found.filter(extended_days=5, timeline_state__isnull=False) if again else found.filter(extended_days=0)
    if no_state:
        found = found.filter(timeline_state__isnull=True)
    if late:
        found = found.filter(timeline_state__isnull=False)
    rows = list(found.order_by("id").values_list("number", "timeline_state")[:cases])
    now = timezone.now() - dt.timedelta(minutes=1)

    def when(state):
        last = state and state["last"][0] and dt.datetime.fromisoformat(state["last"][0])
        return (min(last - dt.timedelta(minutes=1), now) if late and last else now).isoformat()

    resumable = 0 if late else sum(1 for _number, state in rows if state)
    events = [{"event_id": f"{tag}-{number}", "kind": "extended", "case": number, "occurred_at": when(state),
               "days": 5, "approver": "王局长", "ground": "需现场核查"} for number, state in rows]
    began, cpu = time.perf_counter(), cpu_now()
    for i in range(0, len(events), batch):
        response = client.post("/api/v1/supervision/events/", {"events": events[i:i + batch]},
                               content_type="application/json")
        assert response.status_code == 200, response.content[:500]
    return len(events), time.perf_counter() - began, cpu_now() - cpu, resumable


def volume(cases, per_case):
    """Cases and events set-wise (manage.py supervision_volume: INSERT … SELECT
    generate_series into the monthly partitions, with the idempotency keys), up to
    `cases` synthetic cases."""
    existing = Case.objects.filter(number__startswith="V-").count()
    began = time.perf_counter()
    if existing < cases:
        call_command("supervision_volume", cases=cases - existing, events_per_case=per_case, stdout=StringIO())
    return cases, time.perf_counter() - began


def explain(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return " / ".join(row[0].strip() for row in cursor.fetchall()[:4])


def timed_pages(urls, requests=20):
    supervisor = User.objects.get(username="supervisor")
    client = Client()
    client.force_login(supervisor)
    out = {}
    for url in urls:
        client.get(url)
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        times.sort()
        out[url] = (statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], len(ctx))
    return out


def write_results(text):
    body = RESULTS.read_text() if RESULTS.exists() else ""
    section = f"{START}\n{text}\n{END}"
    if START in body:
        body = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: section, body, flags=re.S)
    else:
        body = body.rstrip() + "\n\n## E-supervision (bench/supervision.py)\n\n" + section + "\n"
    RESULTS.write_text(body)


def existing(token, cases, say, *, no_state=False, late=False):
    load = os.getloadavg()[0]
    n, s, cpu, resumed = intake_existing(token, cases, no_state=no_state, late=late)
    how = " dated before the last event each case's state holds (out of order)" if late else ""
    say(f"- intake, events on cases already received (one `extended` event{how} on each of {n:,} open synthetic "
        f"cases, batches of 500; {resumed:,} of them resumable from a stored timeline state): {n:,} events in {s:.1f} s = "
        f"**{n / s:,.0f} events/s**, CPU {cpu:.1f} s (this process and its database backend) = "
        f"{n / cpu:,.0f} events per CPU second; load average {load:.1f} → {os.getloadavg()[0]:.1f}")
    load = os.getloadavg()[0]
    n, s, cpu, resumed = intake_existing(token, cases, again=True)
    say(f"- the same, a second event on those cases ({resumed:,} with the state the first one stored): "
        f"{n:,} events in {s:.1f} s = **{n / s:,.0f} events/s**, CPU {cpu:.1f} s = {n / cpu:,.0f} events per "
        f"CPU second; load average {load:.1f} → {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--events-per-case", type=int, default=10)
    parser.add_argument("--intake-cases", type=int, default=1000)
    parser.add_argument("--worst-day-sample", type=int, default=5000)
    parser.add_argument("--existing-cases", type=int, default=2000,
                        help="Open synthetic cases given one event each (and then a second).")
    parser.add_argument("--only-existing", action="store_true",
                        help="Measure only the events on cases already received (the volume must exist); "
                             "print, do not write bench/results.md.")
    parser.add_argument("--no-state", action="store_true",
                        help="With --only-existing: only cases without a stored timeline state (full derivation).")
    parser.add_argument("--late", action="store_true",
                        help="With --only-existing: only cases with a stored state, the first event dated before "
                             "the last one it holds (out of order: full derivation).")
    args = parser.parse_args()
    settings.API_THROTTLE_ENABLED = False
    settings.DEBUG = False  # no query log in memory
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    department, system, token, powers = setup()
    lines = []

    def say(line):
        print(line, flush=True)
        lines.append(line)

    if args.only_existing:
        existing(token, args.existing_cases, say, no_state=args.no_state, late=args.late)
        return
    n, s = intake(token, powers, args.intake_cases, batch=500)
    say(f"- intake, batches of 500: {n:,} events in {s:.1f} s = **{n / s:,.0f} events/s** "
        f"({args.intake_cases:,} cases of 9 events, alert rules evaluated)")
    single = max(args.intake_cases // 10, 10)
    n, s = intake(token, powers, single, batch=1)
    say(f"- intake, one event per request: {n:,} events in {s:.1f} s = **{n / s:,.0f} events/s**")
    cases, s = volume(args.cases, args.events_per_case)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE supervision_case; ANALYZE supervision_caseschedule; ANALYZE supervision_caseevent; ANALYZE supervision_caseeventkey")
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'supervision_caseevent'::regclass")
        partitions = cursor.fetchone()[0]
    say(f"- volume: {Case.objects.count():,} cases, {CaseEvent.objects.count():,} events in {partitions} "
        f"partitions, {CaseEventKey.objects.count():,} idempotency keys (this run added up to {cases:,} "
        f"synthetic cases in {s:.0f} s); load average {os.getloadavg()[0]:.1f}")
    say("- the scan's query plan: `" + explain(
        "SELECT s.case_id FROM supervision_caseschedule s JOIN supervision_case c ON c.id = s.case_id "
        "WHERE c.state IN ('received','accepted') AND s.next_check_on <= CURRENT_DATE "
        "ORDER BY s.next_check_on, s.case_id") + "`")
    say("- the board's overdue list: `" + explain(
        "SELECT id FROM supervision_case WHERE state IN ('received','accepted') AND "
        "(promised_due < CURRENT_DATE OR statutory_due < CURRENT_DATE) ORDER BY promised_due, id LIMIT 20") + "`")
    today = timezone.localdate()
    due_today = Case.objects.filter(state__in=["received", "accepted"], schedule__next_check_on__lte=today).count()
    began = time.perf_counter()
    result = cases_scan(today=today)
    s = time.perf_counter() - began
    say(f"- beat scan, today's due cases: {result['checked']:,} of {due_today:,} due checked, "
        f"{result['raised']:,} alerts raised in **{s:.1f} s** ({result['checked'] / max(s, 1e-9):,.0f} cases/s); "
        f"load average {os.getloadavg()[0]:.1f}")
    # The worst day, in two measured parts (the synthetic open cases are mostly past their
    # limits, so raising every due alert at once would be hundreds of thousands of alerts):
    # raising, on a sample of open cases all due today; then reading and checking every
    # open case, the others' due alerts counted as raised on earlier days.
    sample = list(Case.objects.filter(state__in=["received", "accepted"]).exclude(schedule__time_checks=[])
                  .order_by("id").values_list("id", flat=True)[:args.worst_day_sample])
    CaseSchedule.objects.filter(case_id__in=sample).update(next_check_on=today)
    began = time.perf_counter()
    result = cases_scan(today=today)
    s = time.perf_counter() - began
    say(f"- beat scan, raising: {result['checked']:,} open cases all due, **{result['raised']:,} alerts raised in "
        f"{s:.1f} s** ({result['raised'] / max(s, 1e-9):,.0f} alerts/s, each with its operation-record entry "
        f"and notice); load average {os.getloadavg()[0]:.1f}")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE supervision_caseschedule s SET time_checks = coalesce((SELECT jsonb_agg(c) FROM "
                       "jsonb_array_elements(s.time_checks) c WHERE (c->>'from')::date > %s), '[]'::jsonb), "
                       "next_check_on = %s FROM supervision_case k WHERE k.id = s.case_id "
                       "AND k.state IN ('received', 'accepted') AND s.time_checks IS NOT NULL",
                       [today, today])
    open_cases = Case.objects.filter(state__in=["received", "accepted"]).count()
    began = time.perf_counter()
    result = cases_scan(today=today)
    s = time.perf_counter() - began
    say(f"- beat scan, every open case due (worst day: each read and checked): {result['checked']:,} of "
        f"{open_cases:,} open cases in **{s:.1f} s** ({result['checked'] / max(s, 1e-9):,.0f} cases/s), "
        f"{result['raised']:,} alerts raised; load average {os.getloadavg()[0]:.1f}")
    began = time.perf_counter()
    rows = board_rollup_refresh()
    say(f"- board rollup rebuilt: {rows:,} rows in {time.perf_counter() - began:.1f} s "
        f"(beat every 5 minutes and after the scan)")
    for url, (median, p95, queries) in timed_pages(("/supervision/", "/supervision/cases/",
                                                    "/supervision/cases/?state=accepted",
                                                    "/supervision/alerts/")).items():
        say(f"- {url} as the province supervisor: median {median:.0f} ms, p95 **{p95:.0f} ms**, {queries} queries; "
            f"load average {os.getloadavg()[0]:.1f}")
    BoardFact.objects.all().delete()
    for url, (median, p95, queries) in timed_pages(("/supervision/",), requests=3).items():
        say(f"- for comparison, the board aggregated live (no rollup): median {median:.0f} ms, "
            f"p95 {p95:.0f} ms, {queries} queries")
    board_rollup_refresh()
    # Last: the extensions push some cases' due dates into a year the calendar may not
    # hold, which the scan then derives from their events (a slower sample above).
    existing(token, args.existing_cases, say)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    header = (f"PostgreSQL ({connection.settings_dict['NAME']}), Django {django.get_version()}, Python {platform.python_version()}, "
              f"{os.cpu_count()} CPUs shared with other work, load average at the end {load:.1f}; "
              f"{dt.date.today().isoformat()}.")
    write_results(header + "\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
