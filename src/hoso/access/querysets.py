"""Row-level scoping shared by every domain queryset: `Model.objects.visible_to(user)`."""

from __future__ import annotations

from typing import Any, Self

from django.db.models import Q

from hoso.access import policy


class ScopedQuerySetMixin:
    """Mix into a QuerySet. Subclasses name the path field and the action that means 'see'.

    scope_path_field: lookup to the organization path of a row (e.g. "organization__path").
    view_action: the policy action needed to see rows at all.
    classification_field: lookup to the row's secrecy level, or None if rows are unclassified.
    """

    scope_path_field: str = "organization__path"
    view_action: str = policy.Action.ORG_VIEW
    classification_field: str | None = None

    def visible_to(self, user: Any, action: str | None = None) -> Self:
        qs: Any = self
        paths = policy.scope_paths(user, action or self.view_action)
        if not paths:
            return qs.none()  # type: ignore[no-any-return]
        scope = Q()
        for path in paths:
            scope |= Q(**{f"{self.scope_path_field}__startswith": path})
        qs = qs.filter(scope)
        if self.classification_field:
            qs = qs.filter(**{f"{self.classification_field}__lte": user.clearance})
        return qs  # type: ignore[no-any-return]
