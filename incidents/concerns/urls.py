"""Concerns staff report to the DSL, and what the DSL does with them."""

from django.urls import path

from incidents.concerns import views

app_name = "concerns"

urlpatterns = [
    path("schools/<int:school_id>/concerns/new/", views.report, name="report"),
    path("schools/<int:school_id>/concerns/", views.school_list, name="list"),
    path("schools/<int:school_id>/concerns/settings/", views.settings, name="settings"),
    path("concerns/", views.mine, name="mine"),
    path("concerns/<int:concern_id>/", views.detail, name="detail"),
    path("concerns/<int:concern_id>/notes/", views.note, name="note"),
    path("concerns/<int:concern_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("concerns/<int:concern_id>/incident/", views.open_incident, name="open_incident"),
    path("concerns/<int:concern_id>/join/", views.add_to_incident, name="add_to_incident"),
    path("concerns/<int:concern_id>/wider/", views.wider_procedures, name="wider_procedures"),
]
