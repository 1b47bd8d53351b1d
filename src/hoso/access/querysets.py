"""Row-level scoping shared by every domain queryset: `Model.objects.visible_to(user)`, and
the abstract model of a record kept by an organization."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self, TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.access import policy

_M = TypeVar("_M", bound=models.Model)

# The attribute of a queryset's `query` naming the organization paths every row of it is under:
# set by `visible_to` (and `within`), carried by Django through filter(), order_by() and the
# rest (a Query's clone copies its attributes). Search and lists read it (`paths_of`) to read
# the scope first (people/search.py).
_PATHS = "hoso_scope_paths"


def within(qs: Any, paths: tuple[str, ...]) -> Any:
    """`qs`, known from now on to hold only rows under `paths` (the caller filtered it so)."""
    setattr(qs.query, _PATHS, tuple(paths))
    return qs


def paths_of(qs: Any) -> tuple[str, ...]:
    """The paths every row of `qs` is under, or () when unknown. A queryset widened since by
    `|` (its conditions joined by OR) or a union is unknown."""
    query = qs.query
    if query.where.connector != "AND" or query.combinator:
        return ()
    return tuple(getattr(query, _PATHS, ()))


@dataclass(frozen=True)
class Scope:
    """Who sees a model's rows: those granted `view` over the row's organization path (`path`,
    a lookup), with the clearance for its secrecy level (`classification`, a lookup, or None
    for unclassified rows)."""

    view: str
    path: str = "organization__path"
    classification: str | None = None
    # The lookup to the id of the member whose dossier the row belongs to: `opened_to` adds
    # the rows of the dossiers the reader holds an emergency access to.
    glass: str | None = None


class ScopedQuerySetMixin:
    """Mix into a QuerySet whose model declares `scope = Scope(...)`."""

    model: Any

    @property
    def scope(self) -> Scope:
        scope: Scope = self.model.scope
        return scope

    @property
    def view_action(self) -> str:
        return self.scope.view

    def visible_to(self, user: Any, action: str | None = None) -> Self:
        """The rows `user` may `action` (default: view), through their grants."""
        return self._scoped(user, action, [])

    def opened_to(self, user: Any) -> Self:
        """The rows `user` may view, and those of the dossiers they hold an emergency access
        to: asked for only by the pages that show one dossier (the member's read functions),
        never by a list, an export, a form or an action, so that the access opens that
        dossier for viewing and nothing else."""
        if not self.scope.glass:
            raise TypeError(f"{self.model.__name__} belongs to no dossier: nothing to open")
        return self._scoped(user, None, list(policy.glass(user).values()))

    def _scoped(self, user: Any, action: str | None, opened: list[int]) -> Self:
        qs: Any = self
        paths = policy.scope_paths(user, action or self.scope.view)
        if not paths and not opened:
            return qs.none()  # type: ignore[no-any-return]
        where = Q()
        for path in paths:
            where |= Q(**{f"{self.scope.path}__startswith": path})
        if opened:
            where |= Q(**{f"{self.scope.glass}__in": opened})
        qs = qs.filter(where)
        if self.scope.classification:
            qs = qs.filter(**{f"{self.scope.classification}__lte": user.clearance})
        return qs if opened else within(qs, paths)  # type: ignore[no-any-return]


class UnfiledToRootMixin:
    """Before ScopedQuerySetMixin, for rows about the whole system as well as about an
    organization (audit events, insider flags): a row filed under no organization (a failed
    login with an unknown name) is seen only by those granted on a root node."""

    def visible_to(self, user: Any, action: str | None = None) -> Any:
        scoped = super().visible_to(user, action)  # type: ignore[misc]
        if policy.national(user, action or self.view_action):  # type: ignore[attr-defined]
            unfiled = Q(organization__isnull=True)
            return self.filter(Q(pk__in=scoped.values("pk")) | unfiled)  # type: ignore[attr-defined]
        return scoped


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet[_M]):
    """The queryset of a scoped model with nothing of its own to add."""


class ScopedRecord(models.Model):
    """A record an organization keeps, made by an account: the organization it belongs to
    (which decides who sees it, with `scope`), who created it and when. A model may redeclare
    `organization` to give it its own name (the handling office, the receiving office)."""

    scope: ClassVar[Scope]
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    created_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
