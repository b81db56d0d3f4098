"""How far the views have got in the log, and the writes that wait for them.

A write answers once the views include it (read-your-writes). How a process knows the
views' position: told by the projector in the process after each batch it commits
(``follow``); heard from a projector in another process where the database announces
it (``listen``, PostgreSQL); or else read from the views' tracking table.
"""

from __future__ import annotations

import logging
import threading
import time

from domain.references import ActiveStakeholders
from projections.projector import VIEW, stakeholders_changed
from projections.store import ViewDatabase, tracked_position

log = logging.getLogger(__name__)


class Following:
    """The views' position, and waiting for it (``projections.views.Views`` is one)."""

    def __init__(self, db: ViewDatabase) -> None:
        self.db = db
        self._advanced = threading.Condition()
        self._known = 0  # the position a projector in this process last said it reached
        self._following = False  # every position that projector commits is told (``follow``)
        self._listening = False  # every position a projector elsewhere commits is heard (``listen``)

    def position(self) -> int:
        """How far the projector has got in the application's log: as the projector in
        this process last told (``follow``), or else as the views' tracking table says."""
        if self._following:
            return self._known
        return self._read_position()

    def _read_position(self) -> int:
        with self.db.read() as cursor:
            return tracked_position(cursor, VIEW)

    def follow(self, position: int) -> None:
        """From ``position`` on, the projector in this process tells (``advanced``) each
        position it commits, and it alone writes these views: the position is then known
        here, and no read or write asks the database for it (one transaction each)."""
        self.advanced(position)
        self._following = True

    def advanced(self, position: int) -> None:
        """Told by a projector in this process that the views now include ``position``:
        wakes the writes waiting for it at once, rather than at their next poll."""
        with self._advanced:
            self._known = max(self._known, position)
            self._advanced.notify_all()

    def wait_for(self, position: int | None, *, timeout: float = 2.0) -> bool:
        """Wait (bounded) until the views include ``position``; False if they still lag.

        Woken by ``advanced`` when the projector runs in this process, or is heard from
        another (``listen``); otherwise the views are polled, often at first and then
        every 10 ms.
        """
        if position is None:
            return True
        deadline = time.monotonic() + timeout
        delay = 0.002

        def told() -> bool:
            return self._known >= position

        while not told():
            if not (self._following or self._listening) and self.position() >= position:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._advanced:
                self._advanced.wait_for(told, timeout=min(delay, remaining))
            delay = min(delay * 2, 0.01)
        return True

    def listen(self, active: ActiveStakeholders, stop: threading.Event) -> bool:
        """In an API process beside a projector in another process: a thread of its own
        hears each position that projector commits (PostgreSQL's NOTIFY), wakes the
        writes waiting for it (rather than each polling the views) and tells ``active``
        the stakeholders it changed, which ``active`` may then remember. False where
        positions are not announced (SQLite). While the connection is lost, waits poll
        again and ``active`` remembers nothing; it is opened again a second later."""
        if not self.db.announces:
            return False
        threading.Thread(target=self._listen, args=(active, stop), name="views-listener", daemon=True).start()
        return True

    def _listen(self, active: ActiveStakeholders, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with self.db.listening() as heard:
                    assert heard is not None
                    position = self._read_position()  # after LISTEN: what commits from now on is heard
                    self.advanced(position)
                    self._listening = True
                    active.keep()
                    for announced in heard:
                        if stop.is_set():
                            break
                        if announced is None or announced.position <= position:
                            continue
                        if announced.stakeholders:
                            with self.db.read() as cursor:
                                active.forget(stakeholders_changed(cursor, position, announced.position))
                        position = announced.position
                        self.advanced(position)
            except Exception:
                if not stop.is_set():  # else the process is closing its connections
                    log.warning("could not hear the projector's positions; polling the views", exc_info=True)
            finally:
                self._listening = False
                active.stop()
            stop.wait(1.0)
