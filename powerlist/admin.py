from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from powerlist.catalogue import admin as catalogue_admin  # noqa: F401  (header synonyms, export layouts)
from powerlist.catalogue.models import Category, LegalBasis, Power, PowerRevision
from powerlist.jobs.models import Job
from powerlist.org.models import Department, Division, Region, RoleAssignment, User
from powerlist.review.record_models import Checkpoint, ReviewLogEntry


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "promised_limit_reduction_percent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)


class DivisionInline(admin.TabularInline):
    model = Division
    extra = 0


@admin.register(Department)
class DepartmentAdmin(GuardedModelAdmin):
    list_display = ("name", "region", "kind", "is_pilot", "order")
    list_filter = ("kind", "is_pilot", "region__level")
    search_fields = ("name", "region__name")
    list_select_related = ("region",)
    inlines = [DivisionInline]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("所属单位"), {"fields": ("display_name", "department", "division")}),)
    list_display = ("username", "display_name", "department", "division", "is_active")
    list_select_related = ("department__region", "division")
    search_fields = ("username", "display_name", "department__name")
    autocomplete_fields = ("department",)
    inlines = [RoleInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "order", "is_active")
    list_editable = ("order", "is_active")


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


@admin.register(Power)
class PowerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "department", "state", "disposition", "revision")
    list_filter = ("state", "category", "disposition", "region__level")
    search_fields = ("code", "name")
    list_select_related = ("category", "department__region")
    raw_id_fields = ("department", "division", "source", "in_force", "created_by",
                     "establishment_confirmed_by", "legal_confirmed_by", "region")
    # State moves only through the review services, never by hand here.
    readonly_fields = ("state", "version", "revision", "in_force", "state_changed_at", "submitted_at",
                       "confirmed_at", "establishment_confirmed_by", "legal_confirmed_by")
    inlines = [LegalBasisInline]


@admin.register(PowerRevision)
class PowerRevisionAdmin(admin.ModelAdmin):
    list_display = ("power", "number", "name", "confirmed_at")
    raw_id_fields = ("power",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewLogEntry)
class ReviewLogEntryAdmin(admin.ModelAdmin):
    list_display = ("chain", "seq", "created_at", "object_repr", "actor_name", "actor_role", "action", "from_state",
                    "to_state")
    list_filter = ("action", "actor_role")
    search_fields = ("object_repr", "actor_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(ReviewLogEntryAdmin):
    """The published checkpoints of the operation record, read-only (written by the daily job)."""

    list_display = ("chain", "seq", "count", "head_hash", "created_at")
    list_filter = ()
    search_fields = ("chain",)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("kind", "user", "state", "progress", "total", "created_at")
    list_filter = ("kind", "state")
