"""Importing a school's pupils from its MIS (docs/pupil-import.md)."""

from django.urls import path

from pupils.imports import views

app_name = "pupils"

urlpatterns = [
    path("schools/<int:school_id>/pupils/import/", views.upload, name="upload"),
    path("schools/<int:school_id>/pupils/imports/<int:import_id>/", views.detail, name="import"),
    path(
        "schools/<int:school_id>/pupils/imports/<int:import_id>/apply/",
        views.apply,
        name="apply",
    ),
    path("schools/<int:school_id>/pupils/leavers/", views.leavers, name="leavers"),
]
