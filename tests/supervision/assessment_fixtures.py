"""A small region whose assessment is counted by hand (tests/supervision/test_assessment.py).

Province, quarter 2026 Q4, counted up to 2026-11-30. Department A (发展改革委) has:
  catalogue  P1 complete, P2 without flowchart, P3 cancelled (left out), a sub-item of P1 (left out)
  review     P1 approved 2 days after arriving, P2 returned 10 days after arriving
  disclosure P1 and P2 confirmed; only P1 published
  cases      3 decided in the quarter, 2 on time; 1 decided in Q3 (left out)
  cards      1 yellow, 1 red in the quarter; 1 yellow in Q3 (left out)
  complaints received in the quarter: resolved (counts), declined, not substantiated
             replied in the quarter: after 20 and 14 days
  rectification  due in the quarter by 11-30: on time and accepted; accepted but filed late;
             still open; one due 12-15 (left out)
Department B (财政厅) has nothing at all.
"""

import datetime

from django.utils import timezone

from disclosure.models import Publication, PublishedPower
from powerlist.catalogue.services import power_freeze_revision
from powerlist.models import Power, ReviewState
from powerlist.review.record import RecordEvent, operation_record_append_events
from supervision.models import Alert, Case
from tests.powerlist.factories import AccountabilityCircumstanceFactory, PowerFactory, SubItemFactory
from tests.powerlist.flowchart_helpers import linear
from tests.riskpoints.factories import CountermeasureFactory, RiskPointFactory
from tests.supervision.inspection_factories import ComplaintFactory, RectificationFactory

AS_OF = datetime.date(2026, 11, 30)
FULL = {"responsible_leader": "李主任", "staff_duties": "分工", "conditions": "条件", "service_commitment": "承诺",
        "work_discipline": "纪律"}


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(2026, *day, hour, 0))


def _case(dept, power, number, *, received, decided=None, on_time=None):
    return Case.objects.create(region=dept.region, department=dept, power=power, number=number,
                               received_at=at(received), decided_at=at(decided) if decided else None,
                               on_time=on_time, state="decided" if decided else "accepted")


def build_region(org):
    dept = org.dept
    p1 = PowerFactory(department=dept, division=org.division, **FULL)
    p2 = PowerFactory(department=dept, division=org.division, **FULL)
    PowerFactory(department=dept, division=org.division, disposition=Power.Disposition.CANCEL, **FULL)
    SubItemFactory(parent=p1)
    for p in (p1, p2):
        AccountabilityCircumstanceFactory(power=p)
        CountermeasureFactory(riskpoint=RiskPointFactory(power=p))
        power_freeze_revision(power=p)
    linear(p1, [{"name": "受理"}, {"name": "决定"}])

    def log(power, action, from_state, to_state, when):
        operation_record_append_events([RecordEvent(obj=power, actor=org.clerk, role="clerk", action=action,
                                                    from_state=from_state, to_state=to_state, created_at=when)])

    log(p1, "submit", "draft", ReviewState.DEPARTMENT_REVIEW, at((10, 8)))
    log(p1, "approve", ReviewState.DEPARTMENT_REVIEW, ReviewState.OFFICE_REVIEW, at((10, 10)))
    log(p2, "submit", "draft", ReviewState.DEPARTMENT_REVIEW, at((10, 10)))
    log(p2, "return", ReviewState.DEPARTMENT_REVIEW, ReviewState.DRAFT, at((10, 20)))

    publication = Publication.objects.create(department=dept, region=dept.region, number=1,
                                             published_at=at((10, 1)), note="首次公开")
    PublishedPower.objects.create(publication=publication, power=p1, region=dept.region, department=dept,
                                  category=p1.category, level="province", code=p1.code, name=p1.name,
                                  version=1, data={}, digest="x")

    c1 = _case(dept, p1, "A1", received=(10, 9), decided=(10, 15), on_time=True)
    _case(dept, p1, "A2", received=(10, 12), decided=(11, 2), on_time=True)
    _case(dept, p1, "A3", received=(11, 1), decided=(11, 20), on_time=False)
    _case(dept, p1, "A0", received=(9, 1), decided=(9, 10), on_time=True)

    def alert(kind, rule, raised):
        Alert.objects.create(region=dept.region, department=dept, case=c1, power=p1, kind=kind, rule=rule,
                             step_key=str(raised), message="预警", raised_at=at(raised))

    alert("yellow", "promised_over", (10, 20))
    alert("red", "statutory_over", (11, 5))
    alert("yellow", "step_over", (9, 20))

    ComplaintFactory(department=dept, power=p1, received_at=at((10, 5)), state="closed", outcome="resolved",
                     replied_at=at((10, 25)), closed_at=at((10, 26)))
    ComplaintFactory(department=dept, received_at=at((10, 6)), state="declined")
    ComplaintFactory(department=dept, received_at=at((11, 1)), state="closed", outcome="not_substantiated",
                     replied_at=at((11, 15)), closed_at=at((11, 16)))

    def rect(deadline, state, filed=None):
        RectificationFactory(finding__plan__department=dept, finding__plan__created_by=org.supervisor,
                             deadline=datetime.date(2026, *deadline), state=state,
                             submitted_at=at(filed, 18) if filed else None)

    rect((10, 31), "accepted", (10, 31))
    rect((11, 10), "accepted", (11, 12))
    rect((11, 20), "open")
    rect((12, 15), "open")
    return {"a": dept, "b": org.other_dept, "p1": p1, "p2": p2}
