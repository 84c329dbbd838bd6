"""The non-disclosure register, adjustment notes and retraction: filing rules, what
the public sees (counts and grounds, never names or codes), notes beside the change
log, the 410 of a retracted power, the pointer of a moved one, the region's change log,
and the staff pages' query counts."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure.models import Publication, PublishedPower
from disclosure.register import AdjustmentItem, NonDisclosure, RegisterState
from disclosure.register_services import (
    adjustment_note_create, non_disclosure_create, power_retract, register_lapse, register_record, register_return,
    register_submit,
)
from disclosure.services import publication_create, publication_preview
from powerlist.notifications.models import Notification
from tests.disclosure.factories import confirmed_power, record_non_disclosure
from tests.powerlist.factories import PowerFactory

SECRET = {"kind": "withheld", "ground": "state_secret", "legal_basis": "《保守国家秘密法》第十三条",
          "reason": "涉及国家秘密。", "expected_date": None}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _publish(org, capture, note="再次公开。"):
    with capture(execute=True):
        return publication_create(user=org.dept_reviewer, department=org.dept, note=note)


def _note(org, items, title="机构改革职能调整"):
    note = adjustment_note_create(user=org.clerk, department=org.dept, items=items, data={
        "title": title, "reason": "根据机构改革方案调整职责。", "ground": "《省机构改革方案》",
        "effective_date": dt.date(2026, 12, 1)})
    note = register_submit(user=org.clerk, obj=note)
    return register_record(user=org.office_reviewer, obj=note)


# ---------------------------------------------------------------- filing


@pytest.mark.django_db
def test_a_deferral_needs_its_expected_date_and_nothing_is_saved(org, power):
    with pytest.raises(ValidationError) as exc:
        non_disclosure_create(user=org.clerk, power=power, data={**SECRET, "kind": "deferred", "reason": " "})
    assert exc.value.message_dict == {"reason": ["请说明不予公开的理由。"], "expected_date": ["暂缓公开须填写预计公开日期。"]}
    assert NonDisclosure.objects.count() == 0


@pytest.mark.django_db
def test_one_live_entry_per_power_and_a_new_one_after_it_lapsed(org, power):
    record = non_disclosure_create(user=org.clerk, power=power, data=SECRET)
    with pytest.raises(ValidationError, match="未失效"):
        non_disclosure_create(user=org.clerk, power=power, data=SECRET)
    record = register_record(user=org.office_reviewer, obj=register_submit(user=org.clerk, obj=record))
    register_lapse(user=org.clerk, obj=record, comment="已解密。")
    assert non_disclosure_create(user=org.clerk, power=power, data=SECRET).state == RegisterState.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["dept_reviewer", "office_reviewer", "other_clerk", "city_clerk"])
def test_only_a_clerk_of_the_powers_department_files(org, power, who):
    with pytest.raises(PermissionDenied):
        non_disclosure_create(user=getattr(org, who), power=power, data=SECRET)


@pytest.mark.django_db
def test_the_office_is_told_and_a_return_goes_back_with_its_comment(org, power, django_capture_on_commit_callbacks):
    record = non_disclosure_create(user=org.clerk, power=power, data=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        record = register_submit(user=org.clerk, obj=record)
    assert Notification.objects.filter(recipient=org.office_reviewer).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        record = register_return(user=org.office_reviewer, obj=record, comment="请写明具体条款。")
    assert (record.state, record.last_return_comment) == (RegisterState.RETURNED, "请写明具体条款。")
    assert "请写明具体条款。" in Notification.objects.get(recipient=org.clerk).body


@pytest.mark.django_db
def test_an_adjustment_note_names_powers_of_the_department_only(org, power):
    with pytest.raises(ValidationError) as exc:
        adjustment_note_create(user=org.clerk, department=org.dept, data={
            "title": "调整", "reason": "改革", "ground": "方案", "effective_date": dt.date(2026, 12, 1)},
            items=[{"change": "cancelled", "code": "999999-XX-404", "name": ""},
                   {"change": "moved", "code": power.code, "name": ""}])
    assert exc.value.messages == ["第1项:本部门没有编码为“999999-XX-404”的事项。", "第2项:划转须写明划转至哪个部门。"]


# ---------------------------------------------------------------- publications and the public


@pytest.mark.django_db
def test_a_power_withheld_after_publication_leaves_every_public_page_and_search(
        org, client, published, django_capture_on_commit_callbacks):
    assert client.get("/search/", {"q": "核准"}).context["result"]["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        record_non_disclosure(org, published.licence, ground="security")
    assert client.get("/p/210000/210000-XK-001/").status_code == 404
    assert client.get("/p/210000/210000-XK-001/v1/").status_code == 404
    assert client.get("/search/", {"q": "核准"}).context["result"]["count"] == 0
    category = client.get(f"/r/210000/d/{org.dept.pk}/c/{published.licence.category_id}/").content.decode()
    assert "企业投资项目核准" not in category
    # The open-data API forgets it too.
    assert client.get("/api/open/v1/powers/210000/210000-XK-001/").status_code == 404
    assert "企业投资项目核准" not in client.get("/api/open/v1/powers/", {"page_size": 200}).content.decode()
    # The next publication leaves it out without calling it cancelled.
    preview = publication_preview(department=org.dept)
    assert [d["code"] for d in preview["withheld"]] == ["210000-XK-001"] and preview["cancelled"] == []
    second = _publish(org, django_capture_on_commit_callbacks)
    assert second.cancelled_count == 0
    assert not PublishedPower.objects.filter(publication=second, code="210000-XK-001").exists()


@pytest.mark.django_db
def test_a_lapsed_entry_discloses_the_power_again(org, client, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = record_non_disclosure(org, published.licence)
        register_lapse(user=org.office_reviewer, obj=record, comment="保密期限届满。")
    assert client.get("/search/", {"q": "核准"}).context["result"]["count"] == 1
    second = _publish(org, django_capture_on_commit_callbacks)
    assert PublishedPower.objects.filter(publication=second, code="210000-XK-001").exists()


@pytest.mark.django_db
def test_the_public_sees_counts_and_grounds_per_department(org, client, published, django_capture_on_commit_callbacks):
    # The fixture's canary is withheld as a state secret; add a deferral on another ground.
    deferred = confirmed_power(org, name="价格调整方案审核", code="210000-QR-009", category_code="QR")
    with django_capture_on_commit_callbacks(execute=True):
        record_non_disclosure(org, deferred, kind="deferred", ground="process", expected_date=dt.date(2027, 3, 1))
    body = client.get(f"/r/210000/d/{org.dept.pk}/").content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(\d+)</td></tr>", body)
    assert rows == [("暂缓公开", "过程性信息", "1"), ("不予公开", "依法确定为国家秘密", "1")]
    assert "价格调整方案审核" not in body and "210000-QR-009" not in body


@pytest.mark.django_db
def test_auto_publication_never_names_a_withheld_power(org, published, django_capture_on_commit_callbacks):
    from disclosure.models import DisclosureSettings
    from tests.disclosure.factories import revise_and_confirm

    DisclosureSettings.objects.create(region=org.province, auto_publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        record_non_disclosure(org, published.allowance)
        revise_and_confirm(org, published.allowance, promised_limit_days=3)
        revise_and_confirm(org, published.penalty, promised_limit_days=7)
    latest = Publication.objects.filter(department=org.dept).order_by("-number").first()
    assert latest.note == "确认后自动公开:对不执行政府定价行为的行政处罚"


@pytest.mark.django_db
def test_recorded_notes_are_published_beside_the_change_log_and_in_both_feeds(
        org, client, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _note(org, [
            {"change": "cancelled", "code": "210000-CF-001", "name": "", "detail": "上位法废止"},
            {"change": "moved", "code": "210000-JF-001", "name": "", "new_department": org.city_dept,
             "new_code": ""},
            {"change": "changed", "code": "210000-XK-CANARY4", "name": "", "detail": "涉密内容"},
        ])
        # A note still in draft is not published.
        adjustment_note_create(user=org.clerk, department=org.dept, items=[{"change": "added", "code": "N1",
                               "name": "金丝雀草稿说明事项"}], data={"title": "草稿说明", "reason": "r", "ground": "g",
                                                            "effective_date": dt.date(2026, 12, 2)})
    page = client.get(f"/r/210000/d/{org.dept.pk}/changes/").content.decode()
    assert "机构改革职能调整" in page and "对不执行政府定价行为的行政处罚" in page
    assert "划转至沈阳市沈阳市发展改革委" in page
    # The withheld power is named neither by name nor by code.
    assert "一项依法不予公开的事项" in page and "CANARY4" not in page and "涉密内容" not in page
    assert "草稿说明" not in page
    for feed in (f"/r/210000/d/{org.dept.pk}/changes/feed/", "/r/210000/changes/feed/"):
        body = client.get(feed).content.decode()
        assert "职能调整说明:机构改革职能调整" in body and "CANARY4" not in body, feed
    region = client.get("/r/210000/changes/").content.decode()
    assert "发展改革委 职能调整说明:机构改革职能调整" in region
    assert "发展改革委 第1批公开:新增4项,变更0项,取消0项" in region


@pytest.mark.django_db
def test_a_moved_power_points_to_its_new_holder(org, client, published, django_capture_on_commit_callbacks):
    city_power = confirmed_power(org, name="最低生活保障金给付", code="210100-JF-001", category_code="JF",
                                 department=org.city_dept)
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(user=org.city_reviewer, department=org.city_dept, note="首次公开。")
        _note(org, [{"change": "moved", "code": "210000-JF-001", "name": "", "detail": "下放至市级实施",
                     "new_department": org.city_dept, "new_code": city_power.code}])
    body = client.get("/p/210000/210000-JF-001/").content.decode()
    assert "该事项已划转至沈阳市沈阳市发展改革委。" in body
    assert 'href="/p/210100/210100-JF-001/"' in body
    assert client.get("/p/210100/210100-JF-001/").status_code == 200


@pytest.mark.django_db
def test_a_power_published_in_error_answers_410_with_the_explanation(
        org, client, published, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        power_retract(user=org.dept_reviewer, power=published.penalty, explanation="错")
    with pytest.raises(ValidationError, match="从未公开"):
        power_retract(user=org.office_reviewer, power=PowerFactory(department=org.dept), explanation="错")
    with django_capture_on_commit_callbacks(execute=True):
        retraction = power_retract(user=org.office_reviewer, power=published.penalty,
                                   explanation="该事项属内部管理事项,误列入公开目录。")
    assert retraction.state == "retracted"
    for url in ("/p/210000/210000-CF-001/", "/p/210000/210000-CF-001/v1/", "/p/210000/210000-CF-001/compare/"):
        response = client.get(url)
        assert response.status_code == 410, url
        assert "该事项属内部管理事项,误列入公开目录。" in response.content.decode()
    assert client.get("/search/", {"q": "定价"}).context["result"]["count"] == 0
    with pytest.raises(ValidationError, match="已撤回"):
        power_retract(user=org.office_reviewer, power=published.penalty, explanation="再撤")
    assert not PublishedPower.objects.filter(publication=_publish(org, django_capture_on_commit_callbacks),
                                             code="210000-CF-001").exists()


@pytest.mark.django_db
def test_home_counts_the_powers_of_current_publications(client, published):
    body = client.get("/").content.decode()
    assert re.search(r"省级 · 4 项", body)


@pytest.mark.django_db
def test_a_bad_compare_version_is_404_not_500(client, published):
    assert client.get("/p/210000/210000-XK-001/compare/", {"a": "x"}).status_code == 404
    assert client.get("/p/210000/210000-XK-001/compare/", {"a": "9"}).status_code == 404


# ---------------------------------------------------------------- staff pages


@pytest.mark.django_db
def test_staff_pages_file_submit_and_record(org, client, published):
    power = confirmed_power(org, name="重大项目稽察", code="210000-QR-011", category_code="QR")
    client.force_login(org.clerk)
    response = client.post("/register/new/", {**SECRET, "power": power.pk, "expected_date": ""})
    assert response.status_code == 302
    record = NonDisclosure.objects.get(power=power)
    page = client.get(f"/register/{record.pk}/").content.decode()
    assert "提交备案" in page and "依法确定为国家秘密" in page
    assert client.post(f"/review/disclosure.nondisclosure/{record.pk}/submit/",
                       {"version": record.version}).status_code == 302
    client.force_login(org.office_reviewer)
    workspace = client.get("/workspace/office-review/").content.decode()
    assert "不予公开登记" in workspace
    record.refresh_from_db()
    client.post(f"/review/disclosure.nondisclosure/{record.pk}/record/", {"version": record.version})
    record.refresh_from_db()
    assert record.state == RegisterState.RECORDED
    client.force_login(org.other_clerk)
    assert client.get(f"/register/{record.pk}/").status_code == 404
    assert client.get(f"/register/{record.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_adjustment_form_saves_the_items(org, client, published):
    client.force_login(org.clerk)
    data = {"title": "职能调整", "reason": "改革", "ground": "方案", "effective_date": "2026-12-01",
            "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "200",
            "items-0-change": "cancelled", "items-0-code": "210000-CF-001",
            "items-1-change": "moved", "items-1-code": "210000-JF-001", "items-1-new_department": str(org.city_dept.pk),
            "items-2-change": "added"}
    assert client.post("/adjustments/new/", data).status_code == 302
    items = AdjustmentItem.objects.order_by("order")
    assert [(i.change, i.code, i.name, i.new_department_id) for i in items] == [
        ("cancelled", "210000-CF-001", "对不执行政府定价行为的行政处罚", None),
        ("moved", "210000-JF-001", "最低生活保障金给付", org.city_dept.pk)]
    client.force_login(org.office_reviewer)
    assert client.get("/adjustments/new/").status_code == 403


@pytest.mark.django_db
def test_staff_lists_cost_a_fixed_number_of_queries(org, client, django_assert_max_num_queries):
    for n in range(12):
        record = non_disclosure_create(user=org.clerk, power=PowerFactory(department=org.dept, division=org.division),
                                       data=SECRET)
        register_submit(user=org.clerk, obj=record)
    client.force_login(org.office_reviewer)
    for url in ("/register/", "/adjustments/", f"/register/{record.pk}/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_an_entry_is_edited_only_while_a_draft_or_returned(org, client, power):
    from disclosure.register_services import non_disclosure_update

    record = non_disclosure_create(user=org.clerk, power=power, data=SECRET)
    client.force_login(org.clerk)
    edited = {**SECRET, "legal_basis": "《保守国家秘密法》第九条", "expected_date": "", "version": record.version}
    assert client.post(f"/register/{record.pk}/edit/", edited).status_code == 302
    record.refresh_from_db()
    assert (record.legal_basis, record.version) == ("《保守国家秘密法》第九条", 2)
    # A stale page saves nothing and says why.
    stale = client.post(f"/register/{record.pk}/edit/", {**edited, "legal_basis": "旧页面", "version": 1})
    assert stale.status_code == 200 and "已被他人处理" in stale.content.decode()
    record.refresh_from_db()
    assert record.legal_basis == "《保守国家秘密法》第九条"
    record = register_submit(user=org.clerk, obj=record)
    for state in (RegisterState.SUBMITTED, RegisterState.RECORDED):
        assert record.state == state
        page = client.get(f"/register/{record.pk}/edit/")
        assert page.status_code == 403 and "不能修改" in page.content.decode(), state
        assert client.post(f"/register/{record.pk}/edit/", {**edited, "version": record.version}).status_code == 403
        with pytest.raises(PermissionDenied):
            non_disclosure_update(user=org.clerk, record=record, data={**SECRET, "reason": "改了"})
        record.refresh_from_db()
        assert record.legal_basis == "《保守国家秘密法》第九条"
        if state == RegisterState.SUBMITTED:
            record = register_record(user=org.office_reviewer, obj=record)


@pytest.mark.django_db
def test_the_office_reaches_the_retraction_from_the_power_page(org, client, published):
    url = f"/powers/{published.penalty.pk}/"
    retract = f'href="/retract/{published.penalty.pk}/"'
    client.force_login(org.dept_reviewer)
    assert retract not in client.get(url).content.decode()
    client.force_login(org.office_reviewer)
    assert retract in client.get(url).content.decode()
    # Never published: nothing to retract, no panel.
    draft = PowerFactory(department=org.dept, division=org.division)
    assert "/retract/" not in client.get(f"/powers/{draft.pk}/").content.decode()
    response = client.post(f"/retract/{published.penalty.pk}/", {"explanation": "误列入公开目录。"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert retract not in page and f'href="{response.url}"' in page
