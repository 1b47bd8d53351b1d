"""Time-based one-time passwords (RFC 6238) for the second factor."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import segno
from django.conf import settings


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=settings.TOTP_ISSUER)


def qr_svg(uri: str) -> str:
    """Inline SVG of the QR code: drawn by the server, nothing fetched by the browser."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff"))


def matching_step(secret: str, code: str, after_step: int = 0, now: float | None = None) -> int:
    """The time step the code belongs to (current one or one either side), or 0 if none.

    Steps at or before `after_step` are refused so an observed code cannot be replayed.
    """
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return 0
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // totp.interval)
    for step in (current - 1, current, current + 1):
        if step > after_step and totp.generate_otp(step) == code:
            return step
    return 0


def verify_user(user: Any, code: str) -> bool:
    """Check a code against the user's enrolled secret and burn its time step."""
    step = matching_step(user.totp_secret, code, user.totp_last_step)
    if not step:
        return False
    user.totp_last_step = step
    user.save(update_fields=["totp_last_step"])
    return True
