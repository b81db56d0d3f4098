"""BulkTranscoder writes, byte for byte, what eventsourcing's JSON transcoder writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import Mapper
from eventsourcing.utils import Environment
from hypothesis import given
from hypothesis import strategies as st

from domain.application import CivicWeave
from domain.commitment import Commitment
from domain.encoding import BulkMapper, BulkTranscoder
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
    datetime(2024, 2, 29, 13, 5, 1, 7, tzinfo=UTC),
    datetime(2024, 2, 29, 13, 5, 1, tzinfo=UTC),
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


def _events_of_every_kind() -> list[Any]:
    """A stakeholder's, a tie's (ended) and a commitment's events (``class_version`` 2), as built."""
    stakeholder = Stakeholder.Registered(
        originator_topic="domain.stakeholder:Stakeholder",
        originator_id=ID,
        originator_version=1,
        timestamp=Stakeholder.Registered.create_timestamp(),
        locality_id=ID,
        kind="person",
        sector="vcse",
        name='Ann "the café" Ωmega\n',
        contact="",
        notes="",
        sealed="",
        actor="importer",
        effective=date(2024, 2, 29),
    )
    made = Commitment.Made(
        originator_topic="domain.commitment:Commitment",
        originator_id=ID,
        originator_version=1,
        timestamp=Commitment.Made.create_timestamp(),
        locality_id=ID,
        promisor_id=ID,
        promisee_ids=(ID, ID),
        to_change_group=False,
        what="Open the hall",
        made_on=date(2024, 1, 1),
        due=date(2024, 6, 1),
        meeting_id=None,
        goal_id=None,
        actor="importer",
        effective=None,
    )
    return [stakeholder, made]


@pytest.mark.parametrize("secured", [False, True], ids=["plain", "compressed and encrypted"])
def test_a_stored_event_is_the_one_the_library_mapper_stores(secured: bool) -> None:
    app = CivicWeave(environment("memory://"))
    cipher = AESCipher(Environment(env={AESCipher.CIPHER_KEY: AESCipher.create_key(16)}))
    library = Mapper(app.mapper.transcoder, ZlibCompressor(), cipher) if secured else app.mapper
    bulk = BulkMapper(BulkTranscoder(app.mapper.transcoder), library.compressor, library.cipher)

    for event in _events_of_every_kind():
        ours, theirs = bulk.to_stored_event(event), library.to_stored_event(event)
        assert (ours.originator_id, ours.originator_version, ours.topic) == (
            theirs.originator_id,
            theirs.originator_version,
            theirs.topic,
        )
        assert _revealed(library, ours.state) == _revealed(library, theirs.state)


def _revealed(mapper: Mapper[Any], state: bytes) -> bytes:
    """The JSON of a stored state, decrypted and decompressed as the mapper does
    (the cipher's nonce differs each time)."""
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    return state


def test_an_event_unlike_the_first_of_its_class_is_still_written_as_the_library_writes_it() -> None:
    app = CivicWeave(environment("memory://"))
    bulk = BulkMapper(BulkTranscoder(app.mapper.transcoder))
    first, other = _events_of_every_kind()[0], _events_of_every_kind()[0]
    object.__setattr__(other, "extra", Colour.RED)  # an attribute the class's first event has not
    reordered = type(first).__new__(type(first))
    object.__setattr__(reordered, "__dict__", dict(reversed(vars(first).items())))

    for event in (first, other, reordered, first):
        assert bulk.to_stored_event(event) == app.mapper.to_stored_event(event)


@given(st.lists(st.sampled_from(range(len(VALUES))), min_size=3, max_size=3), st.booleans())
def test_later_events_of_a_class_with_values_of_other_types_are_written_as_the_library_writes_them(
    picks: list[int], reverse: bool
) -> None:
    """The writer made for a class from its first event expects each member's type in that
    event (str, UUID, date...); any other type in a later event is still written right."""
    app = CivicWeave(environment("memory://"))
    bulk = BulkMapper(BulkTranscoder(app.mapper.transcoder))
    first = _events_of_every_kind()[0]
    later = _events_of_every_kind()[0]
    names = ["kind", "locality_id", "effective"]  # first a str, a UUID and a date
    for name, pick in zip(reversed(names) if reverse else names, picks, strict=True):
        object.__setattr__(later, name, VALUES[pick])

    for event in (first, later, first):
        assert bulk.to_stored_event(event) == app.mapper.to_stored_event(event)


def test_a_row_is_the_stored_event_with_its_id_as_hex() -> None:
    app = CivicWeave(environment("memory://"))
    bulk = BulkMapper(BulkTranscoder(app.mapper.transcoder))

    for event in _events_of_every_kind():
        stored = app.mapper.to_stored_event(event)
        assert bulk.to_row(event) == (ID.hex, stored.originator_version, stored.topic, stored.state)
