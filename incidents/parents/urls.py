"""Recording whether parents were informed (issue 5 item 5; 002 §3.5, Annex B)."""

from django.urls import path

from incidents.parents import views as parent_views

app_name = "parents"

urlpatterns = [
    path("incidents/<int:incident_id>/parents/", parent_views.parents, name="list"),
]
