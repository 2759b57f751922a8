"""An incident's audit trail and access log (issue 7 items 5 and 6)."""

from django.urls import path

from incidents.audit import views as audit_views

app_name = "audit"

urlpatterns = [
    path("incidents/<int:incident_id>/audit/", audit_views.incident_audit, name="incident"),
    path("incidents/<int:incident_id>/access-log/", audit_views.access_log, name="access"),
]
