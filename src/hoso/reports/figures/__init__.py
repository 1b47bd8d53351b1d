"""The indicators of the apps below `reports`, one module per app."""

from __future__ import annotations


def register_all() -> None:
    from hoso.reports.figures import members, petitions, travel, vetting

    for module in (vetting, petitions, travel, members):
        module.register_all()
