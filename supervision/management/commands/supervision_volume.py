"""Add synthetic cases and their events for benchmarks (PostgreSQL only):

    manage.py supervision_volume --cases 1000000 --events-per-case 10

The cases belong to a department's approval system (default: the demo's
`demo-fgw-approval`, so run seed_demo first) and are spread over its confirmed powers
that have a flowchart in force. A fifth are open (received in the last 45 days,
accepted, with their next check day spread over the next 30 days), the rest decided
within the last two years (nine in ten on time). Each case gets `--events-per-case`
events (received, accepted, the flowchart's steps started and finished, and for closed
cases decided and delivered), each with its idempotency key, written set-wise by
`INSERT … SELECT … generate_series` in chunks of `--chunk` cases, one transaction each,
into the monthly partitions (created first for the two years). Case numbers are
`V-<n>`; a second run adds after the last one. The derived fields of the open cases are
only approximate (and they have no stored timeline state): the beat scan derives them
from their events, as the intake does at their next event.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from powerlist.catalogue.models import Power
from supervision.models import CaseSystem
from supervision.partitions import event_partitions_ensure

OPEN_EVERY = 5  # one case in five is open
# The open synthetic cases' planned time alerts (CaseSchedule.time_checks, as rules.time_checks
# plans them: the prompt the working day before the promised due date (holidays not
# counted here), the yellow card the day after it, the red card the day after the
# statutory due date), so the scan serves them as it serves real ones.
PLAN_SQL = """
UPDATE supervision_caseschedule AS s SET time_checks = jsonb_build_array(
    jsonb_build_object('rule', 'promised_soon', 'kind', 'prompt', 'step_key', '', 'step_name', c.current_step_name,
        'post_id', NULL, 'post_name', '', 'person', c.handler_name, 'due_on', c.promised_due::text,
        'message', '办件 ' || c.number || ' 的承诺时限将于 ' || c.promised_due || ' 到期。',
        'from', (c.promised_due - CASE extract(isodow FROM c.promised_due) WHEN 1 THEN 3 WHEN 7 THEN 2 ELSE 1 END)::text,
        'until', c.promised_due::text),
    jsonb_build_object('rule', 'promised_over', 'kind', 'yellow', 'step_key', '', 'step_name', c.current_step_name,
        'post_id', NULL, 'post_name', '', 'person', c.handler_name, 'due_on', c.promised_due::text,
        'message', '办件 ' || c.number || ' 超过承诺时限(' || c.promised_due || ' 到期)。',
        'from', (c.promised_due + 1)::text, 'until', NULL),
    jsonb_build_object('rule', 'statutory_over', 'kind', 'red', 'step_key', '', 'step_name', c.current_step_name,
        'post_id', NULL, 'post_name', '', 'person', c.handler_name, 'due_on', c.statutory_due::text,
        'message', '办件 ' || c.number || ' 超过法定时限(' || c.statutory_due || ' 到期)。',
        'from', (c.statutory_due + 1)::text, 'until', NULL))
FROM supervision_case AS c
WHERE c.id = s.case_id AND c.state IN ('received', 'accepted') AND s.time_checks IS NULL
  AND c.number ~ '^V-[0-9]+$'
"""
OPEN_DAYS, CLOSED_DAYS = 45, 730


class Command(BaseCommand):
    help = "Add synthetic cases and events (set-wise SQL, PostgreSQL only) for the e-supervision benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--events-per-case", type=int, default=10)
        parser.add_argument("--system", default="demo-fgw-approval", help="The CaseSystem code.")
        parser.add_argument("--chunk", type=int, default=100_000, help="Cases per transaction.")

    def handle(self, *args, cases, events_per_case, system, chunk, **options):
        if connection.vendor != "postgresql":
            raise CommandError("supervision_volume writes with PostgreSQL's generate_series: PostgreSQL only.")
        if cases < 0 or not 2 <= events_per_case <= 40:
            raise CommandError("--events-per-case must be between 2 and 40.")
        found = CaseSystem.objects.filter(code=system).select_related("department").first()
        if found is None:
            raise CommandError(f"No approval system with the code {system!r} (run seed_demo first).")
        powers = self._powers(found.department)
        if not powers:
            raise CommandError(f"{found.department} has no confirmed power with a flowchart in force.")
        today = timezone.localdate()
        event_partitions_ensure(since=today - datetime.timedelta(days=CLOSED_DAYS + 1))
        began = time.perf_counter()
        start = self._next_number()
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS volume_power (idx int PRIMARY KEY, power_id bigint, "
                           "region_id bigint, department_id bigint, revision_id bigint, flowchart_revision_id bigint, "
                           "statutory int, promised int, step_keys text[], step_names text[])")
            cursor.execute("TRUNCATE volume_power")
            cursor.executemany("INSERT INTO volume_power VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                               [(i, *p) for i, p in enumerate(powers)])
        done = 0
        while done < cases:  # --cases 0: only plan the open cases' time checks
            n = min(chunk, cases - done)
            with transaction.atomic(), connection.cursor() as cursor:
                # The rows are consistent by construction: skip the per-row foreign-key
                # triggers of this bulk load (a superuser's setting, for this transaction only).
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL jit = off")
                self._chunk(cursor, found, start + done, n, len(powers), events_per_case, today)
            done += n
            self.stdout.write(f"{done:,} cases, {done * events_per_case:,} events "
                              f"({time.perf_counter() - began:.0f} s)")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(PLAN_SQL)
            self.stdout.write(f"{cursor.rowcount:,} open cases got their planned time checks "
                              f"({time.perf_counter() - began:.0f} s)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE supervision_case")
            cursor.execute("ANALYZE supervision_caseevent")
            cursor.execute("ANALYZE supervision_caseeventkey")
        self.stdout.write(self.style.SUCCESS(
            f"Added {cases:,} cases and {cases * events_per_case:,} events in {time.perf_counter() - began:.0f} s."))

    def _powers(self, department):
        rows = []
        for power in (Power.objects.filter(department=department, in_force__isnull=False,
                                           flowchart__in_force__isnull=False)
                      .select_related("in_force", "flowchart__in_force").order_by("id")):
            steps = [s for s in (power.flowchart.in_force.data or {}).get("content", {}).get("steps", [])][1:]
            if not steps:
                continue
            data = power.in_force.data or {}
            rows.append((power.pk, power.region_id, power.department_id, power.in_force_id,
                         power.flowchart.in_force_id,
                         data.get("statutory_limit_days", power.statutory_limit_days) or 20,
                         data.get("promised_limit_days", power.promised_limit_days) or 10,
                         [str(s["key"]) for s in steps], [s.get("name") or "" for s in steps]))
        return rows

    def _next_number(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(substr(number, 3)::bigint) + 1, 0) FROM supervision_case "
                           "WHERE number ~ '^V-[0-9]+$'")
            return cursor.fetchone()[0]

    def _chunk(self, cursor, system, first, n, powers, per_case, today):
        cursor.execute("SELECT coalesce(max(id), 0) FROM supervision_case")
        before = cursor.fetchone()[0]
        # Cases: g is the case's number; its power, openness and dates follow from g.
        cursor.execute(
            """
            INSERT INTO supervision_case (
                system_id, source, region_id, department_id, power_id, power_revision_id, flowchart_revision_id,
                number, applicant_name, applicant_id_number, applicant_phone, online, state, received_at,
                accepted_at, decided_at, delivered_at, statutory_days, promised_days, extended_days, suspended_days,
                statutory_due, promised_due, due_is_estimate, current_step_key, current_step_name, current_step_due,
                handler_name, on_time, first_event_at, created_at, updated_at)
            SELECT %(system)s, 'system', p.region_id, p.department_id, p.power_id, p.revision_id,
                   p.flowchart_revision_id, 'V-' || g, '某某有限公司', '', '', true,
                   CASE WHEN g %% %(open)s = 0 THEN 'accepted' ELSE 'decided' END, r.at, r.at + interval '1 hour',
                   CASE WHEN g %% %(open)s = 0 THEN NULL ELSE r.at + (8 + g %% 17) * interval '1 day' END,
                   CASE WHEN g %% %(open)s = 0 THEN NULL ELSE r.at + (9 + g %% 17) * interval '1 day' END,
                   p.statutory, p.promised, 0, 0,
                   (r.at + p.statutory * interval '1.4 day')::date, (r.at + p.promised * interval '1.4 day')::date,
                   false, CASE WHEN g %% %(open)s = 0 THEN p.step_keys[1] ELSE '' END,
                   CASE WHEN g %% %(open)s = 0 THEN p.step_names[1] ELSE '' END, NULL, '经办人',
                   CASE WHEN g %% %(open)s = 0 THEN NULL ELSE g %% 10 <> 3 END, r.at, now(), now()
            FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
            JOIN volume_power p ON p.idx = g %% %(powers)s
            CROSS JOIN LATERAL (SELECT now() - (1 + (g * 7919) %% CASE WHEN g %% %(open)s = 0
                                 THEN %(open_days)s ELSE %(closed_days)s END) * interval '1 day'
                                 - (g %% 480) * interval '1 minute' AS at) AS r
            """,
            {"system": system.pk, "open": OPEN_EVERY, "today": today, "first": first, "last": first + n - 1,
             "powers": powers, "open_days": OPEN_DAYS, "closed_days": CLOSED_DAYS},
        )
        # The open cases' next check days (their schedules; the plans follow, PLAN_SQL).
        cursor.execute(
            """
            INSERT INTO supervision_caseschedule (case_id, next_check_on)
            SELECT id, %(today)s::date + (substring(number FROM 3)::bigint %% 31)::int FROM supervision_case
            WHERE id > %(before)s AND system_id = %(system)s AND state = 'accepted'
            """,
            {"today": today, "before": before, "system": system.pk},
        )
        # Events: k = 0 received, 1 accepted, then steps started and finished in turn; a
        # closed case ends with decided and delivered. Every 5 hours (closed: spread to the decision).
        cursor.execute(
            """
            WITH stored AS (
            INSERT INTO supervision_caseevent (event_id, kind, occurred_at, step_key, step_name, person, payload,
                                               digest, received_at, case_id, recorded_by_id, system_id)
            SELECT c.number || '-' || k,
                   CASE WHEN k = 0 THEN 'received' WHEN k = 1 THEN 'accepted'
                        WHEN c.state = 'decided' AND k = %(per)s - 2 THEN 'decided'
                        WHEN c.state = 'decided' AND k = %(per)s - 1 THEN 'delivered'
                        WHEN k %% 2 = 0 THEN 'step_started' ELSE 'step_finished' END,
                   CASE WHEN c.state = 'decided' AND k >= %(per)s - 2
                        THEN c.decided_at + (k - %(per)s + 2) * interval '1 day'
                        ELSE c.received_at + k * interval '5 hours' END,
                   s.key, s.name, CASE WHEN k > 1 THEN '经办人' ELSE '' END, '{}'::jsonb,
                   md5(c.number || '-' || k) || md5(c.number || '-' || k), now(), c.id, NULL, c.system_id
            FROM supervision_case c
            JOIN volume_power p ON p.power_id = c.power_id
            CROSS JOIN generate_series(0, %(per)s - 1) AS k
            CROSS JOIN LATERAL (SELECT
                CASE WHEN k > 1 AND NOT (c.state = 'decided' AND k >= %(per)s - 2)
                     THEN p.step_keys[1 + ((k - 2) / 2) %% array_length(p.step_keys, 1)] ELSE '' END AS key,
                CASE WHEN k > 1 AND NOT (c.state = 'decided' AND k >= %(per)s - 2)
                     THEN p.step_names[1 + ((k - 2) / 2) %% array_length(p.step_names, 1)] ELSE '' END AS name) AS s
            WHERE c.id > %(before)s AND c.system_id = %(system)s
            RETURNING system_id, event_id, case_id, id, occurred_at, digest)
            INSERT INTO supervision_caseeventkey (system_id, event_id, case_id, event_pk, occurred_at, digest)
            SELECT * FROM stored
            """,
            {"per": per_case, "system": system.pk, "before": before},
        )
