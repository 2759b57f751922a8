from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.forms import EmailAuthenticationForm
from safeguarding.health import HealthView

urlpatterns = [
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
    path("", include("incidents.urls")),
    path("", include("referrals.urls")),
    path("", include("pupils.imports.urls")),
    path("", include("transfers.urls")),
    path("", include("safeguarding.calendar.urls")),
    path("admin/", admin.site.urls),
    path("health/", HealthView.as_view(), name="health"),
]
