"""API tokens at the door of the API (access/tokens.py has what a token is and may do):
`Authorization: Bearer hoso_…` authenticates as the token's owner, capped; every use is an
audit event; a read-only token answers safe methods only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from hoso.access import tokens
from hoso.access.models import ApiToken, TokenScope
from hoso.accounts import actions


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        kind, _, text = header.partition(" ")
        if kind.lower() != "bearer" or not text:
            return None  # not a token request: the session may authenticate it
        token = tokens.find(text.strip())
        if token is None:
            raise exceptions.AuthenticationFailed("invalid, expired or revoked token")
        actions.token_used(token, request.method or "", request.path)
        return tokens.acting(token), token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="hoso"'


class TokenScopeAllows(permissions.BasePermission):
    """A read-only token answers the safe methods only."""

    message = "this token is read-only"

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is None or token.scope == TokenScope.ACTIONS:
            return True
        return request.method in permissions.SAFE_METHODS


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = TokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
