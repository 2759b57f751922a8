"""Every page of the incidents app: the home page, then each feature's own URLs.

URL names and namespaces are those each feature has always had (`log:details`,
`devices:seizure`, …); the triage policy and restricted-access pages share the
`incidents` namespace, as they did when they were one module.
"""

from django.urls import include, path

from incidents.case import views as case_views
from incidents.policy import urls as policy_urls
from incidents.restricted import urls as restricted_urls

urlpatterns = [
    path("", case_views.home, name="home"),
    path("", include(([*policy_urls.urlpatterns, *restricted_urls.urlpatterns], "incidents"))),
    path("", include("incidents.concerns.urls")),
    path("", include("incidents.documents.urls")),
    path("", include("incidents.logging.urls")),
    path("", include("incidents.case.urls")),
    path("", include("incidents.review.urls")),
    path("", include("incidents.parents.urls")),
    path("", include("incidents.closure.urls")),
    path("", include("incidents.risk.urls")),
    path("", include("incidents.viewing.urls")),
    path("", include("incidents.devices.urls")),
    path("", include("incidents.interviews.urls")),
    path("", include("incidents.takedown.urls")),
    path("", include("incidents.signoff.urls")),
    path("", include("incidents.audit.urls")),
    path("", include("incidents.exports.urls")),
    path("", include("incidents.packs.urls")),
]
