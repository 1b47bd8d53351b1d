"""Resume actions: relatives and biography entries, and the audited reveal of sensitive notes."""

from __future__ import annotations

from typing import Any

from hoso.people.models import Member, Relative

MASK = "••••••"


def masked_relatives(member: Member, revealed: bool) -> list[dict[str, Any]]:
    rows = []
    for relative in member.person.relatives.select_related("relationship"):
        notes = {f: getattr(relative, f) for f in Relative.sensitive_fields}
        if not revealed:
            notes = {f: (MASK if v else "") for f, v in notes.items()}
        rows.append({"r": relative, **notes})
    return rows


def masked_entries(member: Member, revealed: bool) -> list[dict[str, Any]]:
    return [
        {"e": e, "content": e.content if revealed or not e.sensitive else MASK}
        for e in member.person.biography.all()
    ]
