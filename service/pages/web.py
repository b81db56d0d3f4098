"""What every page shares: the templates, the route class that adds the security
headers (a fresh CSP nonce per response) and turns errors into HTML pages, and the
answers a page gives (HTML, a redirect, a CSV download)."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.vocabulary import SECTOR_LABELS
from projections.views import UnknownLocalityError
from service.auth import ForbiddenError
from service.runtime import Runtime

#: Characters that make a spreadsheet treat a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class PageError(Exception):
    """An answer other than the page asked for, shown as an HTML page."""

    def __init__(self, status: int, title: str, message: str) -> None:
        self.status, self.title, self.message = status, title, message
        super().__init__(message)


class SignInRequired(Exception):
    """No valid session: the visitor is sent to the sign-in page."""


class PeerOnly(PageError):
    def __init__(self) -> None:
        super().__init__(
            403,
            "Peers compare localities",
            "A peer token sees the comparisons of its peer networks, not a locality's own record. "
            "Use the comparisons of the JSON API (or ask the locality's lead for its report).",
        )


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("service", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        percent=percent, figure=figure, day=day, sector=sector_label, signed=signed, plural=plural
    )
    return env


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """The template filled in; the visitor, locality, CSRF token and nonce come from the request."""
    state = request.state
    values = {
        "request": request,
        "nonce": state.nonce,
        "visitor": getattr(state, "visitor", None),
        "place": getattr(state, "place", None),
        "csrf": getattr(state, "csrf", ""),
        "sector_labels": SECTOR_LABELS,
        **context,
    }
    return HTMLResponse(environment().get_template(template).render(values), status_code=status)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A CSV download; text that a spreadsheet would run as a formula is quoted with a ' first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def security_headers(response: Response, nonce: str) -> Response:
    policy = (
        "default-src 'none'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )
    response.headers["Content-Security-Policy"] = policy
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class PageRoute(APIRoute):
    """A route whose answers carry the pages' security headers, and whose errors are pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            request.state.nonce = secrets.token_urlsafe(18)
            try:
                response = await handler(request)
            except SignInRequired:
                response = redirect(f"/signin?next={quote(_local_path(request), safe='/')}")
            except Exception as error:
                found = error_page(request, error)
                if found is None:
                    raise
                response = found
            return security_headers(response, request.state.nonce)

        return page


def _local_path(request: Request) -> str:
    """Where to come back to after signing in: the page asked for (a form's page for a POST)."""
    if request.method != "GET":
        return "/"
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query else path


def error_page(request: Request, error: Exception) -> HTMLResponse | None:
    """The HTML answer to an error a page can meet; None for anything unexpected (a 500)."""
    if isinstance(error, PageError):
        status, title, message = error.status, error.title, error.message
    elif isinstance(error, NotFoundError | UnknownLocalityError):
        status, title, message = 404, "Not found", "There is no such page here, or it is not yours to see."
    elif isinstance(error, ForbiddenError):
        status, title, message = 403, "Not allowed", str(error)
    elif isinstance(error, ConflictError):
        status, title, message = 409, "The record has changed", str(error)
    elif isinstance(error, InvalidInputError):
        status, title, message = 422, "Please check what you sent", str(error)
    elif isinstance(error, RequestValidationError):
        status, title = 422, "Please check what you sent"
        message = (
            "; ".join(str(e.get("msg", "invalid")) for e in error.errors()) or "the request is not valid"
        )
    elif isinstance(error, StarletteHTTPException):
        status, title, message = error.status_code, "Sorry", str(error.detail)
    else:
        return None
    return render(request, "error.html", status=status, title=title, message=message)


# Filters


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage; a dash when it is undefined."""
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def figure(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def signed(value: float | int | None, digits: int = 2, *, as_percent: bool = False) -> str:
    """A change, with its sign: +3, −0.05, +4 points."""
    if value is None:
        return "–"
    if as_percent:
        text = f"{abs(value) * 100:.0f} points"
    elif isinstance(value, int) or float(value).is_integer():
        text = f"{abs(int(value)):,}"
    else:
        text = f"{abs(value):.{digits}f}"
    if value == 0:
        return "no change"
    return ("+" if value > 0 else "−") + text


def day(value: date | str | None) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {value:%b %Y}"


def sector_label(value: str, extra: dict[str, str] | None = None) -> str:
    return SECTOR_LABELS.get(value) or (extra or {}).get(value) or value.replace("_", " ")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"
