"""Shared schemas: what every write returns, the page of a list, and every error answer."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

MAX_PAGE = 500


class WritePublic(BaseModel):
    """The answer to a write."""

    id: str = Field(description="The id of the record written (for a goal: the goal's id)")
    version: int = Field(description="Its version now: send it back as If-Match to change it again")
    position: int | None = Field(description="Position of the last event written in the log")
    view_lag: bool = Field(description="True if the views did not include the write within 2 seconds")


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="How many match, over all pages")
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=1_000_000)


class FieldProblemPublic(BaseModel):
    field: str = Field(description="Where: e.g. name, query.limit, commitments.1.due")
    message: str


class ErrorPublic(BaseModel):
    """An error answer (service/errors.py): what is wrong and what to do."""

    detail: str = Field(description="What is wrong and what to do about it")
    error: str = Field(
        description="not_found, invalid, conflict, unauthenticated, forbidden, too_large or http"
    )
    field: str | None = Field(None, description="The one field at fault, where there is one")
    problems: list[FieldProblemPublic] | None = Field(None, description="Each invalid field (422)")


#: The error answers any route of the API may give, documented once for all of them.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorPublic, "description": "The body cannot be read (e.g. it is not UTF-8)"},
    401: {"model": ErrorPublic, "description": "No token, or an unknown or revoked one"},
    403: {"model": ErrorPublic, "description": "The token's role may not do this"},
    404: {"model": ErrorPublic, "description": "No such record, or not one this token may see"},
    409: {
        "model": ErrorPublic,
        "description": "The record changed meanwhile (If-Match), or the change clashes with it",
    },
    413: {"model": ErrorPublic, "description": "The request body is over the size limit"},
    422: {"model": ErrorPublic, "description": "A field, query or header is not valid"},
}
