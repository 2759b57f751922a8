"""Reporting imagery online for take-down (issue 5 item 8; 002 §8.0, Annex C)."""

from django.urls import path

from incidents.takedown import views as takedown_views

app_name = "takedown"

urlpatterns = [
    path("incidents/<int:incident_id>/takedown/", takedown_views.reports, name="list"),
    path(
        "incidents/<int:incident_id>/takedown/<int:report_id>/outcome/",
        takedown_views.outcome,
        name="outcome",
    ),
]
