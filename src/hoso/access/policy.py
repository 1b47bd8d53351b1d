"""The one place that answers permission questions.

Rules:
1. Default deny: an action is allowed only through a grant whose role lists it.
2. A grant on an organization node covers the node's subtree (path prefix).
3. A classified record is visible only up to the user's clearance.
4. `is_superuser` and `is_staff` give nothing: the system administrator role manages accounts and
   configuration but does not by that role see dossiers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias, TypeGuard, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from hoso.access.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from hoso.access.models import User
    from hoso.orgs.models import Organization

    Subject: TypeAlias = User | AnonymousUser | None

K = TypeVar("K", bound=Hashable)


class Action(StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    MEMBER_VIEW = "member.view"
    MEMBER_MANAGE = "member.manage"
    SENSITIVE_REVEAL = "sensitive.reveal"
    AUDIT_VIEW = "audit.view"
    ACCOUNT_MANAGE = "account.manage"
    CONFIG_MANAGE = "config.manage"
    DOCUMENT_MANAGE = "document.manage"
    CASE_VIEW = "case.view"
    CASE_MANAGE = "case.manage"
    CASE_DIRECT = "case.direct"
    CASE_CONCLUDE = "case.conclude"
    PETITION_VIEW = "petition.view"
    PETITION_MANAGE = "petition.manage"
    PETITION_REVEAL = "petition.reveal"
    TRAVEL_VIEW = "travel.view"
    TRAVEL_MANAGE = "travel.manage"
    TRAVEL_DECIDE = "travel.decide"
    ACCESS_APPROVE = "access.approve"
    PERSON_LINK = "person.link"
    CADRE_VIEW = "cadre.view"
    CADRE_MANAGE = "cadre.manage"
    REPORT_VIEW = "report.view"
    REPORT_PREPARE = "report.prepare"
    REPORT_SUBMIT = "report.submit"
    BREAK_GLASS_REVIEW = "breakglass.review"


_EVERY_ROLE = frozenset(Role)
ROLE_ACTIONS: dict[Action, frozenset[Role]] = {
    Action.ORG_VIEW: _EVERY_ROLE,
    Action.ORG_MANAGE: frozenset({Role.ADMIN, Role.HEAD}),
    Action.MEMBER_VIEW: frozenset({Role.CLERK, Role.OFFICER, Role.HEAD, Role.LEADER}),
    Action.MEMBER_MANAGE: frozenset({Role.CLERK, Role.OFFICER, Role.HEAD}),
    Action.SENSITIVE_REVEAL: frozenset({Role.OFFICER, Role.HEAD, Role.LEADER}),
    Action.AUDIT_VIEW: frozenset({Role.AUDITOR}),
    Action.ACCOUNT_MANAGE: frozenset({Role.ADMIN}),
    Action.CONFIG_MANAGE: frozenset({Role.ADMIN}),
    Action.DOCUMENT_MANAGE: frozenset({Role.CLERK, Role.OFFICER, Role.HEAD}),
    # Vetting casework is the specialist officers' work; heads direct it (team, assignment,
    # suspension, withdrawal); a conclusion is recorded by a head or a committee leader.
    Action.CASE_VIEW: frozenset({Role.OFFICER, Role.HEAD, Role.LEADER}),
    Action.CASE_MANAGE: frozenset({Role.OFFICER, Role.HEAD}),
    Action.CASE_DIRECT: frozenset({Role.HEAD, Role.LEADER}),
    Action.CASE_CONCLUDE: frozenset({Role.HEAD, Role.LEADER}),
    # Petitions: clerks take them in; the petitioner's identity is sealed, revealed (audited)
    # only to heads and leaders.
    Action.PETITION_VIEW: frozenset({Role.CLERK, Role.OFFICER, Role.HEAD, Role.LEADER}),
    Action.PETITION_MANAGE: frozenset({Role.CLERK, Role.OFFICER, Role.HEAD}),
    Action.PETITION_REVEAL: frozenset({Role.HEAD, Role.LEADER}),
    # Foreign travel and relations: the committee's decision is recorded by heads and leaders.
    Action.TRAVEL_VIEW: frozenset({Role.CLERK, Role.OFFICER, Role.HEAD, Role.LEADER}),
    Action.TRAVEL_MANAGE: frozenset({Role.CLERK, Role.OFFICER, Role.HEAD}),
    Action.TRAVEL_DECIDE: frozenset({Role.HEAD, Role.LEADER}),
    # A grant that opens dossiers, or a raised clearance, takes effect only when a head or
    # leader above the organization approves what an administrator asked (never their own).
    Action.ACCESS_APPROVE: frozenset({Role.HEAD, Role.LEADER}),
    # That two records are one human being (a relative linked, a merge) is an officer's
    # decision, with its reason; hoso only proposes.
    Action.PERSON_LINK: frozenset({Role.OFFICER, Role.HEAD}),
    # Cadres' management categories, posts, planning and candidacy lists.
    Action.CADRE_VIEW: frozenset({Role.OFFICER, Role.HEAD, Role.LEADER}),
    Action.CADRE_MANAGE: frozenset({Role.OFFICER, Role.HEAD}),
    # Periodic reports: officers draft the narrative, a head or leader signs and submits it
    # upward; the head or leader of the level above returns one, with a reason.
    Action.REPORT_VIEW: frozenset({Role.OFFICER, Role.HEAD, Role.LEADER}),
    Action.REPORT_PREPARE: frozenset({Role.OFFICER, Role.HEAD}),
    Action.REPORT_SUBMIT: frozenset({Role.HEAD, Role.LEADER}),
    # An emergency access to a dossier outside one's grants is reviewed by the heads and
    # leaders above the dossier's organization.
    Action.BREAK_GLASS_REVIEW: frozenset({Role.HEAD, Role.LEADER}),
}

# Roles whose grants read dossiers, casework, petitions or travel: granting one waits for a
# second person (see may_decide_access).
DOSSIER_ROLES = (
    ROLE_ACTIONS[Action.MEMBER_VIEW]
    | ROLE_ACTIONS[Action.CASE_VIEW]
    | ROLE_ACTIONS[Action.PETITION_VIEW]
    | ROLE_ACTIONS[Action.TRAVEL_VIEW]
    | ROLE_ACTIONS[Action.CADRE_VIEW]
)


class Denied(PermissionDenied):
    """The user may see the record but not do this to it."""


_CACHE_ATTR = "_hoso_grants"
_NAMES_ATTR = "_hoso_grant_names"


def _grants(user: User) -> list[tuple[str, str]]:
    """(role, organization path) of the user's grants, read once per user object, with the
    names of their organizations (for the navigation) in the same query."""
    cached: list[tuple[str, str]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from hoso.access.backends import GRANT_ROWS
        from hoso.access.models import Grant

        read = getattr(user, GRANT_ROWS, None)  # read with the session's user (backends.py)
        rows = (
            json.loads(read)
            if read is not None
            else Grant.objects.filter(user_id=user.pk).values_list(
                "role", "organization__path", "organization__name"
            )
        )
        cached = [(role, path) for role, path, _name in rows]
        setattr(user, _CACHE_ATTR, cached)
        setattr(user, _NAMES_ATTR, {path: name for _role, path, name in rows})
    return cached


def granted_names(user: User, paths: tuple[str, ...]) -> list[str]:
    """The names of the granted organizations among `paths` (scope roots are granted ones),
    in path order."""
    _grants(user)
    names: dict[str, str] = getattr(user, _NAMES_ATTR)
    return [names[path] for path in sorted(paths) if path in names]


_GLASS_ATTR = "_hoso_glass"


def glass(user: Subject) -> dict[int, int]:
    """The user's emergency accesses in force: access id -> member id, read once per user
    object. None through an API token (emergency access is for a person at the interface,
    never an integration), nor for an account that no longer holds a dossier role."""
    if not _active(user) or getattr(user, "api_token", None) is not None:
        return {}
    cached: dict[int, int] | None = getattr(user, _GLASS_ATTR, None)
    if cached is None:
        from hoso.access.models import BreakGlass

        cached = {}
        if scope_paths(user, Action.MEMBER_VIEW):
            rows = BreakGlass.objects.active().filter(user_id=user.pk)
            cached = dict(rows.values_list("pk", "member_id"))
        setattr(user, _GLASS_ATTR, cached)
    return cached


def glass_for(user: Subject, member_id: int, org: Organization) -> int | None:
    """The emergency access through which `user` sees this member, when their grants do not
    cover the member's organization; None when the grants do (or nothing opens it)."""
    if can(user, Action.MEMBER_VIEW, org):
        return None
    return next((pk for pk, opened in glass(user).items() if opened == member_id), None)


def forget(user: User) -> None:
    """Drop the cached grants and emergency accesses (after a change in the same request)."""
    for attr in (_CACHE_ATTR, _NAMES_ATTR, _GLASS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def _active(user: Subject) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


# Actions a request through an API token may never take (access/tokens.py): the sealed
# identity of a petitioner is revealed in the interface only, with a typed reason.
TOKEN_FORBIDDEN = frozenset({"petition.reveal"})


def scope_paths(user: Subject, action: str) -> tuple[str, ...]:
    """Minimal set of path prefixes under which `user` may do `action` (empty: nowhere)."""
    if not _active(user):
        return ()
    if action in TOKEN_FORBIDDEN and getattr(user, "api_token", None) is not None:
        return ()  # never through an API token (access/tokens.py)
    roles = ROLE_ACTIONS.get(Action(action), frozenset())
    paths = sorted({path for role, path in _grants(user) if role in roles})
    minimal: list[str] = []
    for path in paths:  # sorted, so an ancestor always comes before its descendants
        if not minimal or not path.startswith(minimal[-1]):
            minimal.append(path)
    return tuple(minimal)


def can(
    user: Subject,
    action: str,
    org: Organization | None = None,
    classification: int = 0,
) -> bool:
    """May `user` do `action` on `org`'s subtree (or anywhere, when org is None)?"""
    if not _active(user):
        return False
    paths = scope_paths(user, action)
    if not paths:
        return False
    if classification > user.clearance:
        return False
    return org is None or any(org.path.startswith(p) for p in paths)


def require(
    user: Subject,
    action: str,
    org: Organization | None = None,
    classification: int = 0,
) -> None:
    if not can(user, action, org, classification):
        raise Denied(action)


# The path length of a root node of the organization tree: treebeard's step length, which
# orgs.Organization keeps at its default (tests/orgs check that the two agree).
ROOT_PATH_LENGTH = 4


def national(user: Subject, action: str) -> bool:
    """Does the user hold `action` on a root of the tree (installation-wide settings)?"""
    return any(len(path) == ROOT_PATH_LENGTH for path in scope_paths(user, action))


def require_national(user: Subject, action: str) -> None:
    if not national(user, action):
        raise Denied(action)


def _above(path: str) -> list[str]:
    """The paths of a node and of each of its ancestors, root first."""
    return [path[:end] for end in range(ROOT_PATH_LENGTH, len(path) + 1, ROOT_PATH_LENGTH)]


def responsible(action: str, items: Mapping[K, tuple[str, int]]) -> dict[K, set[int]]:
    """For each item {key: (organization path, classification)}: the ids of the accounts to
    tell about it, i.e. those who may do `action` on it (as `users_who_may`) whose grant is nearest
    to it: on its own organization, else on the closest ancestor where someone holds one. A
    province's heads are not told of every commune's deadlines while the commune has its own
    officers; a cell without accounts falls to its commune. An item nobody may act on gets an
    empty set."""
    from hoso.access.models import Grant

    paths = {above for path, _level in items.values() for above in _above(path)}
    if not paths:
        return {}
    at: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for user_id, path, clearance in Grant.objects.filter(
        organization__path__in=paths,
        role__in=ROLE_ACTIONS[Action(action)],
        user__is_active=True,
    ).values_list("user_id", "organization__path", "user__clearance"):
        at[path].append((user_id, clearance))
    people: dict[K, set[int]] = {}
    for key, (path, level) in items.items():
        people[key] = set()
        for above in reversed(_above(path)):  # the item's own node first, then upwards
            people[key] = {user for user, clearance in at[above] if clearance >= level}
            if people[key]:
                break
    return people


def role_paths(user: Subject, roles: set[Role] | set[str]) -> tuple[str, ...]:
    """Paths of the user's grants that carry one of `roles`."""
    if not _active(user):
        return ()
    return tuple(sorted({path for role, path in _grants(user) if role in roles}))


def roles_at(user: Subject, org: Organization) -> set[str]:
    """The roles the user holds on `org` through grants on it or its ancestors."""
    if not _active(user):
        return set()
    return {role for role, path in _grants(user) if org.path.startswith(path)}


def users_who_may(
    action: str,
    org: Organization | None = None,
    classification: int = 0,
    *,
    under: tuple[str, ...] = (),
) -> QuerySet[User]:
    """Active accounts that may do `action` on `org` (through a grant on it or above it) with
    the clearance for `classification`: `can()` asked from the other side, for every account
    at once. With `under` (and no org): those granted the action somewhere under those paths,
    the candidates of an assignee picker."""
    from hoso.access.models import User

    roles = ROLE_ACTIONS.get(Action(action), frozenset())
    where = Q(is_active=True, clearance__gte=classification, grants__role__in=roles)
    if org is not None:
        where &= Q(grants__organization__path__in=_above(org.path))
    if under:
        within = Q()
        for path in under:
            within |= Q(grants__organization__path__startswith=path)
        where &= within
    accounts: QuerySet[User] = User.objects.filter(where).distinct()
    return accounts


def restricted_clause(user: Subject, action: str, *, involved: Q) -> Q | None:
    """The rule of restricted records (a restricted vetting case): beyond scope and clearance,
    only the people `involved` in it (its officer, its team) and the heads and leaders above it
    see one. None when the user heads every part of their scope (no clause needed)."""
    scope = scope_paths(user, action)
    heads = role_paths(user, {Role.HEAD, Role.LEADER})
    if all(any(path.startswith(head) for head in heads) for path in scope):
        return None
    clause = Q(restricted=False) | involved
    for path in heads:
        clause |= Q(organization__path__startswith=path)
    return clause


def may_change_access(actor: Subject, account: User, org: Organization | None) -> bool:
    """May `actor` change `account`'s grants or clearance (ask, for what needs approval)?
    Account managers over both the account and the organization, and never on themselves."""
    if not _active(actor) or actor.pk == account.pk:
        return False
    home = account.organization
    return (home is None or can(actor, Action.ACCOUNT_MANAGE, home)) and (
        org is None or can(actor, Action.ACCOUNT_MANAGE, org)
    )


def may_decide_access(
    approver: Subject, account_id: int, requested_by_id: int, org: Organization, clearance: int
) -> bool:
    """May `approver` approve or refuse a pending grant or clearance? A head or leader whose
    grant covers the organization, holding at least the clearance asked for, who is neither
    the account concerned nor the one who asked."""
    if not _active(approver) or approver.pk in {account_id, requested_by_id}:
        return False
    return can(approver, Action.ACCESS_APPROVE, org) and approver.clearance >= clearance
