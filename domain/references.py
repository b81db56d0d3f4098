"""The stakeholders a server process knows to be active, and in which locality.

Commands that name stakeholders (a commitment's promisor and promisees, a meeting's
attendees) check that each is a stakeholder of the locality and has not been merged away
or archived. Loading each named stakeholder from the store for that check was half of
making a commitment, and far more under load: with 16 concurrent writers, two loads
took 4.5 ms of a command's 25 ms (threads taking turns to read SQLite), against 0.2 ms
alone.

What the check needs changes rarely and one way only: a stakeholder never changes
locality, and one merged away or archived is never active again. So a process may
remember "active, in this locality" once it has loaded it, provided it hears of every
later change to that stakeholder and then forgets it:

- its own saves (``Core._save_aggregates`` forgets each stakeholder it saved);
- every other process's, through the projector that follows the log in this process, or
  in API processes beside a projector elsewhere, through what that projector announces
  (PostgreSQL's NOTIFY, ``projections.views.Views.listen``); ``service.runtime.Runtime.start``
  wires one or the other and only then turns this on.

Until turned on (``keep``), and while the announcements cannot be heard (``stop``),
nothing is remembered and every check loads the stakeholder (API processes on SQLite
beside a separate projector always run so). A change made by another
process is heard of when the projector applies it, so for that long (the views' lag,
milliseconds) a command may still name a stakeholder merged away elsewhere, as it could
have a moment before the merge. A load that was under way while a stakeholder was
forgotten is not remembered: it may have read the stakeholder before the change.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from uuid import UUID

#: Remembered stakeholders at most (~200 bytes each); past it, all are forgotten and relearnt.
MAX_REMEMBERED = 200_000


class ActiveStakeholders:
    """Stakeholder id -> locality id, for the stakeholders known to be active."""

    def __init__(self) -> None:
        self._localities: dict[UUID, UUID] = {}
        self._kept = False
        self._forgotten = 0  # how many times stakeholders were forgotten (see ``epoch``)
        self._lock = threading.Lock()

    def keep(self) -> None:
        """From now on every change to a stakeholder is told to ``forget``: remember."""
        self._kept = True

    def stop(self) -> None:
        """Changes may no longer be told (e.g. a lost connection): forget all, remember none."""
        with self._lock:
            self._kept = False
            self._forgotten += 1
            self._localities.clear()

    def knows(self, stakeholder: UUID, locality: UUID) -> bool:
        """Whether the stakeholder is known to be active in that locality."""
        return self._localities.get(stakeholder) == locality

    @property
    def epoch(self) -> int:
        """Read before loading a stakeholder, and given to ``remember`` after."""
        return self._forgotten

    def remember(self, stakeholder: UUID, locality: UUID, epoch: int) -> None:
        """The stakeholder was loaded and found active in the locality, by a load that
        began at ``epoch``: remembered unless stakeholders were forgotten since."""
        with self._lock:
            if not self._kept or epoch != self._forgotten:
                return
            if len(self._localities) >= MAX_REMEMBERED:
                self._localities.clear()
            self._localities[stakeholder] = locality

    def forget(self, stakeholders: Iterable[UUID]) -> None:
        """These stakeholders changed (or may have): check them in the store again."""
        changed = list(stakeholders)
        if not changed:
            return
        with self._lock:
            self._forgotten += 1
            for stakeholder in changed:
                self._localities.pop(stakeholder, None)
