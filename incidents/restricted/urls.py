from django.urls import path

from incidents.restricted import views

app_name = "incidents"

urlpatterns = [
    path("schools/<int:school_id>/triage-policy/", views.triage_policy, name="triage_policy"),
    path(
        "incidents/<int:incident_id>/access/",
        views.restricted_access,
        name="restricted_access",
    ),
    path(
        "incidents/<int:incident_id>/access/<int:grant_id>/end/",
        views.restricted_access_end,
        name="restricted_access_end",
    ),
]
