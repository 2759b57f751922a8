"""Logging an incident as five steps that can be saved and resumed (issue 5 item 2)."""

from django.urls import path

from incidents.logging import views as logging_views

app_name = "log"

urlpatterns = [
    path("schools/<int:school_id>/incidents/new/", logging_views.start, name="start"),
    path("incidents/<int:incident_id>/log/details/", logging_views.details, name="details"),
    path("incidents/<int:incident_id>/log/people/", logging_views.people, name="people"),
    path("incidents/<int:incident_id>/log/imagery/", logging_views.imagery, name="imagery"),
    path("incidents/<int:incident_id>/log/sharing/", logging_views.sharing, name="sharing"),
    path("incidents/<int:incident_id>/log/finish/", logging_views.finish, name="finish"),
]
