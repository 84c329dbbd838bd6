"""Reads of the register: which powers the public never sees (recorded non-disclosure)
or sees only as gone (retracted), the staff lists, and the public's per-department
counts. Lists cost a fixed number of queries."""

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.urls import reverse

from powerlist.org.selectors import visible_q

from disclosure.register import (
    AdjustmentItem, AdjustmentNote, Ground, NonDisclosure, RegisterState, Retraction, RetractionState,
)


def withheld_power_ids():
    """Subquery: powers with a recorded non-disclosure entry (never on a public page)."""
    return NonDisclosure.objects.filter(state=RegisterState.RECORDED).values("power_id")


def retracted_power_ids():
    """Subquery: powers retracted as published in error (their pages answer 410)."""
    return Retraction.objects.filter(state=RetractionState.RETRACTED).values("power_id")


def public_hidden_q(prefix=""):
    """Rows (of any model with a `power` FK) the public must not find: withheld or retracted."""
    return Q(**{f"{prefix}power_id__in": withheld_power_ids()}) | Q(**{f"{prefix}power_id__in": retracted_power_ids()})


def power_retraction(power_id):
    """The retraction of a power, when it was retracted; else None."""
    return Retraction.objects.filter(power_id=power_id, state=RetractionState.RETRACTED).first()


def power_was_published(power_id):
    """Whether any publication ever held the power (only such a power can be retracted)."""
    from disclosure.models import PublishedPower

    return PublishedPower.objects.filter(power_id=power_id).exists()


def withheld_codes(region_id, codes):
    """The codes among `codes` (of one region) whose powers are withheld."""
    if not codes:
        return set()
    return set(NonDisclosure.objects.filter(state=RegisterState.RECORDED, power__region_id=region_id,
                                            power__code__in=list(codes)).values_list("power__code", flat=True))


# ---------------------------------------------------------------- staff


def deferral_due_q(today):
    """Recorded deferrals (暂缓公开) whose expected disclosure date is `today` or earlier:
    the one definition of "due" (the reminder, the register's filter and its mark)."""
    return Q(state=RegisterState.RECORDED, kind=NonDisclosure.Kind.DEFERRED, expected_date__lte=today)


def non_disclosures_with_due(today):
    """Every entry, each with `is_due` (deferral_due_q on `today`)."""
    return NonDisclosure.objects.annotate(is_due=ExpressionWrapper(deferral_due_q(today), output_field=BooleanField()))


def non_disclosure_list(*, user, state="", today, due_only=False):
    """The entries `user` may read, newest first, each with `is_due`; `state` narrows to
    one state, `due_only` to the due ones."""
    qs = (non_disclosures_with_due(today).filter(visible_q(user)).select_related("power", "department", "region")
          .order_by("-id"))
    if due_only:
        qs = qs.filter(is_due=True)
    return qs.filter(state=state) if state else qs


def adjustment_note_list(*, user, state=""):
    qs = (AdjustmentNote.objects.filter(visible_q(user)).select_related("department", "region")
          .annotate(item_count=Count("items")).order_by("-id"))
    return qs.filter(state=state) if state else qs


def adjustment_note_items(note):
    return list(note.items.select_related("power", "new_department").order_by("order", "id"))


# ---------------------------------------------------------------- public


def department_non_disclosure_counts(department):
    """[(kind label, ground label, n)] of the department's recorded entries: how many,
    on which grounds, and nothing about which powers."""
    kinds, grounds = dict(NonDisclosure.Kind.choices), dict(Ground.choices)
    rows = (NonDisclosure.objects.filter(department=department, state=RegisterState.RECORDED)
            .values("kind", "ground").annotate(n=Count("id")).order_by("kind", "ground"))
    return [(kinds.get(r["kind"], r["kind"]), grounds.get(r["ground"], r["ground"]), r["n"]) for r in rows]


def _masked(items):
    """Items naming a withheld power keep their change but lose its name and code."""
    for item in items:
        if item.withheld:
            item.code, item.name, item.detail = "", "", ""
    return items


def recorded_notes(*, department=None, region=None, limit=50):
    """Recorded adjustment notes (newest first) with their items, a withheld power's
    name and code masked. Two queries."""
    qs = AdjustmentNote.objects.filter(state=RegisterState.RECORDED)
    qs = qs.filter(department=department) if department is not None else qs.filter(region=region)
    items = AdjustmentItem.objects.select_related("new_department__region").annotate(
        withheld=Count("power__non_disclosures", filter=Q(power__non_disclosures__state=RegisterState.RECORDED)),
    ).order_by("order", "id")
    notes = list(qs.select_related("department__region").prefetch_related(Prefetch("items", queryset=items))
                 .order_by("-confirmed_at", "-id")[:limit])
    for note in notes:
        note.public_items = _masked(list(note.items.all()))
    return notes


def power_moved_to(power_id):
    """The recorded move of a power to another department or level: the item (with
    new_department and new_code) and `item.url`, the new holder's public page when it
    published one (its power page, else its department page, else None). Two queries
    at most."""
    from disclosure.models import Publication, PublishedPower

    item = (AdjustmentItem.objects.filter(power_id=power_id, change=AdjustmentItem.Change.MOVED,
                                          note__state=RegisterState.RECORDED, new_department__isnull=False)
            .select_related("new_department__region").order_by("-note__confirmed_at", "-id").first())
    if item is None:
        return None
    department = item.new_department
    item.url = None
    rows = PublishedPower.objects.filter(department=department).exclude(public_hidden_q())
    if item.new_code and rows.filter(code=item.new_code).exists():
        item.url = reverse("disclosure:power", args=[department.region.code, item.new_code])
    elif Publication.objects.filter(department=department).exists():
        item.url = reverse("disclosure:department", args=[department.region.code, department.pk])
    return item
