from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoso.access.actor import acting_user
from hoso.notices import service
from hoso.notices.models import Notification


def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notifications, newest first."""
    items = Notification.objects.filter(user=acting_user(request))[:200]
    return render(request, "notices/inbox.html", {"items": items})


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    service.mark_read(acting_user(request))
    return redirect("notices")
