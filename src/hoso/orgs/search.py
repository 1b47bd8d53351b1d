"""Finding organizations by name: the organization picker's search (the form field in
`orgs/forms.py`, the fragment at /orgs/pick/, the API's `/api/v1/orgs/?q=`).

Only organizations where the user may do the given policy action are searched (a grant covers
its subtree, `policy.scope_paths`), open ones unless closed ones are asked for. The query is
folded as the stored names are (`Organization.search_name`: tone marks or none, đ or d) and
split into words; every word must begin a word of the name, in any order ("dang uy xa" finds
"Đảng ủy xã An Bình"); a query that is an organization's code finds it too. Results come
shallower first, then in Vietnamese name order, at most `LIMIT`, each with the names of its
ancestors the user may see (the tree's root left out, being on every path).

PostgreSQL answers from the GIN index `org_search_fts` ANDed with the path index of the scope,
so the cost follows the matches inside the scope, not the size of the tree; SQLite, sized for
one office, matches the same words with LIKE on the same column.
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
    text = (data.get("q") or "")[:MAX_QUERY]
    return Params(action, text, closed == "1", query.record_id(data, "not_under"))


def scoped(user: Any, action: str, *, closed: bool = False) -> QuerySet[Organization]:
    """The organizations where `user` may do `action` (open ones only, unless `closed`)."""
    qs = Organization.objects.visible_to(user, action)
    return qs if closed else qs.filter(valid_to__isnull=True)


def _words_match(words: list[str]) -> Q:
    """Every word begins a word of the folded name (or short name)."""
    if connection.vendor == "postgresql":
        # Words are [a-z0-9]+ only (vntext.words), so the tsquery text cannot carry operators.
        sql = "to_tsvector('simple', orgs_organization.search_name) @@ to_tsquery('simple', %s)"
        tsquery = " & ".join(f"{w}:*" for w in words)
        return Q(RawSQL(sql, [tsquery], output_field=BooleanField()))  # noqa: S611
    condition = Q()
    for word in words:
        condition &= Q(search_name__contains=f" {word}")
    return condition


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
    not_under: int | None = None,
    limit: int = LIMIT,
) -> list[Hit]:
    """The organizations of the user's scope for `action` that match `text` (see above),
    without the subtree of `not_under` (an id; one the user may not see changes nothing)."""
    paths = policy.scope_paths(user, action)
    if not paths:
        return []
    qs = scoped(user, action, closed=closed)
    if not_under is not None:
        qs = qs.exclude(path__startswith=_path_of(user, not_under))
    words = vntext.words(text[:MAX_QUERY])[:MAX_WORDS]
    if words:
        where = _words_match(words)
        code = text.strip().upper()
        if code and len(code) <= 32 and " " not in code:
            where |= Q(code=code)
        qs = qs.filter(where)
    else:
        qs = qs.filter(_near_roots(paths))
    order: list[Any] = ["depth", "sort_key", "id"]
    if closed:  # open ones first
        order.insert(0, Case(When(valid_to__isnull=True, then=Value(0)), default=Value(1)))
    return with_trails(user, list(qs.order_by(*order)[:limit]))


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
    # The words' index narrows the rows; the exact name is compared on the few left.
    candidates = qs.filter(_words_match(words), search_name__startswith=exact)[:50]
    return [o for o in candidates if vntext.words(o.name) == words][:2]
