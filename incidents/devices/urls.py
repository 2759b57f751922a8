"""Devices taken or refused, and deletion of the imagery (issue 5 item 7; 002 §3.8, §5.2)."""

from django.urls import path

from incidents.devices import views as device_views

app_name = "devices"

urlpatterns = [
    path("incidents/<int:incident_id>/devices/", device_views.devices, name="list"),
    path(
        "incidents/<int:incident_id>/devices/seizures/<int:seizure_id>/police/",
        device_views.seizure_police,
        name="seizure_police",
    ),
    path(
        "incidents/<int:incident_id>/devices/deletions/<int:deletion_id>/confirm/",
        device_views.deletion_confirmed,
        name="deletion_confirm",
    ),
    path(
        "incidents/<int:incident_id>/devices/deletions/<int:deletion_id>/refuse/",
        device_views.deletion_refused,
        name="deletion_refuse",
    ),
]
