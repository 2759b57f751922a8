"""The DSL's caseload, incident pages and pupil chronologies (read-only)."""

from django.urls import path

from incidents.case import views as case_views

app_name = "cases"

urlpatterns = [
    path("schools/<int:school_id>/incidents/", case_views.caseload, name="list"),
    path("pupils/<int:pupil_id>/", case_views.pupil, name="pupil"),
    path("incidents/<int:incident_id>/", case_views.detail, name="detail"),
]
