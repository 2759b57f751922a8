"""URLs of the referral_summary pages: a school's referrals and timeliness."""

from django.urls import path

from referrals.summary import views as summary_views

app_name = "referral_summary"

urlpatterns = [
    path("schools/<int:school_id>/referrals/summary/", summary_views.school, name="school"),
]
