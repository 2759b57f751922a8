from django.urls import path

from incidents.restricted import views

urlpatterns = [
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
