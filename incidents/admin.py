from django.contrib import admin

from incidents.models import Decision, Incident, Involvement, ParentContact
from safeguarding.admin_base import ReadOnlyAuditedAdmin


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAuditedAdmin):
    list_display = ("reference", "school", "status", "came_to_light_at", "restricted")
    list_filter = ("school", "status", "restricted")
    search_fields = ("reference",)


@admin.register(Involvement)
class InvolvementAdmin(ReadOnlyAuditedAdmin):
    list_display = ("incident", "kind", "pupil", "description")
    list_filter = ("kind",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAuditedAdmin):
    list_display = ("incident", "kind", "outcome", "decided_at", "decided_by")
    list_filter = ("kind", "outcome")


@admin.register(ParentContact)
class ParentContactAdmin(ReadOnlyAuditedAdmin):
    list_display = ("incident", "involvement", "informed", "contacted_at")
