from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from incidents import case_views
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
    path("account/", include("safeguarding.account_urls")),
    path("", include("incidents.urls")),
    path("", include("incidents.document_urls")),
    path("", include("incidents.logging_urls")),
    path("", include("incidents.case_urls")),
    path("", include("incidents.review_urls")),
    path("", include("incidents.parent_urls")),
    path("", include("incidents.closure_urls")),
    path("", include("incidents.risk_urls")),
    path("", include("incidents.viewing_urls")),
    path("", include("incidents.device_urls")),
    path("", include("incidents.interview_urls")),
    path("", include("incidents.takedown_urls")),
    path("", include("referrals.agency_urls")),
    path("", include("referrals.referral_urls")),
    path("", include("referrals.meeting_urls")),
    path("", include("referrals.summary_urls")),
    path("", include("incidents.signoff_urls")),
    path("", include("incidents.audit_urls")),
    path("", include("incidents.export_urls")),
    path("", include("incidents.pack_urls")),
    path("admin/", admin.site.urls),
]
