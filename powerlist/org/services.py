"""Every write of the organisation's user administration: accounts, roles, per-department
grants (stand-ins, department administrators), passwords.

Each service checks its predicate from powerlist.org.permissions (PermissionDenied with
the reason), validates (ValidationError with a Chinese message), writes, and appends the
operation-record entry (powerlist.org.audit) in the same transaction. Accounts are never
deleted: the operation record references them."""

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from powerlist.org.audit import OrgAction, org_record_append
from powerlist.org.models import (
    DEPARTMENT_ADMINISTRATOR_PERMISSION,
    STAND_IN_PERMISSION,
    DepartmentUserObjectPermission,
    RoleAssignment,
    User,
)
from powerlist.org.passwords import temporary_password_generate
from powerlist.org.permissions import (
    can_administer_department,
    can_change_role,
    can_deactivate_user,
    can_grant_on_department,
    can_manage_user,
    require,
)
from powerlist.org.roles import Role

EDITABLE_FIELDS = ("display_name", "department", "division", "email", "phone")
GRANT_ACTIONS = {
    STAND_IN_PERMISSION: (OrgAction.STAND_IN_GRANT, OrgAction.STAND_IN_REVOKE),
    DEPARTMENT_ADMINISTRATOR_PERMISSION: (OrgAction.DEPARTMENT_ADMIN_GRANT, OrgAction.DEPARTMENT_ADMIN_REVOKE),
}


def _forget_caches(user):
    for attr in ("_role_cache", "_department_grants_cache"):
        user.__dict__.pop(attr, None)


def _check_division(department, division):
    if division is not None and division.department_id != department.pk:
        raise ValidationError({"division": _("处(科、室)“%(division)s”不属于“%(department)s”。")
                               % {"division": division, "department": department}})


def _roles_label(roles):
    return "、".join(str(Role(r).label) for r in sorted(roles))


def user_create(*, actor, username, display_name, department, division=None, email="", phone="", roles=()):
    """Create an active account in `department` with a temporary password, grant `roles`.

    Returns (user, temporary_password): the password is shown to the administrator once
    and never stored in clear; the user must change it at the next login.
    Raises PermissionDenied when `actor` may not administer the department or grant a
    role, ValidationError for a taken username or a division of another department.
    Writes one operation-record entry (roles included)."""
    decision = require(can_administer_department(actor, department))
    _check_division(department, division)
    roles = sorted(set(roles))
    user = User(username=username.strip(), display_name=display_name.strip(), department=department,
                division=division, email=email.strip(), phone=phone.strip(), must_change_password=True)
    # Not saved yet: no roles, no grants (the predicates read these caches).
    user._role_cache, user._department_grants_cache = frozenset(), {}
    for role in roles:
        require(can_change_role(actor, user, role))
    user.full_clean(exclude=["password"])
    password = temporary_password_generate(user=user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles])
        _forget_caches(user)
        org_record_append(
            actor=actor, role=decision.role, user=user, action=OrgAction.USER_CREATE,
            comment=format_lazy(gettext_lazy("角色:{}"), _roles_label(roles) or "—"),
            snapshot=_account_facts(user) | {"roles": roles},
        )
    return user, password


def _account_facts(user):
    return {
        "username": user.username,
        "display_name": user.display_name,
        "department_id": user.department_id,
        "division_id": user.division_id,
        "email": user.email,
        "phone": user.phone,
    }


def user_update(*, actor, user, **fields):
    """Change the account's name, department, division, email or phone (EDITABLE_FIELDS).

    Moving the account to another department needs the right to administer both. The
    user's scoped roles then follow the new department. Raises PermissionDenied or
    ValidationError; writes one entry listing each changed field (nothing when nothing
    changed). Returns the user."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        # The stored account, not a form's edited copy: the actor must manage it as it is.
        user = User.objects.select_for_update(of=("self",)).select_related("department__region").get(pk=user.pk)
        decision = require(can_manage_user(actor, user))
        before = _account_facts(user)
        for name, value in fields.items():
            setattr(user, name, value.strip() if isinstance(value, str) else value)
        if user.department_id != before["department_id"]:
            require(can_administer_department(actor, user.department))
        if user.department_id:
            _check_division(user.department, user.division)
        user.full_clean(exclude=["password", "username"])
        after = _account_facts(user)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not changes:
            return user
        user.save(update_fields=[f for f in EDITABLE_FIELDS if f in fields])
        org_record_append(actor=actor, role=decision.role, user=user, action=OrgAction.USER_UPDATE,
                          comment="、".join(sorted(changes)), snapshot={"changes": changes})
    return user


def _set_active(*, actor, user, active, decision):
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            raise ValidationError(_("账号已经是“%(state)s”状态。") % {"state": _("启用") if active else _("停用")})
        user.is_active = active
        user.save(update_fields=["is_active"])
        org_record_append(actor=actor, role=decision.role, user=user, was_active=not active,
                          action=OrgAction.USER_REACTIVATE if active else OrgAction.USER_DEACTIVATE)
    return user


def user_deactivate(*, actor, user):
    """Stop the account from signing in (it stays, with its roles and its record; its
    sessions end at their next request, as Django refuses inactive users). Raises
    PermissionDenied (e.g. one's own account) or ValidationError when already inactive."""
    return _set_active(actor=actor, user=user, active=False, decision=require(can_deactivate_user(actor, user)))


def user_reactivate(*, actor, user):
    """Let a deactivated account sign in again. Raises PermissionDenied or ValidationError."""
    return _set_active(actor=actor, user=user, active=True, decision=require(can_manage_user(actor, user)))


def user_password_reset(*, actor, user):
    """Give the account a new temporary password and return it (shown once); the user
    must change it at the next login. Raises PermissionDenied; writes one entry (without
    the password)."""
    decision = require(can_manage_user(actor, user))
    password = temporary_password_generate(user=user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        org_record_append(actor=actor, role=decision.role, user=user, action=OrgAction.PASSWORD_RESET)
    return password


def user_password_change(*, user, new_password):
    """The user chose their own password: validated against the policy (ValidationError),
    set, and the must-change flag cleared."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


def role_grant(*, actor, user, role):
    """Grant `role` (scoped by the user's department, as every role). Raises
    PermissionDenied (e.g. a department administrator granting anything but 经办人) or
    ValidationError when the user holds it already or has no department."""
    decision = require(can_change_role(actor, user, role))
    if not user.department_id:
        raise ValidationError(_("该用户未分配部门,不能授予有范围的角色。"))
    with transaction.atomic():
        created = RoleAssignment.objects.get_or_create(user=user, role=role)[1]
        if not created:
            raise ValidationError(_("该用户已经担任“%(role)s”。") % {"role": Role(role).label})
        _forget_caches(user)
        org_record_append(actor=actor, role=decision.role, user=user, action=OrgAction.ROLE_GRANT,
                          comment=Role(role).label, snapshot={"role": role})
    return user


def role_revoke(*, actor, user, role):
    """Take `role` back. Raises PermissionDenied or ValidationError when not held."""
    decision = require(can_change_role(actor, user, role))
    with transaction.atomic():
        deleted, _rows = RoleAssignment.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise ValidationError(_("该用户没有“%(role)s”角色。") % {"role": Role(role).label})
        _forget_caches(user)
        org_record_append(actor=actor, role=decision.role, user=user, action=OrgAction.ROLE_REVOKE,
                          comment=Role(role).label, snapshot={"role": role})
    return user


def department_grant(*, actor, user, department, codename, valid_until=None):
    """Give `user` a per-department grant: STAND_IN_PERMISSION (acts as the department's
    reviewer while theirs is absent) or DEPARTMENT_ADMINISTRATOR_PERMISSION (manages the
    department's clerks), in force through `valid_until` (inclusive; None: until revoked).
    Granting again changes the end date. Raises PermissionDenied or ValidationError for
    an end date in the past; writes one entry."""
    decision = require(can_grant_on_department(actor, target=user, department=department, codename=codename))
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("有效期不能早于今天。")})
    permission = Permission.objects.get(codename=codename, content_type__app_label="powerlist")
    with transaction.atomic():
        DepartmentUserObjectPermission.objects.update_or_create(
            user=user, permission=permission, content_object=department, defaults={"valid_until": valid_until}
        )
        _forget_caches(user)
        org_record_append(
            actor=actor, role=decision.role, user=user, action=GRANT_ACTIONS[codename][0],
            comment=str(department),
            snapshot={"department_id": department.pk, "valid_until": valid_until.isoformat() if valid_until else None},
        )


def department_grant_revoke(*, actor, grant):
    """Take a per-department grant back (the DepartmentUserObjectPermission row `grant`).
    Raises PermissionDenied; writes one entry."""
    user, department, codename = grant.user, grant.content_object, grant.permission.codename
    decision = require(can_grant_on_department(actor, target=user, department=department, codename=codename))
    with transaction.atomic():
        grant.delete()
        _forget_caches(user)
        org_record_append(actor=actor, role=decision.role, user=user, action=GRANT_ACTIONS[codename][1],
                          comment=str(department), snapshot={"department_id": department.pk})
