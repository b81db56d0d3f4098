"""BulkTranscoder writes, byte for byte, what eventsourcing's JSON transcoder writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest

from domain.application import CivicWeave
from domain.encoding import BulkTranscoder
from domain.persistence import environment
from domain.stakeholder import Stakeholder


class Colour(StrEnum):
    RED = "red"


ID = UUID("12345678-1234-5678-1234-567812345678")
VALUES: list[Any] = [
    "plain",
    "",
    'quotes " and \\ backslash',
    "controls \n\t\r\x00\x1f\x7f",
    "non-ASCII: café, Ωmega, 東京, 🎉, \u2028\u2029",
    0,
    -7,
    2**70,
    True,
    False,
    None,
    1.5,
    float("inf"),
    Decimal("12.50"),
    ID,
    date(2024, 2, 29),
    datetime(2024, 2, 29, 13, 5, 1, 123456, tzinfo=UTC),
    datetime(2024, 2, 29, 13, 5, tzinfo=timezone(timedelta(hours=-3))),
    (ID, ID),
    [1, "two", None, [date(2024, 1, 1)]],
    (),
    [],
    {},
    {"nested": {"deeper": (ID, 3, "x")}},
    {1: "int key", "b": 2},
    Colour.RED,
    {"enum": Colour.RED, Colour.RED: 1},
]


@pytest.fixture
def transcoders() -> tuple[Any, BulkTranscoder]:
    app = CivicWeave(environment("memory://"))
    library = app.mapper.transcoder
    return library, BulkTranscoder(library)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_each_kind_of_value_is_written_as_the_library_writes_it(
    transcoders: tuple[Any, BulkTranscoder], value: Any
) -> None:
    library, bulk = transcoders

    assert bulk.encode({"field": value}) == library.encode({"field": value})
    assert bulk.encode(value) == library.encode(value)


def test_a_whole_event_state_is_written_as_the_library_writes_it(
    transcoders: tuple[Any, BulkTranscoder],
) -> None:
    library, bulk = transcoders
    state = {f"f{n}": value for n, value in enumerate(VALUES)}
    state["timestamp"] = Stakeholder.Registered.create_timestamp()

    assert bulk.encode(state) == library.encode(state)
    assert bulk.decode(bulk.encode(state)) == library.decode(library.encode(state))


def test_a_type_without_a_transcoding_is_refused_as_the_library_refuses_it(
    transcoders: tuple[Any, BulkTranscoder],
) -> None:
    library, bulk = transcoders

    with pytest.raises(TypeError) as expected:
        library.encode({"x": object()})
    with pytest.raises(TypeError) as raised:
        bulk.encode({"x": object()})
    assert type(raised.value) is type(expected.value)
