"""Graphs shaped like the network projection's output, and a reader for the rendered page."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import networkx as nx

from domain.vocabulary import DEFAULT_SECTORS

KINDS = ("collaborates", "funds", "commissions", "refers_to", "shares_information")


def stakeholder_graph(n: int, *, edges_per_node: int = 5, seed: int = 1) -> nx.Graph:
    """A random tie graph with stakeholder ids, sectors, betweenness-like sizes and intensities."""
    rng = random.Random(seed)
    G = nx.relabel_nodes(nx.gnm_random_graph(n, edges_per_node * n, seed=seed), lambda i: f"stakeholder-{i}")
    for node in G:
        G.nodes[node].update(
            label=f"Organisation {node.rsplit('-', 1)[1]}",
            sector=rng.choice(DEFAULT_SECTORS),
            betweenness=rng.random() ** 3,
            tooltip=f"Assets: venue\nOpen commitments: {rng.randint(0, 4)}",
        )
    for u, v in G.edges:
        G.edges[u, v].update(intensity=rng.randint(1, 4), kinds=(rng.choice(KINDS),))
    return G


def page_data(page: str) -> dict[str, Any]:
    """The JSON data block of a rendered network page."""
    match = re.search(
        r'<script type="application/json" id="civicweave-network-data">(.*?)</script>', page, re.S
    )
    assert match, "the page has no network data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def records(table: dict[str, Any]) -> list[dict[str, Any]]:
    """Node rows back to vis records, as the page's script does (tooltips aside: those
    are written in the browser, see test_network_in_browser)."""
    out = []
    for i, row in enumerate(table["rows"]):
        record: dict[str, Any] = {"id": i}
        for column, value in zip(table["columns"], row, strict=False):
            if value is not None:
                lookup = table["lookup"].get(column)
                record[column] = lookup[value] if lookup and isinstance(value, int) else value
        out.append(record)
    return out


def edge_records(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The compact edge columns back to vis records, as the page's script does."""
    out, start = [], 0
    for step, end, style in zip(table["from"], table["to"], table["style"], strict=True):
        start += step
        out.append({"from": start, "to": end, **table["styles"][style]})
    return out


def nodes_and_edges(page: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = page_data(page)
    return records(data["nodes"]), edge_records(data["edges"])
