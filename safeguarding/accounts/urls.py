"""The signed-in user's own pages, under `account/` (namespace `account`)."""

from django.urls import path

from safeguarding.accounts import views as account_views
from safeguarding.notifications import views as notification_views

app_name = "account"

urlpatterns = [
    path("details/", account_views.details, name="details"),
    path("notifications/", notification_views.preferences, name="notifications"),
    path("two-factor/set-up/", account_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", account_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery/", account_views.two_factor_recovery, name="two_factor_recovery"),
    path("two-factor/recovery-codes/", account_views.recovery_codes, name="recovery_codes"),
    path(
        "two-factor/recovery-codes/new/",
        account_views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("confirm-password/", account_views.confirm_password, name="confirm_password"),
]
