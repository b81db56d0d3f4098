"""The one place the service and the CLI read from: views for a locality on any date
("as of", valid time) and as recorded at any moment (system time), with the figures of
each cached until the next fact arrives."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import networkx as nx

from projections.accountability import accountability
from projections.audit import trail
from projections.diff import network_diff
from projections.network import DEFAULT_WINDOW_DAYS, GraphKind, graph_of, tie_figures
from projections.participation import participation
from projections.state import LocalityState
from projections.views import Views

CACHE_SIZE = 128


def today_utc() -> date:
    return datetime.now(UTC).date()


class Reader:
    def __init__(self, views: Views, *, today: Callable[[], date] = today_utc) -> None:
        self.views = views
        self.today = today
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def state(self, slug: str, *, recorded_at: datetime | None = None) -> LocalityState:
        if recorded_at is not None:
            return self.views.as_recorded(slug, recorded_at)
        return self.views.state(slug)

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def network(
        self,
        slug: str,
        *,
        graph: GraphKind | str = GraphKind.COMBINED,
        as_of: date | None = None,
        recorded_at: datetime | None = None,
        window_days: int = DEFAULT_WINDOW_DAYS,
    ) -> nx.Graph:
        state = self.state(slug, recorded_at=recorded_at)
        return graph_of(state, graph, as_of or self.today(), window_days=window_days)

    def figures(
        self,
        slug: str,
        *,
        graph: GraphKind | str = GraphKind.COMBINED,
        as_of: date | None = None,
        recorded_at: datetime | None = None,
        window_days: int = DEFAULT_WINDOW_DAYS,
    ) -> dict[str, Any]:
        """Every network figure of METRICS.md for one graph of the locality on a date."""
        state = self.state(slug, recorded_at=recorded_at)
        day = as_of or self.today()
        kind = GraphKind(graph)

        def compute() -> dict[str, Any]:
            # The tie graph itself is never built: its figures are read straight from the state.
            network = None if kind is GraphKind.TIE else graph_of(state, kind, day, window_days=window_days)
            figures = tie_figures(state, day, network)
            table = participation(state, day, window_days=window_days)
            figures["missing_sectors"] = {
                "no_stakeholder": figures["missing_sectors"],
                "not_at_the_table": table["sectors_missing_from_the_table"],
            }
            return {
                "locality": slug,
                "graph": kind.value,
                "as_of": day.isoformat(),
                "recorded_at": recorded_at.isoformat() if recorded_at else None,
                "window_days": window_days,
                **figures,
            }

        if recorded_at is not None:
            return compute()
        result: dict[str, Any] = self._cached(
            ("figures", slug, kind, day, window_days, state.position), compute
        )
        return result

    def accountability(
        self,
        slug: str,
        *,
        as_of: date | None = None,
        since: date | None = None,
        recorded_at: datetime | None = None,
    ) -> dict[str, Any]:
        state = self.state(slug, recorded_at=recorded_at)
        return accountability(state, as_of or self.today(), since=since)

    def participation(
        self,
        slug: str,
        *,
        as_of: date | None = None,
        since: date | None = None,
        window_days: int = DEFAULT_WINDOW_DAYS,
        recorded_at: datetime | None = None,
    ) -> dict[str, Any]:
        state = self.state(slug, recorded_at=recorded_at)
        return participation(state, as_of or self.today(), window_days=window_days, since=since)

    def diff(self, slug: str, start: date, end: date) -> dict[str, Any]:
        return network_diff(self.state(slug), start, end)

    def history(self, slug: str, aggregate_id: str) -> list[dict[str, Any]] | None:
        """The audit trail of one aggregate of the locality; None if it is not one of its own."""
        state = self.state(slug)
        facts = self.views.history(aggregate_id)
        if not facts or facts[0].locality_id != state.id:
            return None
        return trail(facts, state)
