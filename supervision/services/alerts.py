"""Raising alerts on cases and taking them through ALERT_FLOW.

Raising is the system's act (on event intake and in the beat scan), recorded in the
operation record with the acting account (the approval system's service user, or the
e-supervision system account for the scan). Explaining, closing and escalating are the
people's acts and go through the one flow engine, which checks the role and scope,
locks the row and writes the operation record in the same transaction.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powerlist.bulk import insert_returning_ids, insert_rows
from powerlist.org.roles import Role
from powerlist.review import outbox
from powerlist.review.engine import flow_apply
from powerlist.review.record import RecordEvent, operation_record_append_events
from powerlist.review.record_models import ReviewLogEntry
from supervision.alert_flow import AlertState
from supervision.inspections.services import riskpoints_fired_by_alerts
from supervision.models import Alert, AlertKind

SYSTEM_USERNAME = "e-supervision"
RAISE_ACTION = "raise"
RAISE_LABEL = _("系统发出")
# Told when an alert is raised: the responsible department and the region's supervisors.
NOTIFIED_ROLES = (Role.CLERK, Role.DEPARTMENT_REVIEWER, Role.SUPERVISOR)


def supervision_system_user():
    """The account the beat scan acts as: inactive, no password, no role (it can sign in
    nowhere; it only names the system in the operation record)."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"display_name": "电子监察系统", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def quarter_start(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    month = 3 * ((local.month - 1) // 3) + 1
    return local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def yellow_cards_this_quarter(post_ids, now) -> dict:
    """{post_id: {case_id}}: for each of `post_ids` that had a yellow card this quarter,
    the lowest and the highest id of the cases it had one on (one query, none without
    posts; one row per post). Two ids are all alerts_build needs to know whether a post
    had a card on a case other than a given one (if both are that case, every card was);
    reading every (post, case) pair had grown with the quarter's cards, tens of
    thousands of rows per batch on the bench database."""
    found = {}
    if post_ids:
        for post_id, low, high in (Alert.objects.filter(post_id__in=set(post_ids), kind=AlertKind.YELLOW,
                                                        raised_at__gte=quarter_start(now))
                                   .values("post_id").order_by().annotate(low=Min("case_id"), high=Max("case_id"))
                                   .values_list("post_id", "low", "high")):
            found[post_id] = {low, high}
    return found


def alerts_build(*, case, specs, raised, now, quarter_yellow) -> list:
    """Unsaved alerts for the specs not yet raised on `case` (`raised`: its (rule, step_key)
    pairs, updated in place). `quarter_yellow` ({post_id: {case ids}}, from
    yellow_cards_this_quarter, updated in place with the cards built here): a yellow card
    for a post that already had one this quarter on *another* case comes escalated to the
    department head (several cards of one late case count once: the rule is about a post
    that is late again and again)."""
    new = []
    for spec in specs:
        if (spec.rule, spec.step_key) in raised:
            continue
        raised.add((spec.rule, spec.step_key))
        escalated = False
        if spec.kind == AlertKind.YELLOW and spec.post_id:
            cases = quarter_yellow.setdefault(spec.post_id, set())
            escalated = any(case_id != case.pk for case_id in cases)
            cases.add(case.pk)
        new.append(Alert(
            region_id=case.region_id, department_id=case.department_id, case=case, power_id=case.power_id,
            kind=spec.kind, rule=spec.rule, step_key=spec.step_key, step_name=spec.step_name,
            post_id=spec.post_id, post_name=spec.post_name, person_name=spec.person, message=spec.message,
            due_on=spec.due_on, escalated_to_head=escalated,
            state=AlertState.ESCALATED if escalated else AlertState.OPEN, raised_at=now, state_changed_at=now,
        ))
    return new


def alerts_save(*, alerts, actor, now=None):
    """Insert `alerts`, record each raise in the operation record (one bulk write for a
    whole batch or scan chunk) and tell the responsible department (its clerks and
    reviewers) and the supervisors of the region, through the engine's outbox: the
    notices go out after commit, one digest per recipient for a batch or a scan. Must
    run in the caller's transaction."""
    if not alerts:
        return []
    # The rows go in as the import's do (COPY on PostgreSQL, ids drawn first): bulk_create
    # prepared each value through the field machinery and psycopg then parsed a statement
    # of ~20 placeholders per row (bench/results.md, E-supervision, "raising alerts").
    insert_returning_ids(Alert, alerts)
    riskpoints_fired_by_alerts(alerts=alerts)
    operation_record_append_events(
        (RecordEvent(obj=alert, actor=actor, role="", action=RAISE_ACTION, from_state="", to_state=alert.state,
                     comment=alert.message, created_at=now or alert.raised_at)
         for alert in alerts),
        insert=lambda entries: insert_rows(ReviewLogEntry, entries),
    )
    with outbox.collecting():
        outbox.notice_roles(objs=alerts, actor=actor, roles=NOTIFIED_ROLES, action_label=RAISE_LABEL,
                            comments=[alert.message for alert in alerts])
    return alerts


def alert_apply(*, user, alert, action, comment="", expected_version=None):
    """Any action of ALERT_FLOW (for the pages and the API, which read the flow)."""
    return flow_apply(user=user, obj=alert, action=action, comment=comment, expected_version=expected_version)
