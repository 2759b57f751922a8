"""PDF exports of incident records (issue 8)."""

from django.urls import path

from incidents import export_views

app_name = "exports"

urlpatterns = [
    path("incidents/<int:incident_id>/export/", export_views.incident, name="incident"),
]
