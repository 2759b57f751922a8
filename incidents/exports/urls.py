"""PDF exports of incident records (issue 8)."""

from django.urls import path

from incidents.exports import views as export_views

app_name = "exports"

urlpatterns = [
    path("incidents/<int:incident_id>/export/", export_views.incident, name="incident"),
]
