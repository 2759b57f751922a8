from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguarding.access import memberships_for_user, schools_for_user
from safeguarding.models import User
from safeguarding.roles import VIEW_INCIDENTS


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's schools, their role in each, and the school pages they may open."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "safeguarding/home.html",
        {
            "memberships": memberships_for_user(user),
            "readable_school_ids": set(
                schools_for_user(user, VIEW_INCIDENTS).values_list("pk", flat=True)
            ),
        },
    )
