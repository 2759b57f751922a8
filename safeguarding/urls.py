from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from incidents.case import views as case_views
from safeguarding.forms import EmailAuthenticationForm

urlpatterns = [
    path("", case_views.home, name="home"),
    path(
        "login/",
        # Django's form views also accept PUT as a POST; only GET and POST are meant.
        require_http_methods(["GET", "POST"])(
            auth_views.LoginView.as_view(
                authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("safeguarding.accounts.urls")),
    path("", include("incidents.restricted.urls")),
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
    path("", include("referrals.agencies.urls")),
    path("", include("referrals.flow.urls")),
    path("", include("referrals.meetings.urls")),
    path("", include("referrals.summary.urls")),
    path("", include("incidents.signoff.urls")),
    path("", include("incidents.audit.urls")),
    path("", include("incidents.exports.urls")),
    path("", include("incidents.packs.urls")),
    path("admin/", admin.site.urls),
]
