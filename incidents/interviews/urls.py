"""Conversations with the children involved (issue 5 item 8; 002 §6.0)."""

from django.urls import path

from incidents.interviews import views as interview_views

app_name = "interviews"

urlpatterns = [
    path("incidents/<int:incident_id>/interviews/", interview_views.interviews, name="list"),
]
