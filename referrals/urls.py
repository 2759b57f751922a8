"""Every page of the referrals app, by feature, under the namespaces they have always had."""

from django.urls import include, path

urlpatterns = [
    path("", include("referrals.agencies.urls")),
    path("", include("referrals.flow.urls")),
    path("", include("referrals.meetings.urls")),
    path("", include("referrals.summary.urls")),
]
