from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("schools/<int:school_id>/triage-policy/", views.triage_policy, name="triage_policy"),
]
