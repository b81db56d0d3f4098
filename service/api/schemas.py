"""Shared schemas: what every write returns, and the page of a list."""

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
