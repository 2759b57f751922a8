"""The headteacher's sign-off queue and review page (issue 7)."""

from django.urls import path

from incidents.signoff import views as signoff_views

app_name = "signoff"

urlpatterns = [
    path("schools/<int:school_id>/sign-off/", signoff_views.sign_off_queue, name="queue"),
    path(
        "incidents/<int:incident_id>/sign-off/<str:kind>/<int:subject_id>/",
        signoff_views.sign_off_review,
        name="review",
    ),
]
