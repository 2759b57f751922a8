"""The account page where each person chooses how they hear of each kind of event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguarding.notifications.forms import PreferencesForm
from safeguarding.notifications.selectors import preferences_of
from safeguarding.notifications.services import preferences_save
from safeguarding.web.views import request_user


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences_save(user=user, deliveries=form.deliveries)
            messages.success(request, "Your email choices are saved.")
            return redirect("account:notifications")
        status = 400
    else:
        form = PreferencesForm(initial=preferences_of(user))
        status = 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
