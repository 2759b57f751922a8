from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from safeguarding import views
from safeguarding.forms import EmailAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("incidents.urls")),
    path("admin/", admin.site.urls),
]
