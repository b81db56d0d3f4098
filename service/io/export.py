"""Exports of a locality: its network as GraphML, dynamic GEXF or node-link JSON; its
stakeholders (with their figures) and ties as CSV; its audit trail and figures as CSV.

CSV files are UTF-8 with a byte-order mark, so that spreadsheet programs read names with
accents right; the imports read them back as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import networkx as nx

from projections.audit import entry
from projections.network import GraphKind, node_link
from projections.reader import Reader
from service.io.gexf import dynamic_gexf

#: Per-stakeholder figures, as columns of the nodes CSV and attributes of GraphML nodes.
NODE_FIGURES = ("degree", "betweenness", "reach", "ei_index", "community", "trust", "value")
NODE_COLUMNS = ("id", "label", "kind", "sector", "assets", *NODE_FIGURES)
EDGE_COLUMNS = (
    "source",
    "source_label",
    "target",
    "target_label",
    "kinds",
    "intensity",
    "trust",
    "value",
    "weight",
    "relationships",
    "meetings",
    "commitments",
    "events",
)
AUDIT_COLUMNS = (
    "position",
    "recorded_at",
    "effective",
    "actor",
    "record",
    "record_id",
    "version",
    "event",
    "summary",
    "meeting",
    "meeting_held_on",
    "changes",
)
LIST_SEPARATOR = "; "
FACTS_PAGE = 1000


class ExportFormat(StrEnum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    JSON = "json"
    NODES_CSV = "nodes-csv"
    EDGES_CSV = "edges-csv"
    AUDIT_CSV = "audit-csv"
    FIGURES_CSV = "figures-csv"


_MEDIA = {
    ExportFormat.GRAPHML: ("application/graphml+xml", "graphml"),
    ExportFormat.GEXF: ("application/gexf+xml", "gexf"),
    ExportFormat.JSON: ("application/json", "json"),
}
CSV_MEDIA = ("text/csv; charset=utf-8", "csv")


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    filename: str


def export(
    reader: Reader,
    slug: str,
    fmt: ExportFormat,
    *,
    graph: GraphKind = GraphKind.COMBINED,
    as_of: date | None = None,
) -> Export:
    """The export of the locality in ``fmt``, on ``as_of`` (default: today)."""
    day = as_of or reader.today()
    media_type, extension = _MEDIA.get(fmt, CSV_MEDIA)
    filename = f"{slug}-{fmt.value.removesuffix('-csv')}-{day.isoformat()}.{extension}"
    if fmt is ExportFormat.GEXF:
        return Export(dynamic_gexf(reader.state(slug), slug=slug), media_type, filename)
    if fmt is ExportFormat.AUDIT_CSV:
        return Export(to_csv(AUDIT_COLUMNS, audit_rows(reader, slug, as_of)), media_type, filename)
    if fmt is ExportFormat.FIGURES_CSV:
        return Export(
            to_csv(("figure", "value"), figure_rows(reader, slug, graph, day)), media_type, filename
        )
    network = figured_network(reader, slug, graph, day)
    if fmt is ExportFormat.GRAPHML:
        content = graphml(network)
    elif fmt is ExportFormat.JSON:
        content = json.dumps(node_link(network), indent=1, default=list).encode()
    elif fmt is ExportFormat.NODES_CSV:
        content = to_csv(NODE_COLUMNS, node_rows(network))
    else:
        content = to_csv(EDGE_COLUMNS, edge_rows(network))
    return Export(content, media_type, filename)


def figured_network(reader: Reader, slug: str, graph: GraphKind, day: date) -> nx.Graph:
    """The network on ``day``, each stakeholder carrying its figures (None: not defined)."""
    network = reader.network(slug, graph=graph, as_of=day)
    network.graph.update(locality=slug, graph=graph.value, as_of=day.isoformat())
    figures = reader.figures(slug, graph=graph, as_of=day)
    community = {v: n for n, group in enumerate(figures["communities"]["groups"]) for v in group}
    per_stakeholder = {
        "betweenness": figures["betweenness"]["values"],
        "reach": figures["reach"],
        "ei_index": figures["ei_index"]["by_stakeholder"],
        "community": community,
        "trust": figures["trust"]["by_stakeholder"],
        "value": figures["value"]["by_stakeholder"],
    }
    for node, data in network.nodes(data=True):
        data["degree"] = network.degree(node)
        for name, values in per_stakeholder.items():
            data[name] = values.get(node)
    return network


def _flat(value: Any) -> Any:
    """A GraphML or CSV cell: lists joined, everything else as it is."""
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


def graphml(network: nx.Graph) -> bytes:
    """GraphML of the network: list attributes joined by "; ", undefined figures left out."""
    flat: nx.Graph = network.__class__()
    flat.graph.update(network.graph)
    for node, data in network.nodes(data=True):
        flat.add_node(node, **{key: _flat(value) for key, value in data.items() if value is not None})
    for u, v, data in network.edges(data=True):
        flat.add_edge(u, v, **{key: _flat(value) for key, value in data.items() if value is not None})
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8")
    return buffer.getvalue()


def node_rows(network: nx.Graph) -> Iterator[list[Any]]:
    for node, data in network.nodes(data=True):
        yield [node, *(_flat(data.get(column)) for column in NODE_COLUMNS[1:])]


def edge_rows(network: nx.Graph) -> Iterator[list[Any]]:
    labels = dict(network.nodes(data="label"))
    for u, v, data in network.edges(data=True):
        cells = [_flat(data.get(column)) for column in EDGE_COLUMNS[4:]]
        yield [u, labels[u], v, labels[v], *cells]


def audit_rows(reader: Reader, slug: str, as_of: date | None) -> Iterator[list[Any]]:
    """Every fact of the locality in log order (those in effect by ``as_of``, if given)."""
    state = reader.state(slug)
    locality_id = reader.views.locality(slug).id
    after = 0
    while page := reader.views.facts(locality_id, after=after, limit=FACTS_PAGE):
        for fact in page:
            if as_of is not None and fact.when > as_of:
                continue
            line = entry(fact, state)
            meeting = line["meeting"] or {}
            yield [
                line["position"],
                line["recorded_at"],
                line["effective"],
                line["actor"],
                line["aggregate_type"],
                line["aggregate_id"],
                line["version"],
                line["event"],
                line["summary"],
                meeting.get("title"),
                meeting.get("held_on"),
                json.dumps(line["changes"], sort_keys=True, ensure_ascii=False),
            ]
        after = page[-1].position


#: Per-stakeholder figures: in the nodes CSV, not the figures CSV.
PER_STAKEHOLDER = frozenset(
    {
        "network.betweenness.values",
        "network.reach",
        "network.ei_index.by_stakeholder",
        "network.brokerage",
        "network.trust.by_stakeholder",
        "network.value.by_stakeholder",
        "network.communities.groups",
        "network.bridges.stakeholders",
        "network.bridges.edges",
        "accountability.by_promisor",
    }
)


def figure_rows(reader: Reader, slug: str, graph: GraphKind, day: date) -> Iterator[list[Any]]:
    """Every locality-wide figure as a row ``section.figure[.part]``, value."""
    sections = {
        "network": reader.figures(slug, graph=graph, as_of=day),
        "accountability": reader.accountability(slug, as_of=day),
        "participation": reader.participation(slug, as_of=day),
    }
    yield from _flatten("", sections)


def _flatten(prefix: str, value: Any) -> Iterator[list[Any]]:
    if prefix in PER_STAKEHOLDER:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), item)
    else:
        yield [prefix, _flat(value)]


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
