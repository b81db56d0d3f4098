"""A JSON transcoder for bulk imports that writes the bytes eventsourcing's writes, faster.

``JSONTranscoder`` hands the standard library's C encoder a ``default`` that turns each
UUID, date and datetime into a tagged dict (``{"_type_": ..., "_data_": ...}``), which the
encoder then walks: a Python call and a dict per value, a quarter of the encoding of a
relationship's event. ``BulkTranscoder`` writes the JSON text of an event's plain values
itself (str, int, bool, None, lists, tuples, dicts with str keys, and the registered
transcodings' tags) with the encoder's own string escaping, and gives anything else
(floats, subclasses such as enums, dicts with other keys) to the library's encoder, so
the bytes are the library's (``tests/domain/test_bulk_encoding.py``). About 9% of a bulk
import's time on SQLite; measured, as ``bench/scenarios/imports.py`` runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from eventsourcing.persistence import JSONTranscoder

Writer = Callable[[Any], str]


class BulkTranscoder(JSONTranscoder):
    """A ``JSONTranscoder`` with the transcodings of ``like``, and a faster ``encode``."""

    def __init__(self, like: JSONTranscoder) -> None:
        super().__init__()
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
                self._writers[kind] = self._tagged(transcoding.name, transcoding.encode)

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
        writers, write = self._writers, self._write
        parts = []
        for key, value in mapping.items():
            writer = writers.get(type(value))
            parts.append(encode_basestring(key) + ":" + (writer(value) if writer else write(value)))
        return "{" + ",".join(parts) + "}"

    def _tagged(self, name: str, encode: Callable[[Any], Any]) -> Writer:
        head = '{"_type_":' + encode_basestring(name) + ',"_data_":'

        def tagged(value: Any) -> str:
            data = encode(value)
            return head + (encode_basestring(data) if type(data) is str else self._write(data)) + "}"

        return tagged
