"""Everything one server process holds: the Application (writes), the views and their
reader (reads), the token store, and — in a single-process server — the projector."""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from domain.application import CivicWeave, Receipt
from domain.persistence import environment
from projections.projector import Projector, open_projector
from projections.reader import Reader
from projections.views import Views
from service.auth import TokenStore
from service.encoded import EncodedCache, Repeats
from service.settings import Settings

log = logging.getLogger(__name__)

#: How long a write waits for the views to include it before answering that they lag.
READ_YOUR_WRITES_SECONDS = 2.0


@dataclass
class Runtime:
    settings: Settings
    app: CivicWeave
    views: Views
    reader: Reader
    tokens: TokenStore
    projector: Projector
    encoded: EncodedCache = field(default_factory=EncodedCache)
    repeats: Repeats = field(default_factory=Repeats)
    known_localities: set[str] = field(default_factory=set)  # seen to exist; none is ever removed
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @classmethod
    def open(cls, settings: Settings) -> Runtime:
        app = CivicWeave(environment(settings.database_url))
        projector = open_projector(app, settings.database_url)
        views = Views(projector.views)
        return cls(settings, app, views, Reader(views), TokenStore(settings.database_url), projector)

    def start(self) -> None:
        """Catch the views up with the log, then keep them following it in a thread
        (unless a separate worker keeps them: ``settings.projector`` false).

        What the process holds once started (modules, the app and its schemas, the views
        caught up) then lives as long as the process, so it is moved out of the garbage
        collector's sight (``gc.freeze``): a full collection walked all of it, ~80 ms with
        every request held up, and set the p99 latency of a write under load."""
        if not self.settings.projector:
            # API processes beside a projector elsewhere hear its positions where it can tell them.
            self.views.listen(self.app.active_stakeholders, self._stop)
        elif self._thread is None:
            self.projector.on_applied = self.views.advanced  # writes waiting for their views wake at once
            self.projector.on_stakeholders_changed = self.app.active_stakeholders.forget
            self.app.active_stakeholders.keep()  # every change to a stakeholder is now heard of
            self.projector.catch_up()
            self.views.follow(self.projector.position())
            self._thread = threading.Thread(
                target=self.projector.run_forever, args=(self._stop,), daemon=True
            )
            self._thread.start()
        gc.freeze()

    def written(self, receipt: Receipt) -> dict[str, Any]:
        """The answer to a write: the new version, once the views include it (bounded wait)."""
        self.projector.nudge()
        caught_up = self.views.wait_for(receipt.position, timeout=READ_YOUR_WRITES_SECONDS)
        return {
            "id": str(receipt.id),
            "version": receipt.version,
            "position": receipt.position,
            "view_lag": not caught_up,
        }

    def close(self) -> None:
        gc.unfreeze()  # what this runtime held may be collected again (e.g. in a process that made many)
        self._stop.set()
        self.projector.nudge()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.views.close()  # finish the snapshots under way: a stopping server keeps what it folded
        self.tokens.close()
        self.projector.close()
        self.app.close()
