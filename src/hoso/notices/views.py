from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoso.access.actor import acting_user
from hoso.notices import actions, reads


def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notifications, newest first."""
    return render(request, "notices/inbox.html", {"items": reads.inbox(acting_user(request))})


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    actions.mark_read(acting_user(request))
    return redirect("notices")
