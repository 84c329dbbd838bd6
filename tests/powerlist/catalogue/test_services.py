import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from powerlist.catalogue.services import power_adopt, power_create, power_diff, power_snapshot, power_update
from powerlist.models import Category, Power, ReviewLogEntry, ReviewState
from powerlist.review.engine import review_return, review_start_revision, review_submit, review_withdraw
from powerlist.review.record import previous_submission
from tests.powerlist.factories import CategoryFactory, LegalBasisFactory, PowerFactory
from tests.powerlist.helpers import confirm


def _data(org, **overrides):
    data = {
        "code": "210000-FG-XK-001",
        "name": "企业投资项目核准",
        "category": CategoryFactory(),
        "division": org.division,
        "disposition": Power.Disposition.RETAIN,
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_clerk_creates_a_draft_with_legal_bases_and_a_log_entry(org):
    power = power_create(
        user=org.clerk, department=org.dept, data=_data(org),
        legal_bases=[{"law_name": "《企业投资项目核准和备案管理条例》", "article": "第十一条", "text": ""},
                     {"law_name": "  ", "article": ""}],
    )
    assert power.state == ReviewState.DRAFT and power.region == org.province
    assert [b.law_name for b in power.legal_bases.all()] == ["《企业投资项目核准和备案管理条例》"]
    entry = ReviewLogEntry.objects.get(object_id=power.pk)
    assert (entry.action, entry.to_state, entry.actor_role) == ("create", "draft", "clerk")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["dept_reviewer", "office_reviewer", "other_clerk"])
def test_only_the_departments_clerk_creates(org, who):
    with pytest.raises(PermissionDenied):
        power_create(user=getattr(org, who), department=org.dept, data=_data(org))


@pytest.mark.django_db
def test_clerk_of_one_division_cannot_file_for_another(org):
    with pytest.raises(PermissionDenied, match="本处"):
        power_create(user=org.clerk, department=org.dept, data=_data(org, division=org.other_division))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"promised_limit_days": 30}, "promised_limit_days", "承诺时限不得超过法定时限"),
        ({"disposition": "cancel"}, "disposition_reason", "处理理由"),
        ({"name": ""}, "name", ""),
    ],
)
def test_invalid_content_is_refused_field_by_field(org, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        power_create(user=org.clerk, department=org.dept, data=_data(org, **overrides))
    assert field in exc.value.message_dict
    assert message in " ".join(exc.value.message_dict[field])
    assert not Power.objects.exists()


@pytest.mark.django_db
def test_code_is_unique_within_the_region_only(org):
    power_create(user=org.clerk, department=org.dept, data=_data(org))
    with pytest.raises(ValidationError, match="已有事项编码"):
        power_create(user=org.clerk, department=org.dept, data=_data(org, name="另一个"))
    other = power_create(user=org.city_clerk, department=org.city_dept,
                         data=_data(org, division=org.city_division))
    assert other.region == org.city


@pytest.mark.django_db
def test_update_refused_once_submitted_and_on_stale_version(org, power):
    stale_version = power.version
    power_update(user=org.clerk, power=power, data={"name": "新名称"})
    power = review_submit(user=org.clerk, obj=power)
    with pytest.raises(PermissionDenied, match="不能编辑"):
        power_update(user=org.clerk, power=power, data={"name": "再改"})
    draft = PowerFactory(department=org.dept, division=org.division)
    draft = review_submit(user=org.clerk, obj=draft)
    review_withdraw(user=org.clerk, obj=draft)
    with pytest.raises(ValidationError, match="已被他人修改"):
        power_update(user=org.clerk, power=draft, data={"name": "x"}, expected_version=stale_version)


@pytest.mark.django_db
def test_time_limit_rule_of_the_region_is_a_warning(org, power):
    org.province.promised_limit_reduction_percent = 50
    org.province.save()
    power.region.refresh_from_db()
    power.statutory_limit_days, power.promised_limit_days = 20, 15
    assert "至少压缩50%" in power.time_limit_warning()
    power.promised_limit_days = 10
    assert power.time_limit_warning() is None


@pytest.mark.django_db
def test_revision_freezes_and_diffs_field_by_field(org, power):
    LegalBasisFactory(power=power)
    power = confirm(org, power)
    assert power.in_force.data["legal_bases"][0]["article"] == "第四十二条"
    power = review_start_revision(user=org.clerk, obj=power)
    power = power_update(user=org.clerk, power=power, data={"promised_limit_days": 5},
                         legal_bases=[{"law_name": "《中华人民共和国行政许可法》", "article": "第四十三条"}])
    changes = power_diff(old=power.in_force.data, new=power_snapshot(power))
    labels = [str(label) for label, _old, _new in changes]
    assert "承诺时限(工作日)" in labels and "行使依据" in labels
    assert ("承诺时限(工作日)", 10, 5) in [(str(a), b, c) for a, b, c in changes]
    power = confirm(org, power)
    assert power.in_force.number == 2 and power.revisions.count() == 2


@pytest.mark.django_db
def test_reviewer_sees_what_changed_since_the_previous_submission(org, power):
    power = review_submit(user=org.clerk, obj=power)
    assert previous_submission(power) is None
    power = review_return(user=org.dept_reviewer, obj=power, comment="时限过长")
    power = power_update(user=org.clerk, power=power, data={"promised_limit_days": 5})
    power = review_submit(user=org.clerk, obj=power)
    previous = previous_submission(power)
    changes = power_diff(old=previous.snapshot, new=power_snapshot(power))
    assert [(str(a), b, c) for a, b, c in changes] == [("承诺时限(工作日)", 10, 5)]


@pytest.mark.django_db
def test_city_adopts_a_confirmed_province_item_and_sees_departures(org, power):
    LegalBasisFactory(power=power)
    power = confirm(org, power)
    adopted = power_adopt(user=org.city_clerk, department=org.city_dept, source=power)
    assert (adopted.code, adopted.name, adopted.category) == (power.code, power.name, power.category)
    assert adopted.source == power and adopted.legal_bases.count() == power.legal_bases.count() == 2
    assert power_diff(old=power_snapshot(power), new=power_snapshot(adopted)) == [
        ("内部负责机构", str(power.division), str(org.city_division))
    ] or all(str(label) == "内部负责机构" for label, *_ in power_diff(old=power_snapshot(power),
                                                                    new=power_snapshot(adopted)))
    with pytest.raises(ValidationError, match="已参照"):
        power_adopt(user=org.city_clerk, department=org.city_dept, source=power)


@pytest.mark.django_db
def test_adoption_only_from_a_confirmed_item_of_the_level_above(org, power):
    with pytest.raises(ValidationError, match="已确认"):
        power_adopt(user=org.city_clerk, department=org.city_dept, source=power)
    city_power = PowerFactory(department=org.city_dept, division=org.city_division, state="confirmed")
    with pytest.raises(ValidationError, match="上一级"):
        power_adopt(user=org.clerk, department=org.dept, source=city_power)


@pytest.mark.django_db
def test_reference_categories_are_seeded():
    names = set(Category.objects.values_list("name", flat=True))
    assert {"行政许可", "行政审批", "行政处罚", "行政强制", "行政征收", "行政给付", "行政奖励", "行政确认",
            "行政裁决", "行政检查", "内部重大事项决定", "其他权力"} <= names
