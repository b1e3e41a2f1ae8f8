from django.contrib import admin

from civicplan.agencies.models import Agency, City, Membership
from civicplan.audit.admin_mixins import AuditedAdmin
from civicplan.audit.models import Action


@admin.register(City)
class CityAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("name", "reporting_frequency")
    audit_created = Action.CITY_CHANGED
    audit_changed = Action.CITY_CHANGED


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("name", "city", "parent", "order")
    list_filter = ("city",)
    search_fields = ("name",)
    audit_created = Action.AGENCY_CREATED
    audit_changed = Action.AGENCY_CHANGED


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("user", "city", "agency", "role")
    list_filter = ("city", "role", "agency")
    search_fields = ("user__username", "agency__name")
    audit_created = Action.MEMBERSHIP_GRANTED
    audit_changed = Action.MEMBERSHIP_REVOKED
