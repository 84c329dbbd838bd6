"""The administration services: what each guarantees, and the operation-record entry each
writes (action, role, states, scope), checked against hand-written values."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from powerlist.org import services
from powerlist.org.models import STAND_IN_PERMISSION, DepartmentUserObjectPermission, User
from powerlist.org.permissions import administered_department_ids, stand_in_department_ids
from powerlist.org.roles import Role
from powerlist.models import ReviewLogEntry


def _entries(user):
    return list(ReviewLogEntry.objects.filter(object_id=user.pk, content_type__model="user").order_by("id"))


@pytest.mark.django_db
def test_user_create_gives_a_temporary_password_to_change_and_records_it(admins):
    user, password = services.user_create(
        actor=admins.province_admin, username="wangfang", display_name="王芳", department=admins.dept,
        division=admins.division, email="wangfang@example.gov.cn", phone="024-12345678", roles=[Role.CLERK],
    )
    user = User.objects.get(pk=user.pk)
    assert user.check_password(password)
    assert len(password) == 12
    assert user.must_change_password and user.is_active
    assert (user.department, user.division, user.phone) == (admins.dept, admins.division, "024-12345678")
    assert set(user.role_assignments.values_list("role", flat=True)) == {"clerk"}
    [entry] = _entries(user)
    assert (entry.action, entry.actor_id, entry.actor_role) == (
        "user_create", admins.province_admin.pk, "administrator")
    assert (entry.department_id, entry.region_id, entry.from_state, entry.to_state) == (
        admins.dept.pk, admins.province.pk, "active", "active")
    assert entry.comment == "角色:经办人"
    assert password not in str(entry.snapshot) and password not in entry.comment


@pytest.mark.django_db
def test_user_create_refuses_division_of_another_department(admins):
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=admins.province_admin, username="x1", display_name="甲",
                             department=admins.dept, division=admins.other_dept_division)
    assert "不属于" in str(exc.value)
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.django_db
def test_user_create_refuses_taken_username(admins):
    with pytest.raises(ValidationError):
        services.user_create(actor=admins.province_admin, username="clerk", display_name="甲", department=admins.dept)


@pytest.mark.django_db
def test_department_admin_creates_clerks_only_in_own_department(admins):
    user, _password = services.user_create(actor=admins.dept_admin, username="c2", display_name="乙",
                                           department=admins.dept, roles=[Role.CLERK])
    assert _entries(user)[0].actor_role == "department_administrator"
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admins.dept_admin, username="c3", display_name="丙", department=admins.other_dept)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admins.dept_admin, username="c4", display_name="丁", department=admins.dept,
                             roles=[Role.DEPARTMENT_REVIEWER])
    assert not User.objects.filter(username__in=["c3", "c4"]).exists()


@pytest.mark.django_db
def test_user_update_records_each_changed_field_and_needs_both_departments(admins):
    services.user_update(actor=admins.province_admin, user=admins.clerk, display_name="新名字",
                         department=admins.dept, division=admins.other_division, email="", phone="")
    clerk = User.objects.get(pk=admins.clerk.pk)
    assert (clerk.display_name, clerk.division_id) == ("新名字", admins.other_division.pk)
    [entry] = _entries(clerk)
    assert entry.action == "user_update"
    assert set(entry.snapshot["changes"]) == {"display_name", "division_id"}
    # The city administrator may not pull a province clerk into the city, nor push one out.
    with pytest.raises(PermissionDenied):
        services.user_update(actor=admins.city_admin, user=admins.city_clerk, department=admins.dept, division=None)
    assert User.objects.get(pk=admins.city_clerk.pk).department == admins.city_dept


@pytest.mark.django_db
def test_deactivate_and_reactivate_never_delete_and_record_the_states(admins):
    services.user_deactivate(actor=admins.province_admin, user=admins.clerk)
    clerk = User.objects.get(pk=admins.clerk.pk)
    assert not clerk.is_active
    assert clerk.role_assignments.filter(role=Role.CLERK).exists()
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admins.province_admin, user=clerk)
    services.user_reactivate(actor=admins.province_admin, user=clerk)
    assert User.objects.get(pk=clerk.pk).is_active
    assert [(e.action, e.from_state, e.to_state) for e in _entries(clerk)] == [
        ("user_deactivate", "active", "inactive"), ("user_reactivate", "inactive", "active")]


@pytest.mark.django_db
def test_nobody_deactivates_themselves(admins):
    with pytest.raises(PermissionDenied) as exc:
        services.user_deactivate(actor=admins.province_admin, user=admins.province_admin)
    assert str(exc.value) == "不能停用自己的账号。"


@pytest.mark.django_db
def test_grant_and_revoke_roles_record_each(admins):
    services.role_grant(actor=admins.province_admin, user=admins.city_clerk, role=Role.DEPARTMENT_REVIEWER)
    assert admins.city_clerk.has_role(Role.DEPARTMENT_REVIEWER)
    with pytest.raises(ValidationError):
        services.role_grant(actor=admins.province_admin, user=admins.city_clerk, role=Role.DEPARTMENT_REVIEWER)
    services.role_revoke(actor=admins.province_admin, user=admins.city_clerk, role=Role.DEPARTMENT_REVIEWER)
    assert not User.objects.get(pk=admins.city_clerk.pk).has_role(Role.DEPARTMENT_REVIEWER)
    with pytest.raises(ValidationError):
        services.role_revoke(actor=admins.province_admin, user=admins.city_clerk, role=Role.DEPARTMENT_REVIEWER)
    assert [(e.action, e.comment, e.snapshot) for e in _entries(admins.city_clerk)] == [
        ("role_grant", "部门审核人", {"role": "department_reviewer"}),
        ("role_revoke", "部门审核人", {"role": "department_reviewer"}),
    ]


@pytest.mark.django_db
def test_department_admin_revokes_clerk_role_but_not_others(admins):
    services.role_revoke(actor=admins.dept_admin, user=admins.clerk, role=Role.CLERK)
    assert not User.objects.get(pk=admins.clerk.pk).has_role(Role.CLERK)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=admins.dept_admin, user=admins.clerk, role=Role.EXPERT)


@pytest.mark.django_db
def test_stand_in_with_end_date_acts_until_then(admins):
    until = timezone.localdate() + dt.timedelta(days=3)
    services.department_grant(actor=admins.province_admin, user=admins.other_reviewer, department=admins.dept,
                              codename=STAND_IN_PERMISSION, valid_until=until)
    reviewer = User.objects.get(pk=admins.other_reviewer.pk)
    assert stand_in_department_ids(reviewer) == {admins.dept.pk}
    # Past the end date it no longer counts (the row stays, for the record).
    DepartmentUserObjectPermission.objects.filter(user=reviewer).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert stand_in_department_ids(User.objects.get(pk=reviewer.pk)) == frozenset()
    [entry] = _entries(reviewer)
    assert (entry.action, entry.snapshot) == ("stand_in_grant", {"department_id": admins.dept.pk,
                                                                   "valid_until": until.isoformat()})


@pytest.mark.django_db
def test_stand_in_end_date_in_the_past_is_refused(admins):
    with pytest.raises(ValidationError):
        services.department_grant(actor=admins.province_admin, user=admins.other_reviewer, department=admins.dept,
                                  codename=STAND_IN_PERMISSION, valid_until=timezone.localdate() - dt.timedelta(days=1))


@pytest.mark.django_db
def test_stand_in_revoke_records_and_stops(admins):
    services.department_grant(actor=admins.province_admin, user=admins.other_reviewer, department=admins.dept,
                              codename=STAND_IN_PERMISSION)
    grant = DepartmentUserObjectPermission.objects.get(user=admins.other_reviewer)
    services.department_grant_revoke(actor=admins.province_admin, grant=grant)
    assert stand_in_department_ids(User.objects.get(pk=admins.other_reviewer.pk)) == frozenset()
    assert [e.action for e in _entries(admins.other_reviewer)] == ["stand_in_grant", "stand_in_revoke"]


@pytest.mark.django_db
def test_city_admin_cannot_name_stand_in_for_province_department(admins):
    with pytest.raises(PermissionDenied):
        services.department_grant(actor=admins.city_admin, user=admins.city_reviewer, department=admins.dept,
                                  codename=STAND_IN_PERMISSION)


@pytest.mark.django_db
def test_department_administrator_must_belong_to_the_department(admins):
    from powerlist.org.models import DEPARTMENT_ADMINISTRATOR_PERMISSION as CODENAME

    services.department_grant(actor=admins.province_admin, user=admins.other_clerk, department=admins.other_dept,
                              codename=CODENAME)
    assert administered_department_ids(User.objects.get(pk=admins.other_clerk.pk)) == {admins.other_dept.pk}
    with pytest.raises(PermissionDenied) as exc:
        services.department_grant(actor=admins.province_admin, user=admins.other_clerk, department=admins.dept,
                                  codename=CODENAME)
    assert str(exc.value) == "部门管理员必须是该部门的用户。"


@pytest.mark.django_db
def test_password_reset_replaces_the_password_and_forces_a_change(admins):
    new = services.user_password_reset(actor=admins.dept_admin, user=admins.clerk)
    clerk = User.objects.get(pk=admins.clerk.pk)
    assert clerk.check_password(new) and not clerk.check_password("pw-secret-123")
    assert clerk.must_change_password
    [entry] = _entries(clerk)
    assert (entry.action, entry.actor_role, entry.comment, entry.snapshot) == (
        "password_reset", "department_administrator", "", None)
