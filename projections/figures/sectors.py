"""How ties cross sectors: cross-sector share, E-I index, mixing, assortativity, gaps.

Ties count whichever way they point. Sectors are listed in the order of the sector list
given, followed by any sector of the locality's own, alphabetically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import TypedDict

import networkx as nx

from domain.vocabulary import DEFAULT_SECTORS
from projections.figures._graphs import StakeholderId, Ties, ties_of


class EIIndex(TypedDict):
    """Krackhardt and Stern's E-I index for the network, each sector and each stakeholder."""

    whole: float | None
    by_sector: dict[str, float | None]
    by_stakeholder: dict[StakeholderId, float | None]


@dataclass(frozen=True, slots=True)
class _Tally:
    """Ties counted per pair of sectors, and per stakeholder within and across its sector."""

    nodes: list[StakeholderId]
    sectors: list[str]
    pairs: Counter[tuple[str, str]]
    across: list[int]
    within: list[int]

    def ties(self) -> int:
        return sum(self.pairs.values())

    def between(self, a: str, b: str) -> int:
        return self.pairs[(a, b) if a <= b else (b, a)]

    def order(self, sectors: Sequence[str]) -> list[str]:
        own = set(self.sectors).difference(sectors)
        return [*sectors, *sorted(own)]


def _tally(G: nx.Graph) -> _Tally:
    return _tally_ties(ties_of(G))


def _tally_ties(ties: Ties) -> _Tally:
    """Count each tie once, in the order of ``ties.pairs``, which orders the sums."""
    sector = ties.sectors
    across = [0] * len(sector)
    within = [0] * len(sector)
    pairs: Counter[tuple[str, str]] = Counter()
    for u, v in ties.pairs:
        a, b = sector[u], sector[v]
        pairs[(a, b) if a <= b else (b, a)] += 1
        if u == v:  # a self-loop is one neighbour of its own sector
            within[u] += 1
        elif a == b:
            within[u] += 1
            within[v] += 1
        else:
            across[u] += 1
            across[v] += 1
    return _Tally(ties.nodes, sector, pairs, across, within)


def _ei(external: int, internal: int) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def cross_sector_share(G: nx.Graph) -> float | None:
    """Share of the ties whose two ends are in different sectors.

    Returns
    -------
    float or None
        Cross-sector ties / all ties; None when there are no ties.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": "health", "b": "health", "c": "faith"}, "sector")
    >>> cross_sector_share(G)
    0.5
    """
    return _cross_sector_share(_tally(G))


def _cross_sector_share(tally: _Tally) -> float | None:
    ties = tally.ties()
    across = sum(count for (a, b), count in tally.pairs.items() if a != b)
    return across / ties if ties else None


def ei_index(G: nx.Graph, *, sectors: Sequence[str] = DEFAULT_SECTORS) -> EIIndex:
    """Krackhardt and Stern's E-I index: (E - I) / (E + I).

    E counts cross-sector ties and I same-sector ties: -1 when all ties stay within a
    sector, +1 when all cross.

    Parameters
    ----------
    G : networkx Graph or DiGraph
    sectors : sequence of str
        Sectors reported in ``by_sector``, with any others present in G.

    Returns
    -------
    EIIndex
        ``whole`` for all ties, ``by_sector`` for the ties touching each sector and
        ``by_stakeholder`` for each stakeholder's ties; None where there are no ties.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": "health", "b": "health", "c": "faith"}, "sector")
    >>> result = ei_index(G, sectors=["health", "faith", "business"])
    >>> result["whole"], result["by_sector"]
    (0.0, {'health': 0.0, 'faith': 1.0, 'business': None})
    >>> result["by_stakeholder"]
    {'a': -1.0, 'b': 0.0, 'c': 1.0}
    """
    return _ei_index(_tally(G), sectors)


def _ei_index(tally: _Tally, sectors: Sequence[str]) -> EIIndex:
    external = sum(count for (a, b), count in tally.pairs.items() if a != b)
    order = tally.order(sectors)
    by_sector = {
        s: _ei(sum(tally.between(s, t) for t in order if t != s), tally.between(s, s)) for s in order
    }
    return {
        "whole": _ei(external, tally.ties() - external),
        "by_sector": by_sector,
        "by_stakeholder": {
            v: _ei(across, within)
            for v, across, within in zip(tally.nodes, tally.across, tally.within, strict=True)
        },
    }


def sector_mixing(G: nx.Graph, *, sectors: Sequence[str] = DEFAULT_SECTORS) -> dict[str, dict[str, int]]:
    """Number of ties between each pair of sectors.

    Parameters
    ----------
    G : networkx Graph or DiGraph
    sectors : sequence of str
        Rows and columns, with any other sectors present in G.

    Returns
    -------
    dict of dict
        ``mixing[a][b]`` ties with one end in sector a and the other in b; symmetric, and
        each tie counted once (the diagonal holds same-sector ties).

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": "health", "b": "health", "c": "faith"}, "sector")
    >>> sector_mixing(G, sectors=["health", "faith"])
    {'health': {'health': 1, 'faith': 1}, 'faith': {'health': 1, 'faith': 0}}
    """
    return _sector_mixing(_tally(G), sectors)


def _sector_mixing(tally: _Tally, sectors: Sequence[str]) -> dict[str, dict[str, int]]:
    order = tally.order(sectors)
    return {a: {b: tally.between(a, b) for b in order} for a in order}


def sector_assortativity(G: nx.Graph) -> float | None:
    """Newman's attribute assortativity of sector: do ties stay within sectors?

    Returns
    -------
    float or None
        networkx ``attribute_assortativity_coefficient(G, "sector")`` (of the undirected
        view of a DiGraph); None when it is undefined: no ties, or every tie within a
        single sector.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> sectors = {"a": "health", "b": "health", "c": "faith", "d": "faith"}
    >>> nx.set_node_attributes(G, sectors, "sector")
    >>> round(sector_assortativity(G), 4)
    0.3333
    """
    return _sector_assortativity(_tally(G))


def _sector_assortativity(tally: _Tally) -> float | None:
    # networkx's formula, computed from the tally it would otherwise rebuild: with e the
    # mixing matrix of tie ends normalized to sum 1, r = (trace e - sum e²) / (1 - sum e²).
    ties = tally.ties()
    ends: Counter[str] = Counter()
    for (a, b), count in tally.pairs.items():
        ends[a] += count
        ends[b] += count
    if len(ends) < 2:
        return None
    within = sum(count for (a, b), count in tally.pairs.items() if a == b) / ties
    expected = sum((count / (2 * ties)) ** 2 for count in ends.values())
    return (within - expected) / (1 - expected)


def missing_sectors(G: nx.Graph, *, sectors: Sequence[str] = DEFAULT_SECTORS) -> list[str]:
    """The sectors of the list with no stakeholder in G, in list order.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", sector="health")
    >>> missing_sectors(G, sectors=["public", "health", "faith"])
    ['public', 'faith']
    """
    return _missing_sectors({sector for _, sector in G.nodes(data="sector")}, sectors)


def _missing_sectors(present: Container[str | None], sectors: Sequence[str]) -> list[str]:
    return [s for s in sectors if s not in present]
