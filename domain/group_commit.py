"""Group commit: the events of commands saved at the same moment go to the store in one
transaction.

Each write to the log is a transaction that waits for its commit to reach the disk and,
on PostgreSQL, holds a lock on the event table (eventsourcing's, so that notification
ids are issued in commit order) until then. Commands saved one by one from many threads
(or from several API processes) therefore queue for that lock and that flush one at a
time. Here the first thread to save becomes the leader: it writes its own events and
those of every command that arrived while the previous transaction was under way, in
one transaction, and hands each command its own recordings. A lone command is written
at once, as before.

Each command still lands whole or not at all, and gets its own outcome:

- if the grouped transaction fails (e.g. another process saved one of the aggregates
  first), each command of the group is written again alone, so only the ones that
  really clash get the conflict, and the others land;
- two commands of one group that change the same aggregate cannot both be right (the
  second did not see the first): the second is written alone after the group, where it
  meets the store's own version check, as it would have without grouping.

"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import EventStore, Notification, Recording, StoredEvent

#: The most commands one transaction holds (a bound on its size and on how long it takes).
MAX_GROUP = 64


class _Pending:
    """One command's events, waiting to be written, and then what became of them."""

    def __init__(self, events: Sequence[Any], stored: list[StoredEvent]) -> None:
        self.events = events
        self.stored = stored
        self.aggregates = {s.originator_id for s in stored}
        self.recordings: list[Recording[UUID]] | None = None
        self.error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.recordings is not None or self.error is not None


class GroupCommit:
    """``EventStore.put`` for many threads at once, one transaction per group of commands."""

    def __init__(self, events: EventStore[UUID], *, max_group: int = MAX_GROUP) -> None:
        self.events = events
        self.max_group = max_group
        self._queue: list[_Pending] = []
        self._writing = False
        self._changed = threading.Condition()

    def put(self, domain_events: Sequence[Any]) -> list[Recording[UUID]]:
        """Store one command's events (all of them or none); returns their recordings."""
        pending: _Pending = _Pending(
            domain_events, [self.events.mapper.to_stored_event(e) for e in domain_events]
        )
        with self._changed:
            self._queue.append(pending)
            while not pending.done:
                if self._writing:
                    self._changed.wait()
                    continue
                # No one is writing: this thread writes what is queued (its own command too,
                # in this group or a later one).
                self._writing = True
                group, self._queue = self._queue[: self.max_group], self._queue[self.max_group :]
                self._changed.release()
                try:
                    self._write(group)
                finally:
                    self._changed.acquire()
                    self._writing = False
                    self._changed.notify_all()
        if pending.error is not None:
            raise pending.error
        assert pending.recordings is not None
        return pending.recordings

    def _write(self, group: list[_Pending]) -> None:
        together: list[_Pending] = []
        after: list[_Pending] = []
        touched: set[Any] = set()
        for pending in group:
            (after if pending.aggregates & touched else together).append(pending)
            touched |= pending.aggregates
        if len(together) > 1:
            try:
                self._insert(together)
            except Exception:
                after = together + after  # each alone: each gets its own outcome
        else:
            after = together + after
        for pending in after:
            try:
                self._insert([pending])
            except BaseException as error:
                pending.error = error

    def _insert(self, group: list[_Pending]) -> None:
        stored = [s for pending in group for s in pending.stored]
        ids = self.events.recorder.insert_events(stored)
        start = 0
        for pending in group:
            end = start + len(pending.stored)
            pending.recordings = _recordings(pending.events, pending.stored, ids[start:end] if ids else ())
            start = end


def _recordings(
    events: Sequence[Any], stored: list[StoredEvent], ids: Sequence[int]
) -> list[Recording[UUID]]:
    """As ``EventStore.put`` makes them (none where the recorder gives no notification ids)."""
    return [
        Recording(
            event,
            Notification(
                originator_id=s.originator_id,
                originator_version=s.originator_version,
                topic=s.topic,
                state=s.state,
                id=n,
            ),
        )
        for event, s, n in zip(events, stored, ids, strict=False)
    ]
