"""Bearer-key authentication: who is calling, and which shops they may touch."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    BaseUser,
)
from starlette.requests import HTTPConnection

from service.keys import ApiKey, Scope, find_active_key


@dataclass(frozen=True)
class Principal(BaseUser):
    """The caller behind an API key."""

    key_id: str
    scope: Scope
    shops: frozenset[str] | None  # None: every shop (admin)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.key_id

    @property
    def identity(self) -> str:
        return self.key_id

    @property
    def can_write(self) -> bool:
        return self.scope in ("write", "admin")

    def may_read(self, shop_id: str) -> bool:
        """Whether this key reaches ``shop_id``."""
        return self.shops is None or shop_id in self.shops

    @classmethod
    def from_key(cls, key: ApiKey) -> Principal:
        shops = None if key.scope == "admin" else frozenset(key.shops or ())
        return cls(key_id=key.key_id, scope=key.scope, shops=shops)


@dataclass(frozen=True)
class Anonymous(BaseUser):
    """No usable key; ``problem`` says why, for the error message."""

    problem: str

    @property
    def is_authenticated(self) -> bool:
        return False

    @property
    def display_name(self) -> str:
        return ""

    @property
    def identity(self) -> str:
        return ""


class ApiKeyBackend(AuthenticationBackend):
    """Reads ``Authorization: Bearer <key>`` and looks the key up on every request."""

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        header = conn.headers.get("authorization")
        if not header:
            return AuthCredentials(), Anonymous("missing Authorization header")
        scheme, _, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            return AuthCredentials(), Anonymous("Authorization must be 'Bearer <api key>'")
        key = await find_active_key(conn.app.state.pool, secret=secret)
        if key is None:
            return AuthCredentials(), Anonymous("unknown or revoked API key")
        return AuthCredentials([key.scope]), Principal.from_key(key)
