"""Inter-agency meetings about an incident (issue 6 item 5; 002 §7.0)."""

from django.urls import path

from referrals.meetings import views as meeting_views

app_name = "meetings"

urlpatterns = [
    path("incidents/<int:incident_id>/meetings/", meeting_views.meetings, name="list"),
]
