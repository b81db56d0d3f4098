"""pyvis ``Network.from_nx`` on growing induced subgraphs of a pickled graph, one line of
``nodes edges seconds`` each, up to the whole graph; run as a child process that the
network-page scenario stops when its time is up (from_nx is O(E^2): minutes at 20,000).

    python -m bench.pyvis_baseline GRAPH.pickle
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network


def steps(n: int) -> list[int]:
    """Subgraph sizes: n/32, n/16, ... n (at least 50 nodes)."""
    sizes = [n]
    while sizes[-1] // 2 >= 50 and len(sizes) < 6:
        sizes.append(sizes[-1] // 2)
    return sorted(sizes)


def main(path: str) -> None:
    G: nx.Graph = pickle.loads(Path(path).read_bytes())
    nodes = list(G)
    for k in steps(len(nodes)):
        H = G.subgraph(nodes[:k]).copy()
        net = Network()
        started = time.perf_counter()
        net.from_nx(H)
        print(k, H.number_of_edges(), time.perf_counter() - started, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
