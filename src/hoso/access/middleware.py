from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, JsonResponse


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every view needs a login unless marked `@login_not_required`; the API answers 401."""

    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Authentication required"}, status=401)
        return super().handle_no_permission(request, view_func)
