from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoso.access import policy
from hoso.orgs import actions, search
from hoso.orgs.forms import CloseForm, MoveForm, OrganizationForm, RenameForm, TermForm
from hoso.orgs.models import Organization


def _visible(request: HttpRequest) -> Any:
    return Organization.objects.visible_to(request.user)


def org_tree(request: HttpRequest) -> HttpResponse:
    """The user's scope roots; deeper levels load on demand (a province has thousands)."""
    paths = policy.scope_paths(request.user, policy.Action.ORG_VIEW)
    roots = _visible(request).filter(path__in=paths).order_by("path")
    return render(request, "orgs/tree.html", {"roots": roots})


def org_children(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(_visible(request), pk=pk)
    children = Organization.objects.get_children(node)
    return render(request, "orgs/_children.html", {"children": children})


def org_pick(request: HttpRequest) -> HttpResponse:
    """The picker's results (an htmx fragment): `?action=case.manage&q=dang uy xa`."""
    wanted = search.params(request.GET)
    hits = search.find(
        request.user,
        wanted.action,
        wanted.text,
        closed=wanted.closed,
        above=wanted.above,
        not_under=wanted.not_under,
    )
    return render(request, "orgs/_pick.html", {"hits": hits})


def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(_visible(request), pk=pk)
    ancestors = [
        a
        for a in Organization.objects.get_ancestors(node)
        if policy.can(request.user, "org.view", a)
    ]
    return render(
        request,
        "orgs/detail.html",
        {
            "node": node,
            "ancestors": ancestors,
            "terms": node.terms.all(),
            "children": Organization.objects.get_children(node)[:200],
            "can_manage": policy.can(request.user, policy.Action.ORG_MANAGE, node),
        },
    )


def _do(op: str, request: HttpRequest, node: Organization, data: dict[str, Any]) -> Any:
    user: Any = request.user
    if op == "new":
        return actions.create_organization(user, node, **data)
    if op == "rename":
        return actions.rename_organization(user, node, **data)
    if op == "move":
        return actions.move_organization(user, node, data["new_parent"], reason=data["reason"])
    if op == "close":
        return actions.close_organization(user, node, **data)
    return actions.add_term(user, node, **data)


FORMS: dict[str, tuple[Callable[..., forms.Form], str]] = {
    "new": (OrganizationForm, "Add a unit"),
    "rename": (RenameForm, "Rename"),
    "move": (MoveForm, "Move with its units"),
    "close": (CloseForm, "Close"),
    "term": (TermForm, "Add a committee term"),
}
# What each action says it did, with the organization's name (after the action).
DONE = {
    "new": gettext_lazy("Unit “%(org)s” added."),
    "rename": gettext_lazy("Renamed: “%(org)s”."),
    "move": gettext_lazy("“%(org)s” moved with its units."),
    "close": gettext_lazy("“%(org)s” closed."),
    "term": gettext_lazy("Committee term added to “%(org)s”."),
}


def org_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    node = get_object_or_404(_visible(request), pk=pk)
    if op not in FORMS:
        raise Http404
    policy.require(request.user, policy.Action.ORG_MANAGE, node)
    form_class, title = FORMS[op]
    kwargs: dict[str, Any] = {"actor": request.user, "node": node} if op == "move" else {}
    names = {f: getattr(node, f) for f in ("name", "short_name", "abbreviation")}
    initial = names if op == "rename" else None
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None or k == "ends_on"}
        try:
            result = _do(op, request, node, data)
        except actions.TreeError as exc:
            form.add_error(None, str(exc))
        else:
            target = result if isinstance(result, Organization) else node
            target.refresh_from_db()
            messages.success(request, DONE[op] % {"org": target.name})
            return redirect("org-detail", pk=target.pk)
    return render(request, "orgs/action.html", {"node": node, "form": form, "title": _(title)})
