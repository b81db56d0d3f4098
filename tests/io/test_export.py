"""Exports of the Riverside demo: GraphML read back by networkx and igraph, dynamic GEXF
played day by day against the tie graph, node-link JSON, and the CSV files."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest

from projections.network import GraphKind, tie_graph
from service.demo import SLUG
from service.io.export import ExportFormat, _flat, export, figured_network
from service.io.gexf import dynamic_graph
from tests.io.conftest import DEMO_TODAY, Store

AS_OF = DEMO_TODAY - timedelta(days=30)


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def flat(data: dict[str, Any]) -> dict[str, Any]:
    """What GraphML holds of a node's or edge's attributes."""
    return {key: _flat(value) for key, value in data.items() if value is not None}


def same_values(found: dict[str, Any], expected: dict[str, Any]) -> bool:
    """igraph's attributes equal the expected ones: numbers as floats, an attribute a node
    or edge does not have as NaN or an empty string."""
    for key, value in found.items():
        if key not in expected:
            if not (value in ("", None) or (isinstance(value, float) and math.isnan(value))):
                return False
        elif isinstance(expected[key], bool) or not isinstance(expected[key], int | float):
            if value != expected[key]:
                return False
        elif value != pytest.approx(float(expected[key])):
            return False
    return set(expected) <= set(found)


@pytest.mark.parametrize(
    "graph", [GraphKind.COMBINED, GraphKind.TIE, GraphKind.DIRECTED_TIE, GraphKind.COMMITMENT]
)
def test_graphml_is_read_back_by_networkx_and_igraph_with_the_same_nodes_edges_and_attributes(
    demo: Store, graph: GraphKind, tmp_path: Path
) -> None:
    network = figured_network(demo.reader, SLUG, graph, AS_OF)
    content = export(demo.reader, SLUG, ExportFormat.GRAPHML, graph=graph, as_of=AS_OF).content

    by_networkx = nx.read_graphml(io.BytesIO(content))
    assert by_networkx.is_directed() == network.is_directed()
    assert dict(by_networkx.nodes(data=True)) == {n: flat(d) for n, d in network.nodes(data=True)}
    assert {(u, v): d for u, v, d in by_networkx.edges(data=True)} == {
        (u, v): flat(d) for u, v, d in network.edges(data=True)
    }

    path = tmp_path / "network.graphml"
    path.write_bytes(content)
    by_igraph = ig.Graph.Read_GraphML(str(path))
    assert by_igraph.is_directed() == network.is_directed()
    ids = by_igraph.vs["id"]
    assert sorted(ids) == sorted(network.nodes)
    for vertex in by_igraph.vs:
        attributes = {k: v for k, v in vertex.attributes().items() if k != "id"}
        assert same_values(attributes, flat(network.nodes[vertex["id"]])), vertex["id"]
    assert by_igraph.ecount() == network.number_of_edges()
    for edge in by_igraph.es:
        u, v = ids[edge.source], ids[edge.target]
        assert network.has_edge(u, v)
        assert same_values(edge.attributes(), flat(network.edges[u, v])), (u, v)
    assert by_igraph["locality"] == SLUG and by_igraph["as_of"] == AS_OF.isoformat()


def _inside(spells: list[tuple[str, str]], day: date) -> bool:
    """Whether a day falls in GEXF spells as networkx reads them back (an open end as 'None')."""
    return any(
        date.fromisoformat(start) <= day and (end in (None, "None") or day <= date.fromisoformat(end))
        for start, end in spells
    )


def _value_on(values: list[tuple[Any, str, str]], day: date) -> Any:
    (value,) = [v for v, start, end in values if _inside([(start, end)], day)]
    return value


@pytest.fixture(scope="module")
def gexf(demo: Store) -> nx.Graph:
    content = export(demo.reader, SLUG, ExportFormat.GEXF).content
    assert b'version="1.2"' in content and b'mode="dynamic"' in content and b'timeformat="date"' in content
    assert b'name="riverside"' in content
    return nx.read_gexf(io.BytesIO(content))


def test_dynamic_gexf_is_read_back_by_networkx_with_the_same_nodes_edges_and_attributes(
    demo: Store, gexf: nx.Graph
) -> None:
    written = dynamic_graph(demo.state(SLUG))

    def readable(data: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in data.items():
            if isinstance(value, list):
                value = [tuple("None" if part is None else part for part in item) for item in value]
            out[key] = value
        return out

    assert {n: readable(d) for n, d in gexf.nodes(data=True)} == {
        n: readable(d) for n, d in written.nodes(data=True)
    }
    assert {
        frozenset((u, v)): {k: x for k, x in readable(d).items() if k != "id"}
        for u, v, d in gexf.edges(data=True)
    } == {frozenset((u, v)): readable(d) for u, v, d in written.edges(data=True)}


def test_playing_the_gexf_day_by_day_gives_the_tie_graph_of_each_day(demo: Store, gexf: nx.Graph) -> None:
    """On every day where something changes (and the days either side), the nodes, edges,
    sectors and intensities alive in the file are those of the tie graph of that day."""
    state = demo.state(SLUG)
    changes = {r.valid_from for r in state.relationships.values()}
    changes |= {r.valid_to for r in state.relationships.values() if r.valid_to}
    changes |= {d for r in state.relationships.values() for d, _ in r.intensity}
    changes |= {s.since for s in state.stakeholders.values()} | {
        s.ended for s in state.stakeholders.values() if s.ended
    }
    days = sorted({d + timedelta(days=k) for d in changes for k in (-1, 0, 1)})
    merged = [s for s in state.stakeholders.values() if s.merged_into]
    assert merged and any(r.valid_to for r in state.relationships.values())  # the demo exercises both
    for day in days:
        expected = tie_graph(state, day)
        nodes = {n for n, d in gexf.nodes(data=True) if _inside(d["spells"], day)}
        assert nodes == set(expected), day
        assert {n: _value_on(gexf.nodes[n]["sector"], day) for n in nodes} == dict(
            expected.nodes(data="sector")
        )
        edges = {frozenset((u, v)): d for u, v, d in gexf.edges(data=True) if _inside(d["spells"], day)}
        assert set(edges) == {frozenset(e) for e in expected.edges}, day
        for (u, v), intensity in nx.get_edge_attributes(expected, "intensity").items():
            assert _value_on(edges[frozenset((u, v))]["intensity"], day) == intensity


def test_node_link_json_carries_each_stakeholders_figures(demo: Store) -> None:
    data = json.loads(export(demo.reader, SLUG, ExportFormat.JSON, as_of=AS_OF).content)
    figures = demo.reader.figures(SLUG, as_of=AS_OF)

    nodes = {node["id"]: node for node in data["nodes"]}
    assert len(nodes) == figures["nodes"] and len(data["links"]) == figures["edges"]
    for key, node in nodes.items():
        assert node["betweenness"] == figures["betweenness"]["values"][key]
        assert node["reach"] == figures["reach"][key]


@pytest.fixture(scope="module")
def tie_network(demo: Store) -> nx.Graph:
    return demo.reader.network(SLUG, graph=GraphKind.TIE, as_of=AS_OF)


def test_the_nodes_csv_holds_each_stakeholders_figures_as_networkx_computes_them(
    demo: Store, tie_network: nx.Graph
) -> None:
    rows = read_csv(
        export(demo.reader, SLUG, ExportFormat.NODES_CSV, graph=GraphKind.TIE, as_of=AS_OF).content
    )

    assert {row["id"] for row in rows} == set(tie_network)
    betweenness = nx.betweenness_centrality(tie_network)
    others = tie_network.number_of_nodes() - 1
    for row in rows:
        key = row["id"]
        assert row["label"] == tie_network.nodes[key]["label"]
        assert int(row["degree"]) == tie_network.degree(key)
        assert float(row["betweenness"]) == pytest.approx(betweenness[key])
        within_two = nx.single_source_shortest_path_length(tie_network, key, cutoff=2)
        assert float(row["reach"]) == pytest.approx((len(within_two) - 1) / others)
        sector = tie_network.nodes[key]["sector"]
        external = sum(tie_network.nodes[n]["sector"] != sector for n in tie_network[key])
        internal = tie_network.degree(key) - external
        if internal + external:
            assert float(row["ei_index"]) == pytest.approx((external - internal) / (external + internal))
        else:
            assert row["ei_index"] == ""


def test_the_edges_csv_has_one_row_per_tie_with_both_names(demo: Store, tie_network: nx.Graph) -> None:
    rows = read_csv(
        export(demo.reader, SLUG, ExportFormat.EDGES_CSV, graph=GraphKind.TIE, as_of=AS_OF).content
    )

    assert len(rows) == tie_network.number_of_edges()
    for row in rows:
        data = tie_network.edges[row["source"], row["target"]]
        assert row["source_label"] == tie_network.nodes[row["source"]]["label"]
        assert row["kinds"].split("; ") == list(data["kinds"])
        assert int(row["intensity"]) == data["intensity"]
        assert row["relationships"].split("; ") == list(data["relationships"])


def test_the_audit_csv_holds_every_fact_of_the_locality_in_log_order(demo: Store) -> None:
    everything = read_csv(export(demo.reader, SLUG, ExportFormat.AUDIT_CSV).content)
    earlier = read_csv(export(demo.reader, SLUG, ExportFormat.AUDIT_CSV, as_of=AS_OF).content)

    locality_id = demo.views.locality(SLUG).id
    facts = demo.views.facts(locality_id, limit=100_000)
    assert [int(row["position"]) for row in everything] == [f.position for f in facts]
    assert len(facts) == demo.app.recorder.max_notification_id()
    assert 0 < len(earlier) < len(everything)
    assert all(date.fromisoformat(row["effective"] or row["recorded_at"][:10]) <= AS_OF for row in earlier)
    made = next(row for row in everything if row["event"] == "Made")
    assert made["record"] == "Commitment" and made["summary"].startswith("Commitment made: ")
    assert made["meeting"] and json.loads(made["changes"])["what"] in made["summary"]


def test_the_figures_csv_holds_the_locality_wide_figures(demo: Store) -> None:
    rows = {
        row["figure"]: row["value"]
        for row in read_csv(export(demo.reader, SLUG, ExportFormat.FIGURES_CSV, as_of=AS_OF).content)
    }

    network = demo.reader.figures(SLUG, as_of=AS_OF)
    accountability = demo.reader.accountability(SLUG, as_of=AS_OF)["locality"]
    participation = demo.reader.participation(SLUG, as_of=AS_OF)
    assert float(rows["network.density"]) == pytest.approx(network["density"])
    assert float(rows["network.ei_index.whole"]) == pytest.approx(network["ei_index"]["whole"])
    assert int(rows["accountability.locality.made"]) == accountability["made"]
    assert float(rows["accountability.locality.kept_rate"]) == pytest.approx(accountability["kept_rate"])
    assert int(rows["participation.meetings_held"]) == participation["meetings_held"]
    assert rows["network.missing_sectors.no_stakeholder"] == "; ".join(
        network["missing_sectors"]["no_stakeholder"]
    )
    assert not any(
        name.startswith("network.betweenness.values") for name in rows
    )  # per stakeholder: nodes CSV


def test_each_export_is_named_for_the_locality_format_and_day(demo: Store) -> None:
    named = {fmt: export(demo.reader, SLUG, fmt, as_of=AS_OF) for fmt in ExportFormat}

    assert named[ExportFormat.GRAPHML].filename == f"riverside-graphml-{AS_OF.isoformat()}.graphml"
    assert named[ExportFormat.NODES_CSV].filename == f"riverside-nodes-{AS_OF.isoformat()}.csv"
    assert named[ExportFormat.GEXF].media_type == "application/gexf+xml"
    assert named[ExportFormat.AUDIT_CSV].media_type == "text/csv; charset=utf-8"
