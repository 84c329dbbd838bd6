"""A case's clocks and timeline, derived from its events (nothing here writes).

Rules (docs/supervision.md, "Clocks"):
- Events count in the order they occurred (`occurred_at`), whatever order they arrived in.
- The limits run from the day of acceptance (the day of receipt while not accepted);
  that day is day 0 and never counted (supervision.calendar).
- A suspension (补正, 听证, 公告, 专家评审, 检验检测) suspended on day S and resumed on day R
  covers the days S+1 … R: the day of the suspension was worked, counting resumes the day
  after the resumption. A running suspension covers S+1 … today.
- An extension adds its working days to the statutory limit only; the promised limit is
  the department's own commitment.
- Waiting for the applicant is never overdue: a suspended case has no overdue clock.
Every due date is a supervision.clock.DueDate, flagged as an estimate when it falls in a
year whose calendar is not entered.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from supervision.calendar import ONE_DAY
from supervision.clock import DueDate, due_date, elapsed_working_days
from supervision.models import CaseState, EventKind

STATE_AFTER = {
    EventKind.RECEIVED: CaseState.RECEIVED,
    EventKind.ACCEPTED: CaseState.ACCEPTED,
    EventKind.REFUSED: CaseState.REFUSED,
    EventKind.SUSPENDED: CaseState.SUSPENDED,
    EventKind.RESUMED: CaseState.ACCEPTED,
    EventKind.DECIDED: CaseState.DECIDED,
    EventKind.DELIVERED: CaseState.DELIVERED,
}


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


@dataclass
class StepClock:
    key: str
    name: str
    order: int
    post_id: int | None
    post_name: str
    limit_days: int | None
    is_checkpoint: bool
    started_on: datetime.date | None = None
    finished_on: datetime.date | None = None
    started_seq: int | None = None
    person: str = ""
    due: DueDate | None = None
    elapsed_days: int | None = None

    @property
    def overdue(self):
        return self.due is not None and self.finished_on is not None and self.finished_on > self.due.date

    @property
    def running(self):
        return self.started_on is not None and self.finished_on is None


@dataclass
class SuspensionSpan:
    ground: str
    started_on: datetime.date
    ended_on: datetime.date | None
    counted_days: int = 0

    def interval(self, today):
        """The closed interval of suspended days, or None when it has not begun."""
        start, end = self.started_on + ONE_DAY, self.ended_on or today
        return (start, end) if start <= end else None


@dataclass
class Timeline:
    state: str
    received_on: datetime.date
    start_on: datetime.date
    accepted_at: datetime.datetime | None = None
    decided_at: datetime.datetime | None = None
    delivered_at: datetime.datetime | None = None
    suspensions: list = field(default_factory=list)
    extended_days: int = 0
    extensions: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    statutory: DueDate | None = None
    promised: DueDate | None = None
    elapsed_days: int = 0
    suspended_days: int = 0
    handler: str = ""
    online: bool = True
    refusals: list = field(default_factory=list)  # the payload's reasons of each refusal
    decisions: list = field(default_factory=list)  # the payload's measure of each decision
    fees: list = field(default_factory=list)
    step_order: list = field(default_factory=list)  # step keys in the order they started
    applied: int = 0  # events applied so far
    last_event: tuple = (None, 0)  # (occurred_at, pk) of the last of them

    @property
    def is_open(self):
        return self.state in (CaseState.RECEIVED, CaseState.ACCEPTED, CaseState.SUSPENDED)

    @property
    def suspended(self):
        return self.state == CaseState.SUSPENDED

    @property
    def current_step(self):
        running = [s for s in self.steps if s.running]
        return max(running, key=lambda s: s.started_seq) if running else None

    @property
    def last_step(self):
        started = [s for s in self.steps if s.started_on is not None]
        return max(started, key=lambda s: s.started_seq) if started else None

    @property
    def any_estimate(self):
        return any(d is not None and d.is_estimate for d in (self.statutory, self.promised))

    def on_time(self):
        """Whether a decided case was decided within its promised (else statutory) limit."""
        if self.decided_at is None:
            return None
        limit = self.promised or self.statutory
        return limit is None or local_date(self.decided_at) <= limit.date


def steps_of(flowchart_data) -> list:
    """The flowchart revision's steps as StepClocks, in the chart's order."""
    steps = []
    for order, s in enumerate((flowchart_data or {}).get("steps", [])):
        steps.append(StepClock(
            key=str(s["key"]), name=s.get("name") or "", order=order, post_id=s.get("post_id"),
            post_name=s.get("post") or "", limit_days=s.get("time_limit_days"),
            is_checkpoint=bool(s.get("is_checkpoint")),
        ))
    return steps


def case_timeline(case, events, *, flowchart_data=None, today=None) -> Timeline:
    """The clocks of `case` from `events` (any order) against the flowchart content it is
    pinned to. `today` defaults to the local date."""
    today = today or timezone.localdate()
    line = _start(case, flowchart_data)
    _apply(line, sorted(events, key=lambda e: (e.occurred_at, e.pk or 0)))
    _count(line, case, today)
    return line


# The state a case's events leave, kept on the case (Case.timeline_state) so that events
# later than all its others apply to it without reading the others again. A change of
# what _apply keeps must change the version: a state of another version is not resumed.
STATE_VERSION = 1


def timeline_state(line) -> dict:
    """What the events applied to `line` leave (JSON), for timeline_resume."""
    def day(d):
        return d.isoformat() if d else None

    def moment(m):  # in UTC, however it came (parsed from a push, read from the database)
        return (m.astimezone(datetime.timezone.utc) if timezone.is_aware(m) else m).isoformat() if m else None

    return {
        "v": STATE_VERSION, "seq": line.applied, "last": [moment(line.last_event[0]), line.last_event[1]],
        "state": line.state, "start_on": day(line.start_on), "accepted_at": moment(line.accepted_at),
        "decided_at": moment(line.decided_at), "delivered_at": moment(line.delivered_at),
        "suspensions": [[s.ground, day(s.started_on), day(s.ended_on)] for s in line.suspensions],
        "extended_days": line.extended_days, "extensions": line.extensions, "handler": line.handler,
        "online": line.online, "refusals": line.refusals, "decisions": line.decisions, "fees": line.fees,
        "step_order": line.step_order,
        "steps": {s.key: [day(s.started_on), day(s.finished_on), s.started_seq, s.person]
                  for s in line.steps if s.started_on is not None or s.finished_on is not None},
    }


def timeline_resumable(state, events) -> bool:
    """Whether `events` (new, not yet applied) all come after the events `state` holds, so
    that applying them to it gives what deriving from all of them gives."""
    if not state or state.get("v") != STATE_VERSION or not events:
        return False
    at, pk = state["last"]
    last = (datetime.datetime.fromisoformat(at), pk) if at else None
    return last is None or min((e.occurred_at, e.pk or 0) for e in events) > last


def timeline_resume(case, state, events, *, flowchart_data=None, today=None) -> Timeline:
    """The clocks of `case` from its stored `state` and `events`, which all occurred after
    the events the state holds (timeline_resumable): the same Timeline as case_timeline
    from all the events."""
    today = today or timezone.localdate()
    line = _start(case, flowchart_data)

    def day(d):
        return datetime.date.fromisoformat(d) if d else None

    def moment(m):
        return datetime.datetime.fromisoformat(m) if m else None

    line.applied = state["seq"]
    line.last_event = (moment(state["last"][0]), state["last"][1])
    line.state, line.start_on = state["state"], day(state["start_on"])
    line.accepted_at, line.decided_at = moment(state["accepted_at"]), moment(state["decided_at"])
    line.delivered_at = moment(state["delivered_at"])
    line.suspensions = [SuspensionSpan(ground, day(started), day(ended)) for ground, started, ended in state["suspensions"]]
    line.extended_days, line.extensions = state["extended_days"], list(state["extensions"])
    line.handler, line.online = state["handler"], state["online"]
    line.refusals, line.decisions, line.fees = list(state["refusals"]), list(state["decisions"]), list(state["fees"])
    line.step_order = list(state["step_order"])
    for step in line.steps:
        if step.key in state["steps"]:
            started, finished, step.started_seq, step.person = state["steps"][step.key]
            step.started_on, step.finished_on = day(started), day(finished)
    _apply(line, sorted(events, key=lambda e: (e.occurred_at, e.pk or 0)))
    _count(line, case, today)
    return line


def _start(case, flowchart_data):
    received_on = local_date(case.received_at)
    line = Timeline(state=CaseState.RECEIVED, received_on=received_on, start_on=received_on, online=case.online)
    line.steps = steps_of(flowchart_data)
    return line


def _apply(line, events):
    """Apply `events`, in order, after those already applied to `line`."""
    by_key = {s.key: s for s in line.steps}
    running = line.suspensions[-1] if line.suspensions and line.suspensions[-1].ended_on is None else None
    for seq, event in enumerate(events, start=line.applied):
        day, payload = local_date(event.occurred_at), event.payload or {}
        if event.person:
            line.handler = event.person
        kind = event.kind
        if kind == EventKind.RECEIVED:
            line.online = bool(payload.get("online", True))
        elif kind == EventKind.ACCEPTED and line.accepted_at is None:
            line.accepted_at = event.occurred_at
            line.start_on = day
        elif kind == EventKind.REFUSED:
            line.refusals.append(payload.get("reasons"))
        elif kind == EventKind.SUSPENDED and running is None:
            running = SuspensionSpan(payload.get("ground", ""), day, None)
            line.suspensions.append(running)
        elif kind == EventKind.RESUMED and running is not None:
            running.ended_on = day
            running = None
        elif kind == EventKind.EXTENDED:
            line.extended_days += int(payload.get("days") or 0)
            line.extensions.append(payload)
        elif kind == EventKind.DECIDED:
            line.decided_at = line.decided_at or event.occurred_at
            line.decisions.append(payload.get("measure") or {})
        elif kind == EventKind.FEE_CHARGED:
            line.fees.append(payload)
        elif kind == EventKind.DELIVERED:
            line.delivered_at = event.occurred_at
        elif kind in (EventKind.STEP_STARTED, EventKind.STEP_FINISHED) and event.step_key in by_key:
            step = by_key[event.step_key]
            if kind == EventKind.STEP_STARTED and step.started_on is None:
                step.started_on, step.started_seq, step.person = day, seq, event.person
                line.step_order.append(step.key)
            elif kind == EventKind.STEP_FINISHED:
                step.finished_on = day
                if step.started_on is None:
                    step.started_on, step.started_seq = day, seq
                    line.step_order.append(step.key)
        # A resumption without a suspension changes nothing.
        if kind in STATE_AFTER and (kind != EventKind.RESUMED or line.state == CaseState.SUSPENDED):
            line.state = STATE_AFTER[kind]
    if events:
        line.applied += len(events)
        line.last_event = (events[-1].occurred_at, events[-1].pk or 0)


def _count(line, case, today):
    intervals = [iv for iv in (s.interval(today) for s in line.suspensions) if iv]
    end = local_date(line.decided_at) if line.decided_at else today
    for span in line.suspensions:
        iv = span.interval(today)
        span.counted_days = elapsed_working_days(iv[0] - ONE_DAY, iv[1]) if iv else 0
    if case.statutory_days is not None:
        line.statutory = due_date(line.start_on, case.statutory_days + line.extended_days, suspensions=intervals)
    if case.promised_days is not None:
        line.promised = due_date(line.start_on, case.promised_days, suspensions=intervals)
    line.elapsed_days = elapsed_working_days(line.start_on, end, suspensions=intervals)
    line.suspended_days = sum(s.counted_days for s in line.suspensions)
    for step in line.steps:
        if step.started_on is None:
            continue
        if step.limit_days is not None:
            step.due = due_date(step.started_on, step.limit_days, suspensions=intervals)
        step_end = step.finished_on or end
        step.elapsed_days = elapsed_working_days(step.started_on, step_end, suspensions=intervals)
