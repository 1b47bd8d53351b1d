"""The worker's pass for the insider flags (`notices.passes`): scan the events written since
the last pass, and purge the flags past their retention (an event only when some are)."""

from __future__ import annotations

from hoso.trail import actions


def flags_pass() -> str:
    scanned = actions.scan()
    purged = actions.purge(if_any=True)
    if not (scanned.raised or scanned.extended or purged):
        return ""
    return (
        f"{scanned.raised} raised, {scanned.extended} extended, {purged} purged "
        f"(events read up to {scanned.through})"
    )
