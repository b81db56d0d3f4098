"""Signing in with a token: a session kept server-side (so every API process knows it),
an HttpOnly, SameSite=Strict cookie naming it, and a CSRF token for its forms."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from service.auth import AuthError, Principal, Role
from service.pages.web import PageError, PageRoute, SignInRequired, redirect, render, runtime_of

COOKIE = "civicweave_session"
SIGNIN_COOKIE = "civicweave_signin"
LIFETIME = timedelta(hours=12)
#: Enough for a meeting's attendance in a locality of a few thousand stakeholders.
MAX_FORM_FIELDS = 20_000

SCHEMA = """CREATE TABLE IF NOT EXISTS civicweave_sessions (
    id_hash TEXT PRIMARY KEY, token_hash TEXT NOT NULL, csrf TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL)"""

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Visitor:
    """Who is signed in: the token's principal, and the CSRF token of the session."""

    principal: Principal
    session: str
    csrf: str

    @property
    def name(self) -> str:
        return self.principal.name

    @property
    def role(self) -> str:
        return self.principal.role.value


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class SessionStore:
    """Sessions in the tokens database; only a hash of the cookie's value is kept."""

    def __init__(self, db: Any) -> None:
        self.db = db
        with db.transaction() as cursor:
            cursor.execute(SCHEMA)

    def open(self, token_hash: str) -> str:
        """A new session for the token; the answer is the cookie's value."""
        session = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM civicweave_sessions WHERE expires_at < ?", (now.isoformat(),))
            cursor.execute(
                "INSERT INTO civicweave_sessions (id_hash, token_hash, csrf, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    _hash(session),
                    token_hash,
                    secrets.token_urlsafe(32),
                    now.isoformat(),
                    (now + LIFETIME).isoformat(),
                ),
            )
        return session

    def find(self, session: str) -> Visitor | None:
        """The visitor of a live session whose token is not revoked."""
        with self.db.transaction() as cursor:
            cursor.execute(
                "SELECT t.hash, t.name, t.role, t.locality, s.csrf, s.expires_at "
                "FROM civicweave_sessions s JOIN civicweave_tokens t ON t.hash = s.token_hash "
                "WHERE s.id_hash = ? AND t.revoked_at IS NULL",
                (_hash(session),),
            )
            row = cursor.fetchone()
        if row is None or datetime.fromisoformat(str(row[5])) <= datetime.now(UTC):
            return None
        token_hash, name, role, locality, csrf, _ = row
        principal = Principal(name=str(name), role=Role(role), locality=locality, token_hash=str(token_hash))
        return Visitor(principal, _hash(session), str(csrf))

    def close(self, session_hash: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM civicweave_sessions WHERE id_hash = ?", (session_hash,))


_STORE_LOCK = threading.Lock()


def sessions(request: Request) -> SessionStore:
    """The application's session store, made (with its table) on first use."""
    state = request.app.state
    with _STORE_LOCK:
        store: SessionStore | None = getattr(state, "page_sessions", None)
        if store is None:
            store = state.page_sessions = SessionStore(runtime_of(request).tokens.db)
    return store


def signed_in(request: Request) -> Visitor:
    cookie = request.cookies.get(COOKIE)
    visitor = sessions(request).find(cookie) if cookie else None
    if visitor is None:
        raise SignInRequired
    request.state.visitor = visitor
    request.state.csrf = visitor.csrf
    return visitor


VisitorDep = Annotated[Visitor, Depends(signed_in)]


async def form_data(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)


FormDep = Annotated[FormData, Depends(form_data)]


def require_csrf(visitor: Visitor, form: FormData) -> None:
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), visitor.csrf.encode()):
        raise PageError(
            403,
            "The form has expired",
            "This form did not come from your current session. Go back, reload the page and try again.",
        )


def _cookie(response: Response, request: Request, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _next(value: object) -> str:
    """Only a path on this site: never an address elsewhere (an open redirect)."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/"


@router.get("/signin")
def signin_form(request: Request, next: str = "/", signed_out: bool = False) -> Response:
    """The sign-in form."""
    nonce = request.cookies.get(SIGNIN_COOKIE) or secrets.token_urlsafe(24)
    request.state.csrf = nonce
    response = render(request, "signin.html", next=_next(next), error=None, signed_out=signed_out)
    _cookie(response, request, SIGNIN_COOKIE, nonce, max_age=3600)
    return response


@router.post("/signin")
def signin(request: Request, form: FormDep) -> Response:
    """Sign in with a token: a session cookie, then on to the page asked for."""
    expected = request.cookies.get(SIGNIN_COOKIE, "")
    sent = form.get("csrf_token")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise PageError(403, "The form has expired", "Reload the sign-in page and try again.")
    token = str(form.get("token") or "").strip()
    try:
        principal = runtime_of(request).tokens.authenticate(token) if token else None
    except AuthError:
        principal = None
    if principal is None:
        request.state.csrf = expected
        message = "That token is unknown or has been revoked." if token else "Enter your token."
        return render(
            request, "signin.html", status=401, next=_next(form.get("next")), error=message, signed_out=False
        )
    session = sessions(request).open(principal.token_hash)
    response = redirect(_next(form.get("next")))
    _cookie(response, request, COOKIE, session, max_age=int(LIFETIME.total_seconds()))
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    return response


@router.post("/signout")
def signout(request: Request, visitor: VisitorDep, form: FormDep) -> Response:
    """End the session."""
    require_csrf(visitor, form)
    sessions(request).close(visitor.session)
    response = redirect("/signin?signed_out=1")
    response.delete_cookie(COOKIE, path="/")
    return response
