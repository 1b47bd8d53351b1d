from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import defaults
from rest_framework.exceptions import NotFound

from hoso.access.actor import acting_user
from hoso.web import home as panels


def home(request: HttpRequest) -> HttpResponse:
    """The user's work: the panels of the roles they hold (web/home.py)."""
    today = timezone.localdate()
    found = panels.panels(acting_user(request), today)
    return render(request, "web/home.html", {"panels": found, "today": today})


def not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    """404 for a URL that matches no route: JSON under /api/, as the API's own 404s are."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
