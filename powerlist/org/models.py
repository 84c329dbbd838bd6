"""Regions, departments, divisions, users and their roles."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from powerlist.org.roles import Role


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("行政区划代码须为6位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("210000/210100/"): descendants are one indexed
    # prefix query, whatever the depth.
    path = models.CharField(_("路径"), max_length=100, editable=False, db_index=True)
    # A region's rule for promised time limits: at least this percent shorter than
    # the statutory limit (0 = no rule). Breaking it is a warning, not an error.
    promised_limit_reduction_percent = models.PositiveSmallIntegerField(
        _("承诺时限压缩比例(%)"), default=0
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def clean(self):
        expected = {self.Level.PROVINCE: None, self.Level.CITY: self.Level.PROVINCE,
                    self.Level.COUNTY: self.Level.CITY}
        parent_level = self.parent.level if self.parent_id else None
        if self.level and expected.get(self.level) != parent_level:
            raise ValidationError({"parent": _("上级区划的层级与本区划层级不符。")})

    def save(self, *args, **kwargs):
        prefix = self.parent.path if self.parent_id else ""
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)


class Department(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("职能部门")
        LEADING_GROUP_OFFICE = "leading_group_office", _("领导小组办公室")
        ESTABLISHMENT_OFFICE = "establishment_office", _("编委办")
        LEGAL_OFFICE = "legal_office", _("法制办")
        DISCIPLINE = "discipline", _("纪检监察机关")

    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices, default=Kind.ORDINARY)
    is_pilot = models.BooleanField(_("试点单位"), default=False)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["region__path", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")
        ]
        permissions = [
            ("act_as_department_reviewer", _("代行部门审核")),
            # A department administrator (部门管理员): manages the department's clerks.
            ("administer_department_users", _("管理本部门经办人")),
        ]

    def __str__(self):
        return f"{self.region.name}{self.name}" if self.region_id else self.name


class Division(models.Model):
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="divisions"
    )
    name = models.CharField(_("处(科、室)名称"), max_length=100)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("处(科、室)")
        verbose_name_plural = _("处(科、室)")
        ordering = ["department", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="division_unique_name")
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    department = models.ForeignKey(
        Department,
        verbose_name=_("所在部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("所在处(科、室)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Set when an administrator chose the password (a new account, a reset); the user is
    # sent to the change-password page until they pick their own
    # (powerlist.org.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def clean(self):
        super().clean()
        if self.division_id and self.division.department_id != self.department_id:
            raise ValidationError({"division": _("处(科、室)必须属于所在部门。")})

    @property
    def region_id(self):
        return self.department.region_id if self.department_id else None

    def role_set(self) -> frozenset:
        """The user's roles, loaded once per user object."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, role) -> bool:
        return role in self.role_set()


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


# django-guardian with direct foreign keys: single-object grants (a stand-in for an
# absent department reviewer) join on a real FK instead of a generic object_pk string.
class DepartmentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Department, on_delete=models.CASCADE)
    # The last day a grant counts (inclusive, local date); empty: until revoked. Read
    # through active_department_grants(), which every scope check uses.
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class DepartmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Department, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


STAND_IN_PERMISSION = "act_as_department_reviewer"
DEPARTMENT_ADMINISTRATOR_PERMISSION = "administer_department_users"


def active_department_grants(*, on=None):
    """The per-department grants (stand-ins, department administrators) in force on the
    local date `on` (today by default): without an end date, or ending on or after it."""
    day = on or timezone.localdate()
    return DepartmentUserObjectPermission.objects.filter(
        models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
    )


def active_stand_in_grants(*, on=None):
    """The stand-in grants (act_as_department_reviewer) in force on `on` (today)."""
    return active_department_grants(on=on).filter(permission__codename=STAND_IN_PERMISSION)
