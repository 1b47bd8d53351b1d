"""API tokens: a key an integration sends as `Authorization: Bearer hoso_<prefix>_<secret>`
to call the API as the token's owner, with less than the owner may do:

- its scope: "read" answers only safe methods (GET, HEAD, OPTIONS); "actions" also acts;
- never above the owner's clearance, and never Tối mật data: the clearance a request through a
  token carries is the owner's, at most Mật (`CAP`);
- never a sealed identity: the petitioner's identity is revealed in the interface only, with a
  typed reason (`policy.TOKEN_FORBIDDEN` actions answer as if out of scope).

Only the SHA-256 of the token is stored; the token is shown once, when it is made. It expires
(90 days by default, a year at most) and can be revoked. Making, revoking and every use are
audited (accounts/actions.py, access/api.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from hoso.access.models import ApiToken, User
from hoso.access.roles import Clearance

PREFIX = "hoso"
DEFAULT_DAYS = 90
MAX_DAYS = 365
CAP = Clearance.SECRET


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_secret() -> tuple[str, str, str]:
    """(prefix, the token's text to show once, its digest to store) of a new token."""
    prefix = secrets.token_hex(6)
    text = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return prefix, text, _digest(text)


def find(text: str) -> ApiToken | None:
    """The live token this text is (not expired, not revoked, its owner active), else None."""
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    token = (
        ApiToken.objects.select_related("user__organization").filter(prefix=parts[1]).first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(text)):
        return None
    if token.revoked_at is not None or token.expires_at <= timezone.now():
        return None
    return token if token.user.is_active else None


def acting(token: ApiToken) -> User:
    """The owner as a request through the token acts: the clearance capped, the token named
    (policy.scope_paths refuses it the TOKEN_FORBIDDEN actions). Never saved."""
    user = token.user
    user.clearance = min(user.clearance, CAP)
    user.api_token = token  # type: ignore[attr-defined]
    user.save = _never_saved  # type: ignore[method-assign]
    return user


def _never_saved(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the user of a token request is not saved: its clearance is capped")
