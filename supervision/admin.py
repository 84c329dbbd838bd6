"""Read-only admin views of the calendar: edits go through the staff page and its service,
so that each one bumps the version and leaves a CalendarChange."""

from django.contrib import admin

from supervision.models import CalendarChange, CalendarDay, CalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "notice_number", "is_complete", "version", "updated_at")


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind", "calendar_year__year")
    list_select_related = ("calendar_year",)


@admin.register(CalendarChange)
class CalendarChangeAdmin(ReadOnlyAdmin):
    list_display = ("calendar_year", "version", "action", "user", "at", "summary")
    list_select_related = ("calendar_year", "user")


# The retention period of complainants' identities is the administrator's setting; the
# complaints themselves have their own pages (the identity is never shown here).
from supervision.complaints.models import ComplaintPolicy  # noqa: E402


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "identity_retention_days", "updated_at")

    def has_add_permission(self, request):
        return not ComplaintPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
