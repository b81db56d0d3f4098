"""Snapshots of a locality's folded state, so that a restarted server need not fold the
locality's whole history again before it answers.

A snapshot is the state as of one of the locality's facts (its ``position``), written by
the process that folded it; reading one and folding only the facts after it gives the
same state as folding them all, because the fold is pure (``projections.folds``).

A snapshot is used only if

- it was written by the same fold: ``FORMAT`` is a digest of the modules that define the
  state and the fold, so any change to them retires every snapshot (and the next fold
  writes a new one); and
- the fact it was taken at is still in the views, for the same locality (views built
  anew from the log are not trusted to match an old snapshot).

An erasure deletes the locality's snapshots in the projector's transaction (a snapshot
holds unsealed names), and a snapshot is never written over an erasure that came after
its position. Snapshots are pickles read by an unpickler that builds only the state's own
classes and a few builtins: bytes from the database cannot name any other code to run.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any

from domain.bulk import collector_paused
from projections import facts, folds, state
from projections.state import LocalityState
from projections.store import Cursor, ViewDatabase

#: Facts folded into a locality since its last snapshot before a new one is written.
SNAPSHOT_EVERY = 20_000
ERASURE = ("Stakeholder", "PersonErased")


def _format() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for module in (state, folds, facts):
        digest.update(Path(str(module.__file__)).read_bytes())
    return f"1-{digest.hexdigest()}"


#: Which fold wrote a snapshot: the version of this file's encoding and a digest of the
#: state and fold modules.
FORMAT = _format()

_ALLOWED = {
    ("projections.state", name)
    for name in (
        "LocalityState",
        "StakeholderState",
        "RelationshipState",
        "MeetingState",
        "CommitmentState",
        "MeasureState",
    )
} | {("datetime", "date"), ("builtins", "set"), ("builtins", "frozenset")}


class _StateUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"a snapshot may not hold {module}.{name}")
        return super().find_class(module, name)


def dump(locality: LocalityState) -> bytes:
    """The state's bytes (without its copy-on-write bookkeeping)."""
    with collector_paused():
        return pickle.dumps(replace(locality, _owned=None), protocol=pickle.HIGHEST_PROTOCOL)


def load(data: bytes) -> LocalityState:
    with collector_paused():  # a million rows, none of them garbage: collections tripled the time
        loaded = _StateUnpickler(io.BytesIO(data)).load()
    if not isinstance(loaded, LocalityState):
        raise pickle.UnpicklingError("a snapshot holds a locality's state")
    return loaded


def read(cursor: Cursor, locality_id: str) -> LocalityState | None:
    """The locality's snapshot, if it is of this fold and its fact is still in the views."""
    cursor.execute(
        "SELECT s.data FROM view_snapshots s JOIN view_facts f ON f.position = s.position "
        "WHERE s.locality_id = ? AND s.format = ? AND f.locality_id = s.locality_id",
        (locality_id, FORMAT),
    )
    row = cursor.fetchone()
    if row is None:
        return None
    try:
        return load(bytes(row[0]))
    except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None  # folded anew, and written again


def write(db: ViewDatabase, locality: LocalityState) -> bool:
    """Keep ``locality`` as the snapshot of its locality, unless a newer one is kept or
    a person was erased after it. True if it was written."""
    data = dump(locality)
    with db.transaction() as cursor:
        if db.exclusive_lock:
            cursor.execute(db.exclusive_lock)  # one at a time with the projector (and its erasures)
        cursor.execute(
            "SELECT 1 FROM view_facts WHERE locality_id = ? AND position > ? "
            "AND aggregate_type = ? AND event_type = ? LIMIT 1",
            (locality.id, locality.position, *ERASURE),
        )
        if cursor.fetchone() is not None:
            return False
        cursor.execute(
            "INSERT INTO view_snapshots (locality_id, position, format, data) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (locality_id) DO UPDATE SET position = excluded.position, "
            "format = excluded.format, data = excluded.data "
            "WHERE excluded.position > view_snapshots.position OR view_snapshots.format <> excluded.format",
            (locality.id, locality.position, FORMAT, data),
        )
    return True


def forget(cursor: Cursor, locality_id: str) -> None:
    """Delete the locality's snapshot (after an erasure: it may hold the erased name)."""
    cursor.execute("DELETE FROM view_snapshots WHERE locality_id = ?", (locality_id,))
