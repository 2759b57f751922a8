from django.urls import path

from incidents.policy import views

urlpatterns = [
    path("schools/<int:school_id>/triage-policy/", views.triage_policy, name="triage_policy"),
]
