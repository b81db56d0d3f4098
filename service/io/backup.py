"""Backups of the whole store as JSON lines, and restores into an empty store: the way to
move from SQLite to PostgreSQL (or to another server).

A backup holds, one JSON object per line:

1. a header: ``{"format": "civicweave-backup", "version": 1, "created_at": ..., "events": N}``;
2. every stored event in notification order: ``position``, ``originator_id``,
   ``originator_version``, ``topic`` and ``state`` (the stored JSON text as it is), or
   ``state_base64`` where the stored state is not UTF-8 text;
3. every person key the store still holds: ``subject`` and ``key``. Keys erased before
   the backup are not in it: those people stay erased in the restored store. A backup
   with keys is personal data: keep it as safe as the store itself;
4. a trailer: ``{"end": true, "events": N, "keys": K, "sha256": ...}``, the SHA-256 of the
   events, which the restore checks against the store it wrote.

Restored events are numbered 1, 2, 3, ... in the same order: a PostgreSQL log with gaps in
its numbering comes back without them. Tokens are not backed up: create new ones.
"""

from __future__ import annotations

import hashlib
import json
from base64 import b64decode, b64encode
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.application import CivicWeave
from domain.errors import CivicWeaveError

FORMAT, VERSION = "civicweave-backup", 1
PAGE = 500
Progress = Callable[[int], None]


class BackupError(CivicWeaveError):
    """A backup that cannot be restored, or a store it cannot be restored into."""


@dataclass(frozen=True)
class BackupSummary:
    events: int
    keys: int
    sha256: str


class LogDigest:
    """SHA-256 over stored events in order: the same log, the same digest, on any store."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, event: StoredEvent) -> None:
        head = f"{UUID(str(event.originator_id))}\n{event.originator_version}\n{event.topic}\n{len(event.state)}\n"
        self._hash.update(head.encode())
        self._hash.update(event.state)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def stored_events(app: CivicWeave, *, last: int | None = None) -> Iterator[StoredEvent]:
    """Every stored event in notification order (up to position ``last``)."""
    start = 1
    while page := app.recorder.select_notifications(start, PAGE, stop=last):
        yield from page
        start = page[-1].id + 1


def log_digest(app: CivicWeave) -> tuple[int, str]:
    """How many events the store holds, and their digest."""
    digest, count = LogDigest(), 0
    for event in stored_events(app):
        digest.add(event)
        count += 1
    return count, digest.hexdigest()


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def backup(app: CivicWeave, out: IO[str], *, advance: Progress = lambda n: None) -> BackupSummary:
    """Write the store's log and person keys to ``out``, as of the moment it starts."""
    last = app.recorder.max_notification_id() or 0
    out.write(
        _line(
            {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.now(UTC).isoformat(),
                "events": last,
            }
        )
    )
    digest, events = LogDigest(), 0
    for event in stored_events(app, last=last):
        record: dict[str, Any] = {
            "position": getattr(event, "id", None),
            "originator_id": str(event.originator_id),
            "originator_version": event.originator_version,
            "topic": event.topic,
        }
        try:
            record["state"] = event.state.decode("utf-8")
        except UnicodeDecodeError:
            record["state_base64"] = b64encode(event.state).decode("ascii")
        out.write(_line(record))
        digest.add(event)
        events += 1
        advance(1)
    keys = 0
    for subject, key in app.personal.keys.items():
        out.write(_line({"subject": str(subject), "key": key}))
        keys += 1
    summary = BackupSummary(events, keys, digest.hexdigest())
    out.write(_line({"end": True, "events": events, "keys": keys, "sha256": summary.sha256}))
    return summary


def _parse(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise BackupError(f"{path} line {number}: not JSON ({error.msg})") from None
            if not isinstance(value, dict):
                raise BackupError(f"{path} line {number}: not a JSON object")
            yield number, value


def _event(path: Path, number: int, value: dict[str, Any]) -> StoredEvent:
    try:
        state = value["state"].encode("utf-8") if "state" in value else b64decode(value["state_base64"])
        return StoredEvent(
            originator_id=UUID(value["originator_id"]),
            originator_version=int(value["originator_version"]),
            topic=str(value["topic"]),
            state=state,
        )
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise BackupError(f"{path} line {number}: not a stored event ({error})") from None


Entry = StoredEvent | tuple[UUID, str] | dict[str, Any]


def _entries(path: Path) -> Iterator[Entry]:
    """The backup's events, then its keys (subject, key), then its trailer (a dict)."""
    header = keys = False
    for number, value in _parse(path):
        if not header:
            if value.get("format") != FORMAT or value.get("version") != VERSION:
                raise BackupError(f"{path} is not a civicweave backup (format {FORMAT}, version {VERSION})")
            header = True
        elif value.get("end") is True:
            yield value
        elif "subject" in value:
            keys = True
            try:
                yield UUID(value["subject"]), str(value["key"])
            except (KeyError, ValueError, TypeError, AttributeError):
                raise BackupError(f"{path} line {number}: not a person key") from None
        elif keys:
            raise BackupError(f"{path} line {number}: an event after the keys")
        else:
            yield _event(path, number, value)


def check_backup(path: Path) -> BackupSummary:
    """Read the whole backup once, before anything is written: its header, events, keys and trailer."""
    events = keys = 0
    trailer: dict[str, Any] | None = None
    digest = LogDigest()
    for entry in _entries(path):
        if trailer is not None:
            raise BackupError(f"{path}: more after the end line of the backup")
        if isinstance(entry, dict):
            trailer = entry
        elif isinstance(entry, tuple):
            keys += 1
        else:
            digest.add(entry)
            events += 1
    if trailer is None:
        raise BackupError(f"{path} has no end line: the backup is incomplete")
    if (trailer.get("events"), trailer.get("keys"), trailer.get("sha256")) != (
        events,
        keys,
        digest.hexdigest(),
    ):
        raise BackupError(f"{path} does not match its end line: the backup is damaged")
    return BackupSummary(events, keys, digest.hexdigest())


def require_empty(app: CivicWeave) -> None:
    held = app.recorder.max_notification_id() or 0
    if held or next(app.personal.keys.items(), None) is not None:
        raise BackupError(f"the store is not empty ({held} events): restore only into a new, empty database")


def restore(
    app: CivicWeave,
    path: Path,
    *,
    checked: BackupSummary | None = None,
    batch_size: int = PAGE,
    advance: Progress = lambda n: None,
) -> BackupSummary:
    """Write the backup's events (in order, ``batch_size`` per transaction) and keys into
    an empty store, then check the store's log against the backup's digest. The backup
    is read through first (``check_backup``), unless ``checked`` says what it found."""
    expected = checked or check_backup(path)
    require_empty(app)
    batch: list[StoredEvent] = []
    keys: list[tuple[UUID, str]] = []
    for entry in _entries(path):
        if isinstance(entry, tuple):
            keys.append(entry)
        elif isinstance(entry, StoredEvent):
            batch.append(entry)
        if len(batch) >= batch_size:
            app.recorder.insert_events(batch)
            advance(len(batch))
            batch = []
    if batch:
        app.recorder.insert_events(batch)
        advance(len(batch))
    app.personal.keys.put_many(keys)
    restored = log_digest(app)
    if restored != (expected.events, expected.sha256):
        raise BackupError(
            f"the restored store does not match the backup: {restored[0]} of {expected.events} events"
        )
    return expected
