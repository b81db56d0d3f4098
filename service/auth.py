"""Bearer tokens and roles per locality. A token is shown once; only its SHA-256 is
kept. The token's name is the actor recorded on every event it causes.

A server process remembers a token it has checked for ``RECHECK_SECONDS`` rather than
reading the tokens table for every request (the table shares the event store's database,
and a read per request was a tenth of a cached read's cost). Revoking a token in this
process takes effect at once; revoking it from another process (``civicweave token
revoke``) takes effect here within ``RECHECK_SECONDS``.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from domain.errors import InvalidInputError
from domain.vocabulary import allowed
from projections.store import open_database

#: How long a checked token is trusted without reading the table again.
RECHECK_SECONDS = 2.0

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS civicweave_tokens (
        hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, locality TEXT,
        created_at TEXT NOT NULL, revoked_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS civicweave_idempotency (
        token_hash TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
        status INTEGER, body TEXT, created_at TEXT NOT NULL, PRIMARY KEY (token_hash, key))""",
)


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    FACILITATOR = "facilitator"
    LEAD = "lead"
    PEER = "peer"


class AuthError(Exception):
    """Missing or unknown token (401)."""


class ForbiddenError(Exception):
    """The token's role may not do this (403)."""


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    locality: str | None
    token_hash: str

    def _own(self, slug: str) -> bool:
        return self.role is Role.ADMINISTRATOR or self.locality == slug

    def can_see(self, slug: str) -> bool:
        """Whether the locality exists for this token at all (others get 404, not 403)."""
        return self._own(slug)

    def may_read(self, slug: str) -> bool:
        """Whether ``require_read`` would pass and the locality exists for this token."""
        try:
            self.require_read(slug)
        except ForbiddenError:
            return False
        return self.can_see(slug)

    def require_read(self, slug: str) -> None:
        if self.role is Role.PEER:
            raise ForbiddenError("a peer token sees only the comparisons of its peer networks")

    def require_write(self, slug: str) -> None:
        self.require_read(slug)
        if self.role not in (Role.ADMINISTRATOR, Role.FACILITATOR):
            raise ForbiddenError(f"a {self.role.value} token can read but not change the record")

    def require_admin(self) -> None:
        if self.role is not Role.ADMINISTRATOR:
            raise ForbiddenError("only an administrator token can do this")


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None for anything else.

    >>> bearer_token("Bearer cw_abc "), bearer_token("Basic xyz"), bearer_token(None)
    ('cw_abc', None, None)
    """
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenStore:
    """Tokens and idempotency records, in the database of the event store."""

    def __init__(self, database_url: str) -> None:
        self.db = open_database(database_url, SCHEMA)
        self._checked: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def create(self, *, name: str, role: str, locality: str | None) -> str:
        try:
            chosen = Role(role)
        except ValueError:
            raise InvalidInputError("role", f"{role!r} is not a role; use one of: {allowed(Role)}") from None
        if chosen is not Role.ADMINISTRATOR and not locality:
            raise InvalidInputError("locality", f"a {chosen.value} token belongs to one locality: name it")
        name = name.strip()
        if not name or len(name) > 200:
            raise InvalidInputError(
                "name", "give the token a name of 1 to 200 characters (it is recorded as the actor)"
            )
        token = f"cw_{secrets.token_urlsafe(32)}"
        with self.db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO civicweave_tokens (hash, name, role, locality, created_at) VALUES (?, ?, ?, ?, ?)",
                (digest(token), name, chosen.value, locality, datetime.now(UTC).isoformat()),
            )
        return token

    def recently_checked(self, token: str) -> Principal | None:
        """The token's principal if it was checked less than ``RECHECK_SECONDS`` ago (no I/O)."""
        token_hash = digest(token)
        with self._lock:
            checked = self._checked.get(token_hash)
        if checked is None or time.monotonic() - checked[0] > RECHECK_SECONDS:
            return None
        return checked[1]

    def authenticate(self, token: str) -> Principal:
        found = self.recently_checked(token)
        if found is not None:
            return found
        with self.db.read() as cursor:
            cursor.execute(
                "SELECT hash, name, role, locality FROM civicweave_tokens WHERE hash = ? AND revoked_at IS NULL",
                (digest(token),),
            )
            row = cursor.fetchone()
        if row is None:
            raise AuthError("the token is unknown or revoked")
        token_hash, name, role, locality = row
        principal = Principal(name=str(name), role=Role(role), locality=locality, token_hash=str(token_hash))
        with self._lock:
            if len(self._checked) > 10_000:  # bounded: a flood of distinct tokens must not grow it
                self._checked.clear()
            self._checked[principal.token_hash] = (time.monotonic(), principal)
        return principal

    def revoke(self, name: str) -> int:
        with self.db.transaction() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM civicweave_tokens WHERE name = ? AND revoked_at IS NULL", (name,)
            )
            count = int(cursor.fetchone()[0])
            cursor.execute(
                "UPDATE civicweave_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                (datetime.now(UTC).isoformat(), name),
            )
        with self._lock:
            self._checked = {h: c for h, c in self._checked.items() if c[1].name != name}
        return count

    def list(self) -> list[dict[str, Any]]:
        with self.db.transaction() as cursor:
            cursor.execute(
                "SELECT name, role, locality, created_at, revoked_at FROM civicweave_tokens ORDER BY created_at"
            )
            keys = ("name", "role", "locality", "created_at", "revoked_at")
            return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.db.close()
