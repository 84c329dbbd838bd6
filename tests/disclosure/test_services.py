import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure.models import Publication, PublishedPower
from disclosure.services import publication_create, publication_preview
from tests.disclosure.conftest import CANARY_NAMES
from tests.disclosure.factories import revise_and_confirm


@pytest.mark.django_db
def test_publication_holds_only_powers_in_force(published):
    rows = PublishedPower.objects.filter(publication=published.publication).order_by("code")
    # The under-review canary is published in its version in force, under its old name.
    assert [(r.code, r.name) for r in rows] == [
        ("210000-CF-001", "对不执行政府定价行为的行政处罚"),
        ("210000-JF-001", "最低生活保障金给付"),
        ("210000-XK-001", "企业投资项目核准"),
        ("210000-XK-CANARY2", "建设工程消防设计审查"),
    ]
    text = " ".join(str(r.data) + r.search_text for r in rows)
    for name in CANARY_NAMES:
        assert name not in text
    assert published.publication.number == 1
    assert published.publication.power_count == 4


@pytest.mark.django_db
def test_snapshot_carries_flowchart_outline_posts_and_complaint_channel(published):
    row = PublishedPower.objects.get(code="210000-XK-001")
    outline = row.data["flowchart"]["outline"]
    assert [(s["name"], s["post"], s["time_limit_days"]) for s in outline] == [
        ("受理", "受理岗", 1), ("审查", "审查岗", 10), ("决定", "决定岗", 3)]
    assert [n["to"] for n in outline[0]["next"]] == ["审查"]
    assert row.data["flowchart"]["svg"].lstrip().startswith("<svg")
    assert [p["name"] for p in row.data["posts"]] == ["受理岗", "审查岗", "决定岗"]
    assert row.data["complaint_channels"] == ["投诉电话:024-12345"]
    assert row.data["legal_bases"][0]["law_name"] == "《中华人民共和国行政许可法》"


@pytest.mark.django_db
def test_preview_lists_added_changed_field_by_field_and_cancelled(org, published, django_capture_on_commit_callbacks):
    revise_and_confirm(org, published.licence, promised_limit_days=5)
    revise_and_confirm(org, published.penalty, disposition="cancel", disposition_reason="上位法已废止。")
    from tests.disclosure.factories import confirmed_power
    confirmed_power(org, name="固定资产投资项目节能审查", code="210000-XK-002")
    preview = publication_preview(department=org.dept)
    assert [d["code"] for d in preview["added"]] == ["210000-XK-002"]
    assert [(c["data"]["code"], [(x["label"], x["old"], x["new"]) for x in c["changes"]]) for c in preview["changed"]] == [
        ("210000-XK-001", [("承诺时限(工作日)", "10", "5")])]
    assert [d["code"] for d in preview["cancelled"]] == ["210000-CF-001"]
    assert preview["unchanged"] == 2


@pytest.mark.django_db
def test_versions_count_distinct_contents(org, published, django_capture_on_commit_callbacks):
    revise_and_confirm(org, published.licence, promised_limit_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        second = publication_create(user=org.dept_reviewer, department=org.dept, note="压缩承诺时限。")
    versions = dict(PublishedPower.objects.filter(publication=second).values_list("code", "version"))
    assert versions["210000-XK-001"] == 2
    assert versions["210000-JF-001"] == 1
    published.publication.refresh_from_db()
    assert published.publication.state == Publication.State.SUPERSEDED
    assert PublishedPower.objects.filter(is_current=True).count() == 4
    assert (second.added_count, second.changed_count, second.cancelled_count) == (0, 1, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["clerk", "office_reviewer", "other_reviewer", "city_reviewer"])
def test_only_the_departments_reviewer_publishes(org, published, who):
    with pytest.raises(PermissionDenied):
        publication_create(user=getattr(org, who), department=org.dept, note="越权发布")


@pytest.mark.django_db
def test_a_note_is_required(org, published):
    with pytest.raises(ValidationError) as exc:
        publication_create(user=org.dept_reviewer, department=org.dept, note="  ")
    assert "请填写本次公开的变更说明。" in str(exc.value)


@pytest.mark.django_db
def test_auto_publication_on_confirmation_when_the_region_asks(org, published, django_capture_on_commit_callbacks):
    from disclosure.models import DisclosureSettings

    DisclosureSettings.objects.create(region=org.province, auto_publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        revise_and_confirm(org, published.allowance, promised_limit_days=3)
    latest = Publication.objects.filter(department=org.dept).order_by("-number").first()
    assert latest.number == 2
    assert latest.note == "确认后自动公开:最低生活保障金给付"
    assert PublishedPower.objects.get(publication=latest, code="210000-JF-001").data["promised_limit_days"] == 3


@pytest.mark.django_db
def test_no_auto_publication_by_default(org, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revise_and_confirm(org, published.allowance, promised_limit_days=3)
    assert Publication.objects.filter(department=org.dept).count() == 1
