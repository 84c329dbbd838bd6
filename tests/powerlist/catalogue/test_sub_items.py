"""Issue 10, parts 1 and 2: sub-items (codes, inheritance, review together or one by one,
adoption), responsibility items and circumstances (stage templates, the precheck), and
lists with sub-items at a constant number of queries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from powerlist.catalogue.effective import effective_expressions
from powerlist.catalogue.family import power_family_apply
from powerlist.catalogue.models import Power
from powerlist.catalogue.services import power_adopt, power_create, power_effective_snapshot
from powerlist.notifications.models import Notification
from powerlist.review.engine import review_approve, review_confirm_establishment, review_start_revision, review_submit
from powerlist.review.models import ReviewAction as A
from powerlist.review.models import ReviewState
from tests.powerlist.factories import (
    AccountabilityCircumstanceFactory,
    CategoryFactory,
    LegalBasisFactory,
    PowerFactory,
    SubItemFactory,
)
from tests.powerlist.helpers import confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def main(org):
    power = PowerFactory(department=org.dept, division=org.division, code="210000-FG-XK-001",
                         conditions="符合产业政策。", fee_basis="不收费", statutory_limit_days=20, promised_limit_days=10)
    AccountabilityCircumstanceFactory(power=power, text="不在法定期限内作出决定的。")
    return power


def _data(org, main, **fields):
    return {"code": f"{main.code}-01", "name": "新建项目核准", "division": org.division, **fields}


def test_sub_item_inherits_what_it_leaves_blank(org, main):
    sub = power_create(user=org.clerk, department=org.dept, parent=main,
                       data=_data(org, main, promised_limit_days=8, conditions=""))

    assert sub.category == main.category and not sub.responsibility_items.exists()
    effective = power_effective_snapshot(Power.objects.select_related("parent").get(pk=sub.pk))
    assert effective["conditions"] == "符合产业政策。" and effective["fee_basis"] == "不收费"
    assert (effective["statutory_limit_days"], effective["promised_limit_days"]) == (20, 8)
    assert effective["legal_bases"][0]["article"] == "第四十二条"
    assert effective["responsibility_items"][0]["text"] == "依法受理、审查并作出决定。"
    assert effective["accountability_circumstances"] == [{"text": "不在法定期限内作出决定的。", "ground": ""}]
    assert set(effective["inherited"]) == {"conditions", "fee_basis", "statutory_limit_days", "legal_bases",
                                           "responsibility_items", "accountability_circumstances"}
    # The same resolution in the database, for filtering and sorting.
    row = Power.objects.annotate(**effective_expressions()).get(pk=sub.pk)
    assert (row.effective_promised_limit_days, row.effective_statutory_limit_days) == (8, 20)
    assert (row.effective_conditions, row.effective_staff_duties) == ("符合产业政策。", "")


@pytest.mark.parametrize("fields,field,message", [
    ({"code": "210000-FG-XK-0011"}, "code", "主项编码加后缀"),
    ({"code": "210000-FG-XK-001-"}, "code", "主项编码加后缀"),
    ({"category": "other"}, "category", "必须与主项相同"),
])
def test_sub_item_code_and_category_follow_the_main_item(org, main, fields, field, message):
    if fields.get("category") == "other":
        fields = {"category": CategoryFactory(code="CF", name="行政处罚", short_name="处罚")}
    with pytest.raises(ValidationError) as exc:
        power_create(user=org.clerk, department=org.dept, parent=main, data=_data(org, main, **fields))
    assert message in " ".join(exc.value.message_dict[field])


def test_a_sub_item_has_no_sub_items(org, main):
    sub = SubItemFactory(parent=main)
    with pytest.raises(ValidationError, match="不能再属于另一个子项"):
        power_create(user=org.clerk, department=org.dept, parent=sub,
                     data={"code": f"{sub.code}-01", "name": "孙项", "division": org.division})


def test_a_new_main_item_starts_with_its_categorys_stages(org):
    penalty = CategoryFactory(code="CF", name="行政处罚", short_name="处罚")
    power = power_create(user=org.clerk, department=org.dept, data={
        "code": "210000-FG-CF-001", "name": "价格违法行为处罚", "category": penalty, "division": org.division})
    assert [(i.stage, i.text) for i in power.responsibility_items.all()] == [
        ("filing", ""), ("investigation", ""), ("hearing", ""), ("notice", ""), ("decision", ""), ("service", ""),
        ("enforcement", ""), ("other", "")]


def test_submission_needs_a_responsibility_item_with_text(org):
    power = power_create(user=org.clerk, department=org.dept, legal_bases=[{"law_name": "《行政许可法》"}],
                         data={"code": "210000-FG-XK-002", "name": "核准", "category": CategoryFactory(),
                               "division": org.division})
    with pytest.raises(ValidationError, match="至少填写一项责任事项"):
        review_submit(user=org.clerk, obj=power)
    power.responsibility_items.filter(stage="decision").update(text="依法作出决定。")
    assert review_submit(user=org.clerk, obj=power).state == ReviewState.DEPARTMENT_REVIEW


def test_main_item_and_sub_items_travel_together_to_confirmation(org, main):
    subs = [SubItemFactory(parent=main), SubItemFactory(parent=main)]
    steps = [(org.clerk, A.SUBMIT), (org.dept_reviewer, A.APPROVE), (org.office_reviewer, A.APPROVE),
             (org.establishment, A.CONFIRM_ESTABLISHMENT), (org.legal, A.CONFIRM_LEGAL)]
    for user, action in steps:
        main, moved = power_family_apply(user=user, power=main, action=action)
        assert len(moved) == 2
    assert main.state == ReviewState.CONFIRMED and main.in_force is not None
    for sub in subs:
        sub.refresh_from_db()
        assert sub.state == ReviewState.CONFIRMED and sub.in_force.data["parent_code"] == main.code


def test_family_action_is_all_or_nothing(org, main):
    SubItemFactory(parent=main)
    broken = SubItemFactory(parent=main, name="缺少依据的子项", disposition=Power.Disposition.RETAIN)
    main.legal_bases.all().delete()
    LegalBasisFactory(power=Power.objects.exclude(pk=broken.pk).filter(parent=main).get())
    with pytest.raises(ValidationError, match="至少填写一条行使依据"):
        power_family_apply(user=org.clerk, power=main, action=A.SUBMIT)
    assert set(Power.objects.values_list("state", flat=True)) == {ReviewState.DRAFT}


def test_sub_items_one_by_one_follow_their_main_item(org, main):
    sub = SubItemFactory(parent=main)
    with pytest.raises(ValidationError, match="尚未提交审核"):
        review_submit(user=org.clerk, obj=sub)
    main = review_submit(user=org.clerk, obj=main)  # the main item alone
    sub = review_submit(user=org.clerk, obj=sub)
    assert (main.state, sub.state) == (ReviewState.DEPARTMENT_REVIEW, ReviewState.DEPARTMENT_REVIEW)
    # A sub-item is not finally confirmed before its main item reaches final confirmation.
    sub = review_approve(user=org.dept_reviewer, obj=sub)
    sub = review_approve(user=org.office_reviewer, obj=sub)
    with pytest.raises(ValidationError, match="尚未进入最终确认"):
        review_confirm_establishment(user=org.establishment, obj=sub)


def test_adoption_copies_confirmed_sub_items_and_lists(org, main):
    kept = SubItemFactory(parent=main, name="新建项目核准")
    cancelled = SubItemFactory(parent=main, name="已取消的子项", disposition=Power.Disposition.CANCEL,
                               disposition_reason="已取消")
    for user, action in [(org.clerk, A.SUBMIT), (org.dept_reviewer, A.APPROVE), (org.office_reviewer, A.APPROVE),
                         (org.establishment, A.CONFIRM_ESTABLISHMENT), (org.legal, A.CONFIRM_LEGAL)]:
        main, _subs = power_family_apply(user=user, power=main, action=action)

    adopted = power_adopt(user=org.city_clerk, department=org.city_dept, source=main, code="210100-FG-XK-001")

    subs = list(adopted.sub_items.all())
    assert [(s.code, s.name, s.source_id) for s in subs] == [
        (f"210100-FG-XK-001{kept.code[len(main.code):]}", "新建项目核准", kept.pk)]
    assert cancelled.pk not in [s.source_id for s in subs]
    assert [c.text for c in adopted.accountability_circumstances.all()] == ["不在法定期限内作出决定的。"]
    assert adopted.responsibility_items.get().text == "依法受理、审查并作出决定。"
    with pytest.raises(ValidationError, match="子项随主项一起参照"):
        power_adopt(user=org.city_clerk, department=org.city_dept, source=kept)


@pytest.mark.parametrize("path", ["/powers/", "/powers/catalogue/working/"])
def test_lists_with_sub_items_keep_a_constant_query_count(client, org, path):
    client.force_login(org.clerk)
    counts = []
    for n in (2, 6):
        for _ in range(n):
            power = PowerFactory(department=org.dept, division=org.division)
            SubItemFactory.create_batch(2, parent=power)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_power_list_shows_sub_items_under_their_main_item(client, org, main):
    SubItemFactory(parent=main, code=f"{main.code}-02", name="改扩建项目核准")
    SubItemFactory(parent=main, code=f"{main.code}-01", name="新建项目核准")
    PowerFactory(department=org.dept, division=org.division, code="210000-FG-XK-002", name="下一个主项")
    client.force_login(org.clerk)
    page = client.get("/powers/").context["page"]
    assert [p.name for p in page.object_list] == [main.name, "新建项目核准", "改扩建项目核准", "下一个主项"]


def test_power_page_shows_responsibility_items_sub_items_and_what_a_sub_item_inherits(client, org, main):
    sub = SubItemFactory(parent=main, name="新建项目核准")
    client.force_login(org.clerk)
    body = client.get(f"/powers/{main.pk}/").content.decode()
    assert "决定责任" in body and "依法受理、审查并作出决定。" in body and "新建项目核准" in body
    assert "连同 1 个子项一起审核" in body
    body = client.get(f"/powers/{sub.pk}/").content.decode()
    assert "沿用主项的内容" in body and "符合产业政策。" in body and "不在法定期限内作出决定的。" in body

    response = client.post(f"/powers/{main.pk}/with-sub-items/submit/", {"version": main.version})
    assert response.status_code == 302
    assert set(Power.objects.values_list("state", flat=True)) == {ReviewState.DEPARTMENT_REVIEW}


def test_clerk_adds_a_sub_item_from_the_main_items_page(client, org, main):
    client.force_login(org.clerk)
    form = client.get(f"/powers/{main.pk}/sub-items/new/")
    assert form.status_code == 200 and form.context["form"].initial["code"] == f"{main.code}-"
    response = client.post(f"/powers/{main.pk}/sub-items/new/", {
        "code": f"{main.code}-01", "name": "新建项目核准", "category": main.category_id, "division": org.division.pk,
        "disposition": "retain", "disposition_reason": "", "exercise_level": "direct", "responsible_leader": "",
        "staff_duties": "", "conditions": "", "statutory_limit_days": "", "promised_limit_days": "",
        "service_commitment": "", "work_discipline": "", "fee_basis": "", "remarks": "",
        "basis-TOTAL_FORMS": "0", "basis-INITIAL_FORMS": "0", "basis-MIN_NUM_FORMS": "0", "basis-MAX_NUM_FORMS": "1000",
        "case-TOTAL_FORMS": "0", "case-INITIAL_FORMS": "0", "case-MIN_NUM_FORMS": "0", "case-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.context["form"].errors
    sub = Power.objects.get(code=f"{main.code}-01")
    assert sub.parent == main and sub.conditions == "" and sub.statutory_limit_days is None


def test_confirmed_main_item_keeps_its_sub_items_in_the_revision(org, main):
    main = confirm(org, main)
    assert main.in_force.data["responsibility_items"] == [
        {"stage": "decision", "text": "依法受理、审查并作出决定。", "basis": "", "steps": []}]
    assert main.in_force.data["accountability_circumstances"] == [{"text": "不在法定期限内作出决定的。", "ground": ""}]


def test_only_sub_items_in_the_main_items_state_travel_with_it(org, main):
    confirmed_sub = SubItemFactory(parent=main)
    for user, action in [(org.clerk, A.SUBMIT), (org.dept_reviewer, A.APPROVE), (org.office_reviewer, A.APPROVE),
                         (org.establishment, A.CONFIRM_ESTABLISHMENT), (org.legal, A.CONFIRM_LEGAL)]:
        main, _subs = power_family_apply(user=user, power=main, action=action)
    main = review_start_revision(user=org.clerk, obj=main)  # the main item alone
    new_sub = SubItemFactory(parent=main, code=f"{main.code}-09")

    main, moved = power_family_apply(user=org.clerk, power=main, action=A.SUBMIT)

    assert [s.pk for s in moved] == [new_sub.pk]
    assert Power.objects.get(pk=confirmed_sub.pk).state == ReviewState.CONFIRMED


def test_family_action_sends_one_digest_per_recipient(org, main, django_capture_on_commit_callbacks):
    SubItemFactory(parent=main)
    SubItemFactory(parent=main)
    with django_capture_on_commit_callbacks(execute=True):
        power_family_apply(user=org.clerk, power=main, action=A.SUBMIT)
    notices = Notification.objects.filter(recipient=org.dept_reviewer)
    assert [n.item_count for n in notices] == [3]
