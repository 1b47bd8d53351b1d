"""Every change to people's records, one module a topic (as Zulip's zerver/actions/): each
action checks the policy, runs in one transaction and writes its audit event there."""

from hoso.people.actions import (
    aggregates,
    books,
    dossier,
    glass,
    identity,
    imports,
    members,
    resume,
    units,
)

__all__ = [
    "aggregates", "books", "dossier", "glass", "identity", "imports", "members", "resume", "units",
]  # fmt: skip
