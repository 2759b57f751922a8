from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguarding.access import memberships_for_user


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's schools and their role in each."""
    memberships = memberships_for_user(request.user)  # type: ignore[arg-type]
    return render(request, "safeguarding/home.html", {"memberships": memberships})
