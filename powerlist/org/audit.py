"""The organisation's part of the operation record (操作记录): every change an
administrator makes to an account is one entry, written through powerlist.review.record
(the one writer, chained per stream), in the caller's transaction.

An entry's object is the account concerned (its department and region scope the entry),
its action one of OrgAction, its states the account's activity before and after, and its
snapshot the facts of the change (fields changed, role, department of a grant)."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from powerlist.review.record import RecordEvent, operation_record_append, operation_record_append_events

ACTIVE, INACTIVE = "active", "inactive"


class OrgAction(models.TextChoices):
    USER_CREATE = "user_create", _("新建账号")
    USER_IMPORT = "user_import", _("导入账号")
    USER_UPDATE = "user_update", _("修改账号信息")
    USER_DEACTIVATE = "user_deactivate", _("停用账号")
    USER_REACTIVATE = "user_reactivate", _("启用账号")
    PASSWORD_RESET = "password_reset", _("重置密码")
    ROLE_GRANT = "role_grant", _("授予角色")
    ROLE_REVOKE = "role_revoke", _("收回角色")
    STAND_IN_GRANT = "stand_in_grant", _("指定代行部门审核")
    STAND_IN_REVOKE = "stand_in_revoke", _("取消代行部门审核")
    DEPARTMENT_ADMIN_GRANT = "department_admin_grant", _("指定部门管理员")
    DEPARTMENT_ADMIN_REVOKE = "department_admin_revoke", _("取消部门管理员")


def _state(active):
    return ACTIVE if active else INACTIVE


def org_record_append(*, actor, role, user, action, comment="", snapshot=None, was_active=None):
    """Append one entry about account `user` (which must have a department) to the
    operation record. Must run inside the caller's transaction. `comment` is rendered in
    the portal's default language, so the record reads the same whoever looks at it."""
    with translation.override(settings.LANGUAGE_CODE):
        return operation_record_append(
            obj=user,
            actor=actor,
            role=role,
            action=action,
            from_state=_state(user.is_active if was_active is None else was_active),
            to_state=_state(user.is_active),
            comment=str(comment),
            snapshot=snapshot,
        )


def org_record_append_many(*, actor, role, users, action, comments, snapshots):
    """One entry per account of `users` (all with a department), with its own comment
    and snapshot, in one locked write per stream; the bulk twin of org_record_append."""
    with translation.override(settings.LANGUAGE_CODE):
        events = [
            RecordEvent(obj=user, actor=actor, role=role, action=action, from_state=_state(user.is_active),
                        to_state=_state(user.is_active), comment=str(comment), snapshot=snapshot)
            for user, comment, snapshot in zip(users, comments, snapshots, strict=True)
        ]
        return operation_record_append_events(events)


def org_action_label(action):
    """The label of a recorded org action (the raw value for anything else)."""
    try:
        return OrgAction(action).label
    except ValueError:
        return action
