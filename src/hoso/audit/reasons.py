"""The typed reason that revealing sealed or masked data asks for; it is kept in the audit
event of the reveal (`record(..., reason=...)`), so that whoever reads the trail learns why."""

from __future__ import annotations

from django.utils.translation import gettext as _

# Also in audit/_reason.html (the browser's own check).
MIN_LENGTH, MAX_LENGTH = 5, 500


class ReasonError(ValueError):
    pass


def required(reason: str | None) -> str:
    """The reason, spaces tidied, or ReasonError when it is missing, too short or too long."""
    text = " ".join((reason or "").split())
    if len(text) < MIN_LENGTH:
        raise ReasonError(
            _(
                "Type the reason for revealing (at least %(min)d characters): it is kept in "
                "the audit trail. Nothing was revealed."
            )
            % {"min": MIN_LENGTH}
        )
    if len(text) > MAX_LENGTH:
        raise ReasonError(
            _("The reason is too long (at most %(max)d characters). Nothing was revealed.")
            % {"max": MAX_LENGTH}
        )
    return text
