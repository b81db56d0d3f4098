"""What the forms share: reading what was typed, dates, and writing only when the checks pass
(the domain's own refusal of a field becomes that field's error)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from domain.application import Receipt
from domain.errors import InvalidInputError
from service.auth import ForbiddenError
from service.pages.access import Place
from service.pages.records import EARLIEST, LATEST

Errors = dict[str, str]


def require_writer(place: Place) -> None:
    if not place.can_write:
        raise ForbiddenError(f"a {place.visitor.role} can read the record but not change it")


def text_values(form: Any, *names: str) -> dict[str, str]:
    return {name: str(form.get(name) or "") for name in names}


def form_day(value: str, field: str, errors: Errors, *, required: bool = False) -> date | None:
    """A date typed in a form; an error beside the field when it is not one."""
    if not value.strip():
        if required:
            errors[field] = "enter a date"
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = "enter a date as YYYY-MM-DD, e.g. 2026-03-27"
        return None
    if not EARLIEST <= day <= LATEST:
        errors[field] = f"enter a date from {EARLIEST.year} to {LATEST.year}"
        return None
    return day


def attempt(errors: Errors, write: Callable[[], Receipt | None]) -> Receipt | None:
    """The write, unless there are errors already or the domain refuses it (its field gets the error)."""
    if errors:
        return None
    try:
        return write()
    except InvalidInputError as error:
        errors[error.field] = error.message
        return None
