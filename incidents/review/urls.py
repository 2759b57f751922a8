"""The initial review meeting (002 §3.3): a DSL records what the meeting decided."""

from django.urls import path

from incidents.review import views as review_views

app_name = "review"

urlpatterns = [
    path("incidents/<int:incident_id>/review/", review_views.initial_review, name="initial"),
    path(
        "incidents/<int:incident_id>/decisions/<int:decision_id>/correct/",
        review_views.decision_correct,
        name="correct",
    ),
]
