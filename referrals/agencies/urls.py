"""The school's directory of agencies and how to reach them (issue 6 item 1; 002 §3.6–§3.7,
Annex C)."""

from django.urls import path

from referrals.agencies import views as agency_views

app_name = "agencies"

urlpatterns = [
    path("schools/<int:school_id>/agencies/", agency_views.contacts, name="list"),
    path("schools/<int:school_id>/agencies/<int:contact_id>/", agency_views.edit, name="edit"),
    path(
        "schools/<int:school_id>/agencies/<int:contact_id>/retire/",
        agency_views.retire,
        name="retire",
    ),
]
