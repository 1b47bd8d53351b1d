"""Finding organizations by name: the organization picker's search (the form field in
`orgs/forms.py`, the fragment at /orgs/pick/, the API's `/api/v1/orgs/?q=`).

Only organizations where the user may do the given policy action are searched (a grant covers
its subtree, `policy.scope_paths`), open ones unless closed ones are asked for. The query is
folded as the stored names are (`Organization.search_name`: tone marks or none, đ or d) and
split into words that must all be words of the name (or short name), in any order, the last
one a prefix while it is typed ("dang uy xa" finds "Đảng ủy xã An Bình", "ha no" finds "Hà
Nội"), as the member search reads names; an organization whose code is the query comes first.
Results come shallower first, then in Vietnamese name order, at most `LIMIT`, each with the
names of its ancestors the user may see (the tree's root left out, being on every path).

The cost follows the smaller of the user's scope and the matches, not the size of the tree
(`_matching`): a scope of a few thousand nodes is read through the path index and its names
compared; a larger one goes through the GIN index `org_search_fts` (PostgreSQL). SQLite,
sized for one office, compares the names of the scope with LIKE on the same column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.lib import query, vntext
from hoso.orgs.models import Organization

LIMIT = 20
SMALL_SCOPE = 5000  # nodes: up to this, a scope is read whole rather than through the index
MAX_WORDS = 8  # more words than any name needs; the rest of a pasted text is ignored
MAX_QUERY = 200
_STEP = Organization.steplen
_CODE_IN_LABEL = re.compile(r"\(([^()]{1,32})\)\s*$")


@dataclass(frozen=True)
class Hit:
    org: Organization
    trail: tuple[str, ...]  # the ancestors' names, top first

    @property
    def label(self) -> str:
        return label(self.org)


def label(org: Organization) -> str:
    """What the picker's text box shows for a chosen organization; typed back, it finds the
    same one (`resolve`), since the code is unique."""
    return f"{org.name} ({org.code})"


@dataclass(frozen=True)
class Params:
    action: policy.Action
    text: str
    closed: bool
    above: bool  # the committees above the scope too (a competent or managing committee)
    not_under: int | None  # an organization whose subtree is left out (a move's targets)


def params(data: Mapping[str, str]) -> Params:
    """`action`, `q` and `closed` of a request; an unknown action or flag is a 400."""
    name = (data.get("action") or "").strip() or policy.Action.ORG_VIEW
    try:
        action = policy.Action(name)
    except ValueError:
        raise query.BadParameter(
            "action",
            _("“action” must be one of: %(actions)s.")
            % {"actions": ", ".join(a.value for a in policy.Action)},
        ) from None
    closed = (data.get("closed") or "0").strip()
    if closed not in ("0", "1"):
        raise query.BadParameter("closed", _("“closed” must be 1 (closed organizations too) or 0."))
    above = (data.get("above") or "0").strip()
    if above not in ("0", "1"):
        raise query.BadParameter(
            "above", _("“above” must be 1 (the committees above the scope too) or 0.")
        )
    text = (data.get("q") or "")[:MAX_QUERY]
    return Params(action, text, closed == "1", above == "1", query.record_id(data, "not_under"))


def scoped(
    user: Any, action: str, *, closed: bool = False, above: bool = False
) -> QuerySet[Organization]:
    """The organizations where `user` may do `action` (open ones only, unless `closed`);
    with `above`, the committees above them too: a case's competent committee or a cadre's
    managing committee is often higher than the office that keeps the record."""
    qs = Organization.objects.visible_to(user, action)
    if above:
        qs = qs | Organization.objects.filter(path__in=_above(policy.scope_paths(user, action)))
    return qs if closed else qs.filter(valid_to__isnull=True)


def _above(paths: tuple[str, ...]) -> set[str]:
    return {path[:end] for path in paths for end in range(_STEP, len(path), _STEP)}


@dataclass(frozen=True)
class Terms:
    """The folded words of a query: whole words, and the last one as a prefix while it is
    being typed (a trailing space finishes it), as the member search reads names."""

    words: tuple[str, ...]
    prefix: str | None

    @classmethod
    def parse(cls, text: str) -> Terms:
        tokens = vntext.words(text[:MAX_QUERY])[:MAX_WORDS]
        if not tokens or text[-1:].isspace():
            return cls(tuple(tokens), None)
        return cls(tuple(tokens[:-1]), tokens[-1])

    def __bool__(self) -> bool:
        return bool(self.words or self.prefix)


def _like(terms: Terms) -> Q:
    """The words on `search_name` (folded words between spaces) with LIKE: no index, so the
    rows are those of the scope, read through the path index."""
    condition = Q()
    for word in terms.words:
        condition &= Q(search_name__contains=f" {word} ")
    if terms.prefix:
        condition &= Q(search_name__contains=f" {terms.prefix}")
    return condition


def _indexed(terms: Terms) -> Q:
    """The same words through the GIN index `org_search_fts` (PostgreSQL)."""
    # Words are [a-z0-9]+ only (vntext.words), so the tsquery text cannot carry operators.
    parts = [*terms.words, *([f"{terms.prefix}:*"] if terms.prefix else [])]
    sql = "to_tsvector('simple', orgs_organization.search_name) @@ to_tsquery('simple', %s)"
    return Q(RawSQL(sql, [" & ".join(parts)], output_field=BooleanField()))  # noqa: S611


def _matching(qs: QuerySet[Organization], terms: Terms) -> QuerySet[Organization]:
    """Filter `qs` (a scope) by the words, at a cost that follows the smaller of the scope and
    the matches. PostgreSQL misjudges how many names a prefix matches, so it is not left to
    choose: a scope of at most SMALL_SCOPE nodes (a commune, most provinces) is read whole
    through the path index and its names compared; a larger one (the country) goes through
    the words' index, whose cost follows the matches in the whole tree."""
    if connection.vendor != "postgresql":
        return qs.filter(_like(terms))
    beyond = qs.order_by().values_list("pk", flat=True)[SMALL_SCOPE : SMALL_SCOPE + 1]
    return qs.filter(_indexed(terms) if list(beyond) else _like(terms))


def _near_roots(paths: tuple[str, ...]) -> Q:
    """The scope's own nodes and their direct units: what an empty query offers."""
    where = Q(path__in=paths)
    for path in paths:
        where |= Q(path__startswith=path, depth=len(path) // _STEP + 1)
    return where


def find(
    user: Any,
    action: str,
    text: str,
    *,
    closed: bool = False,
    above: bool = False,
    not_under: int | None = None,
    limit: int = LIMIT,
) -> list[Hit]:
    """The organizations of the user's scope for `action` that match `text` (see above),
    without the subtree of `not_under` (an id; one the user may not see changes nothing).
    An organization whose code is the query comes first."""
    paths = policy.scope_paths(user, action)
    if not paths:
        return []
    qs = scoped(user, action, closed=closed, above=above)
    if not_under is not None:
        qs = qs.exclude(path__startswith=_path_of(user, not_under))
    terms = Terms.parse(text)
    order: list[Any] = ["depth", "sort_key", "id"]
    if closed:  # open ones first
        order.insert(0, Case(When(valid_to__isnull=True, then=Value(0)), default=Value(1)))
    if not terms:
        near = _near_roots(paths) | (Q(path__in=_above(paths)) if above else Q())
        return with_trails(user, list(qs.filter(near).order_by(*order)[:limit]))
    code = text.strip().upper()
    first = qs.filter(code=code).first() if 0 < len(code) <= 32 and " " not in code else None
    found = list(_matching(qs, terms).order_by(*order)[:limit])
    if first is not None:
        found = [first, *[o for o in found if o.pk != first.pk]][:limit]
    return with_trails(user, found)


def _path_of(user: Any, pk: int) -> str:
    visible = Organization.objects.visible_to(user).filter(pk=pk)
    path: str | None = visible.values_list("path", flat=True).first()
    return path or "~"  # "~" is outside the path alphabet: nothing is left out


def with_trails(user: Any, orgs: list[Organization]) -> list[Hit]:
    """Each organization with its ancestors' names, in one query: those the user may see on
    the tree (`org.view`), below the root."""
    wanted = {o.path[:end] for o in orgs for end in range(2 * _STEP, len(o.path), _STEP)}
    visible = Organization.objects.visible_to(user, policy.Action.ORG_VIEW)
    names = dict(visible.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    return [
        Hit(
            org,
            tuple(
                names[org.path[:end]]
                for end in range(2 * _STEP, len(org.path), _STEP)
                if org.path[:end] in names
            ),
        )
        for org in orgs
    ]


def resolve(qs: QuerySet[Organization], text: str) -> list[Organization]:
    """What a typed value names inside `qs` (a scoped queryset), for a form posted without the
    picker's id (no JavaScript, or typed without picking): an id, a code, a label
    "Name (CODE)", or an exact name, however folded. More than one result is ambiguous."""
    text = text.strip()
    pk = query.as_id(text)
    if pk is not None:
        return list(qs.filter(pk=pk))
    found = _CODE_IN_LABEL.search(text)
    for code in (found.group(1) if found else "", text if len(text) <= 32 else ""):
        if code.strip() and (org := qs.filter(code=code.strip().upper()).first()):
            return [org]
    words = vntext.words(text)
    if not words:
        return []
    exact = f" {' '.join(words)} "
    # The words narrow the rows; the exact name is compared on the few left.
    candidates = _matching(qs, Terms(tuple(words), None)).filter(search_name__startswith=exact)
    return [o for o in candidates[:50] if vntext.words(o.name) == words][:2]
