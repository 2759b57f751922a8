"""Recording a viewing of the imagery (issue 5 item 6; 002 §5.1)."""

from django.urls import path

from incidents.viewing import views as viewing_views

app_name = "viewing"

urlpatterns = [
    path("incidents/<int:incident_id>/viewing/", viewing_views.record, name="record"),
]
