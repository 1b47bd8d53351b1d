"""Template context: the organizations the signed-in user works in, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hoso.access import policy


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from hoso.notices.reads import unread_count

    def nav() -> dict[str, Any]:
        paths = policy.scope_paths(user, policy.Action.ORG_VIEW)
        return {
            "orgs": policy.granted_names(user, paths),
            "can": {
                action.name.lower(): bool(policy.scope_paths(user, action))
                for action in policy.Action
            },
            "unread": unread_count(user),
        }

    # Evaluated only when a template uses it.
    from django.utils.functional import SimpleLazyObject

    return {"hoso_scope": SimpleLazyObject(nav)}
