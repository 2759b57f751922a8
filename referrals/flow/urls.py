"""Referrals of one incident to agencies, and each referral's progress (issue 6 items 2–4)."""

from django.urls import path

from referrals.flow import views as referral_views

app_name = "referrals"

urlpatterns = [
    path("incidents/<int:incident_id>/referrals/", referral_views.referrals, name="list"),
    path(
        "incidents/<int:incident_id>/referrals/<int:referral_id>/",
        referral_views.detail,
        name="detail",
    ),
]
