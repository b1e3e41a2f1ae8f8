"""Plan content is read-only in the admin: it is edited through the chapter pages and their services,
which enforce the agency's permissions, the cycle lock and the change reason."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from civicplan.audit.admin_mixins import AuditedAdmin
from civicplan.audit.models import Action
from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanCycle, PlanImport, Target, Theme


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanCycle)
class PlanCycleAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("__str__", "status", "start_year", "end_year")
    list_filter = ("city", "kind", "status")
    readonly_fields = ("status", "version")
    audit_created = Action.CYCLE_CREATED
    audit_changed = Action.CYCLE_CHANGED


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "cycle")
    audit_created = Action.CYCLE_CHANGED
    audit_changed = Action.CYCLE_CHANGED


@admin.register(AgencyPlan)
class AgencyPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ("__str__", "status", "version")
    list_filter = ("cycle__city", "status")


@admin.register(Goal)
class GoalAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "kind", "perspective", "chapter")
    search_fields = ("name",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "code", "eval_system", "eval_method", "direction")
    search_fields = ("name", "standard")


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ("indicator", "year", "raw", "kind", "value", "unit")
    list_filter = ("year", "kind")


@admin.register(PlanImport)
class PlanImportAdmin(ReadOnlyHistoryAdmin):
    list_display = ("source_file", "cycle", "created_by", "created_at")
    exclude = ("document",)
