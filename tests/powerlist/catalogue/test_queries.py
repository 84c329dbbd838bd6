"""The main list pages keep a constant number of queries: the count measured with 5
powers is the ceiling with 40 (select_related / prefetch_related, no per-row query)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from powerlist.catalogue.services import power_freeze_revision
from powerlist.models import Category, Power, ReviewState
from tests.powerlist.factories import LegalBasisFactory, PowerFactory

STATES = (ReviewState.DRAFT, ReviewState.DEPARTMENT_REVIEW, ReviewState.OFFICE_REVIEW,
          ReviewState.FINAL_REVIEW, ReviewState.CONFIRMED)

# (user attribute of the `org` fixture, page)
PAGES = [
    ("clerk", "/powers/"),
    ("dept_reviewer", "/powers/"),
    ("office_reviewer", "/powers/"),
    ("city_office_reviewer", "/powers/"),
    ("office_reviewer", "/powers/?q=企业"),
    ("clerk", "/powers/catalogue/"),
    ("city_clerk", "/powers/adopt/"),
    ("clerk", "/workspace/"),
    ("office_reviewer", "/workspace/"),
    ("clerk", "/workspace/clerk/"),
    ("dept_reviewer", "/workspace/department-review/"),
    ("office_reviewer", "/workspace/office-review/"),
    ("establishment", "/workspace/establishment-confirmation/"),
    ("legal", "/workspace/legal-confirmation/"),
    ("city_office_reviewer", "/workspace/office-review/"),
]


def _add_powers(org, start, count):
    """Powers in every state and category, with legal bases, revisions in force,
    returned drafts, half-confirmed finals and city items adopted from the province."""
    categories = list(Category.objects.all())
    sources = list(Power.objects.filter(region=org.province, state=ReviewState.CONFIRMED))
    for i in range(start, start + count):
        state = STATES[i % len(STATES)]
        power = PowerFactory(
            department=org.dept, division=org.division if i % 2 else org.other_division,
            category=categories[i % len(categories)], code=f"210000-T-{i:04d}", name=f"企业投资项目核准{i}",
        )
        LegalBasisFactory(power=power)
        LegalBasisFactory(power=power, article="第十二条")
        Power.objects.filter(pk=power.pk).update(
            state=state,
            last_return_comment="请补充依据。" if state == ReviewState.DRAFT and i % 3 else "",
            establishment_confirmed_by=org.establishment if state == ReviewState.FINAL_REVIEW and i % 2 else None,
        )
        if state == ReviewState.CONFIRMED:
            power.refresh_from_db()
            power_freeze_revision(power=power)
            sources.append(power)
        city_power = PowerFactory(
            department=org.city_dept, division=org.city_division, code=f"210100-T-{i:04d}",
            category=categories[i % len(categories)], source=sources[-1] if sources else None,
        )
        LegalBasisFactory(power=city_power)
        Power.objects.filter(pk=city_power.pk).update(state=STATES[(i + 2) % len(STATES)])


@pytest.mark.django_db
@pytest.mark.parametrize("user_attr,url", PAGES)
def test_list_page_query_count_does_not_grow(client, org, user_attr, url, django_assert_max_num_queries):
    client.force_login(getattr(org, user_attr))
    _add_powers(org, 0, 5)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    small_body = response.content

    _add_powers(org, 5, 35)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    # the page really lists more at the larger size (not an empty page measured twice)
    assert len(response.content) > len(small_body) or url == "/workspace/"
