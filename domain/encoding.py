"""A JSON transcoder and mapper for bulk imports that write the bytes eventsourcing's
write, faster.

``JSONTranscoder`` hands the standard library's C encoder a ``default`` that turns each
UUID, date and datetime into a tagged dict (``{"_type_": ..., "_data_": ...}``), which the
encoder then walks: a Python call and a dict per value, a quarter of the encoding of a
relationship's event. ``BulkTranscoder`` writes the JSON text of an event's plain values
itself (str, int, bool, None, lists, tuples, dicts with str keys, and the registered
transcodings' tags) with the encoder's own string escaping, and gives anything else
(floats, subclasses such as enums, dicts with other keys) to the library's encoder, so
the bytes are the library's (``tests/domain/test_bulk_encoding.py``). A key's text is
escaped once per transcoder, and the tags of UUIDs, dates and datetimes, whose text needs
no escaping, are written in one step. ``BulkMapper`` writes an event's state from its
attributes as they are, where the library's ``Mapper`` copies them into a dict first.
Together 10.4 -> 8.4 µs an event of the bench's import (13.1 for the library's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    Cipher,
    Compressor,
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from domain.base import DateAsISO

Writer = Callable[[Any], str]

# Transcodings whose text is only ASCII letters, digits and "+-.:" (JSON needs no escape),
# with the method that gives it.
_PLAIN_TEXT: dict[type[Transcoding], Callable[[Any], str]] = {
    UUIDAsHex: attrgetter("hex"),
    DatetimeAsISO: datetime.isoformat,
    DateAsISO: date.isoformat,
}


class BulkTranscoder(JSONTranscoder):
    """A ``JSONTranscoder`` with the transcodings of ``like``, and a faster ``encode``."""

    def __init__(self, like: JSONTranscoder) -> None:
        super().__init__()
        self._names: dict[str, str] = {}  # a key's JSON text and colon
        for transcoding in like.types.values():
            self.register(transcoding)
        self._writers: dict[type, Writer] = {
            str: encode_basestring,
            int: int.__repr__,
            bool: lambda value: "true" if value else "false",
            type(None): lambda value: "null",
            list: self._array,
            tuple: self._array,
            dict: self._object,
        }
        for kind, transcoding in self.types.items():
            # The C encoder writes these types itself: it never asks ``default`` about them.
            if kind not in self._writers:
                self._writers[kind] = self._tagged(transcoding)

    def encode(self, obj: Any) -> bytes:
        return self._write(obj).encode("utf8")

    def _write(self, value: Any) -> str:
        writer = self._writers.get(type(value))
        return writer(value) if writer is not None else self._library(value)

    def _library(self, value: Any) -> str:
        text: str = self.encoder.encode(value)
        return text

    def _array(self, values: list[Any] | tuple[Any, ...]) -> str:
        return "[" + ",".join(map(self._write, values)) + "]"

    def _object(self, mapping: dict[Any, Any]) -> str:
        if not all(type(key) is str for key in mapping):
            return self._library(mapping)
        return self._members(mapping.items())

    def _members(self, items: Any) -> str:
        """The JSON object of str keys and their values, ``items`` in order."""
        writers, names = self._writers, self._names
        parts = []
        for key, value in items:
            name = names.get(key)
            if name is None:
                name = names[key] = encode_basestring(key) + ":"
            writer = writers.get(type(value))
            parts.append(name + (writer(value) if writer is not None else self._library(value)))
        return "{" + ",".join(parts) + "}"

    def _tagged(self, transcoding: Transcoding) -> Writer:
        head = '{"_type_":' + encode_basestring(transcoding.name) + ',"_data_":'
        text = _PLAIN_TEXT.get(type(transcoding))
        if text is not None:
            start = head + '"'

            def plain(value: Any) -> str:
                return start + text(value) + '"}'

            return plain
        encode = transcoding.encode

        def tagged(value: Any) -> str:
            data = encode(value)
            return head + (encode_basestring(data) if type(data) is str else self._write(data)) + "}"

        return tagged


class BulkMapper(Mapper[UUID]):
    """A ``Mapper`` with a ``BulkTranscoder``, writing an event's state straight from its
    attributes: the library's copies them into a dict and takes the ids out first."""

    def __init__(
        self, transcoder: BulkTranscoder, compressor: Compressor | None = None, cipher: Cipher | None = None
    ) -> None:
        super().__init__(transcoder, compressor, cipher)
        self._bulk = transcoder
        self._topics: dict[type, tuple[str, int]] = {}

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        known = self._topics.get(cls)
        if known is None:
            known = self._topics[cls] = (get_topic(cls), getattr(cls, "class_version", 1))
        topic, class_version = known
        state = vars(domain_event)
        members = [(k, v) for k, v in state.items() if k != "originator_id" and k != "originator_version"]
        if class_version > 1:
            members.append(("class_version", class_version))
        stored_state = self._bulk._members(members).encode("utf8")
        if self.compressor:
            stored_state = self.compressor.compress(stored_state)
        if self.cipher:
            stored_state = self.cipher.encrypt(stored_state)
        return StoredEvent(
            originator_id=state["originator_id"],
            originator_version=state["originator_version"],
            topic=topic,
            state=stored_state,
        )
