from __future__ import annotations

import math
import re
from typing import Any

import networkx as nx
import pytest

from visualisations import render_network
from visualisations.assets import vis_network_js
from visualisations.palette import INK, SECTOR_COLOURS

from .graphs import nodes_and_edges, page_data, stakeholder_graph

MALICIOUS = "<script>alert(1)</script>"
ANY_URL = re.compile(r"https?://", re.IGNORECASE)


@pytest.fixture(scope="module")
def small_page() -> str:
    return render_network(stakeholder_graph(40), title="Forty stakeholders")


@pytest.fixture(scope="module")
def large_page() -> str:
    return render_network(stakeholder_graph(600), title="Six hundred stakeholders")


def _our_markup(page: str) -> str:
    """The page without the inlined vis-network code."""
    return page.replace(vis_network_js(), "")


@pytest.mark.parametrize("which", ["small_page", "large_page"])
def test_the_page_names_no_remote_address(which: str, request: pytest.FixtureRequest) -> None:
    page = request.getfixturevalue(which)
    assert ANY_URL.findall(page) == []


def test_the_page_inlines_vis_network_from_the_pyvis_package(small_page: str) -> None:
    assert vis_network_js() in small_page
    assert "@version 9.1.2" in small_page
    assert len(vis_network_js()) > 400_000
    assert not re.search(r"<script[^>]*\ssrc=|<link\b", small_page, re.IGNORECASE)


def test_a_malicious_label_tooltip_and_title_cannot_become_markup() -> None:
    G = nx.Graph([("evil", "good")])
    G.nodes["evil"].update(label=MALICIOUS, sector="faith", tooltip=MALICIOUS)
    G.nodes["good"].update(label="Good", sector=MALICIOUS)
    page = render_network(G, title=MALICIOUS)

    assert MALICIOUS not in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    nodes, _ = nodes_and_edges(page)
    evil = next(n for n in nodes if n["label"] == MALICIOUS)
    assert evil["details"] == MALICIOUS  # intact text, shown by vis-network as text


def test_the_container_and_the_data_carry_the_node_and_edge_counts(small_page: str) -> None:
    G = stakeholder_graph(40)
    nodes, edges = nodes_and_edges(small_page)

    assert f'data-node-count="{G.number_of_nodes()}"' in small_page
    assert f'data-edge-count="{G.number_of_edges()}"' in small_page
    assert (len(nodes), len(edges)) == (G.number_of_nodes(), G.number_of_edges())
    assert [n["id"] for n in nodes] == list(range(40))


def test_physics_is_on_up_to_the_threshold_and_nodes_find_their_own_place(small_page: str) -> None:
    nodes, _ = nodes_and_edges(small_page)

    assert page_data(small_page)["options"]["physics"]["enabled"] is True
    assert not any("x" in n or "y" in n for n in nodes)


def test_above_the_threshold_physics_is_off_and_every_node_has_a_position(large_page: str) -> None:
    nodes, _ = nodes_and_edges(large_page)
    options = page_data(large_page)["options"]

    assert options["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)


def test_the_threshold_is_the_largest_node_count_that_keeps_physics() -> None:
    G = stakeholder_graph(30)
    at = page_data(render_network(G, title="t", physics_threshold=30))
    above = page_data(render_network(G, title="t", physics_threshold=29))
    assert at["options"]["physics"]["enabled"] and not above["options"]["physics"]["enabled"]


def test_nodes_are_coloured_by_sector_and_the_legend_lists_each_sector() -> None:
    G = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "health", "b": "health", "c": "allotments"}, "sector")
    page = render_network(G, title="t")
    groups = page_data(page)["options"]["groups"]

    assert groups["health"]["color"]["background"] == SECTOR_COLOURS["health"]
    assert groups["allotments"]["color"]["background"] not in SECTOR_COLOURS.values()
    assert re.search(r"<span>Health \(NHS\)</span><span class=\"cw-count\">2</span>", page)
    assert re.search(r"<span>allotments</span><span class=\"cw-count\">1</span>", page)
    assert "No stakeholder from: Public sector" in page


def test_node_size_grows_with_betweenness() -> None:
    G = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(G, {"a": 0.0, "b": 1.0, "c": 0.25}, "betweenness")
    nodes, _ = nodes_and_edges(render_network(G, title="t"))
    size = {n["label"]: n["size"] for n in nodes}
    assert size["a"] < size["c"] < size["b"]


def test_line_width_grows_with_intensity_and_with_weight() -> None:
    G = nx.Graph()
    for i, intensity in enumerate((1, 2, 3, 4)):
        G.add_edge(f"i{i}", f"j{i}", intensity=intensity)
    G.add_edge("w1", "w2", weight=1)
    G.add_edge("w2", "w3", weight=16)
    _, edges = nodes_and_edges(render_network(G, title="t"))
    widths = [e["width"] for e in edges]

    assert widths[:4] == sorted(widths[:4]) and len(set(widths[:4])) == 4
    assert widths[4] < widths[5]


def test_brokers_bridges_and_bridge_ties_are_marked() -> None:
    G = nx.Graph([("broker", "bridge"), ("bridge", "plain")])
    G.nodes["broker"].update(broker=True, sector="vcse")
    G.nodes["bridge"].update(bridge=True, sector="housing")
    G.edges["bridge", "plain"]["bridge"] = True
    page = render_network(G, title="t")
    nodes, edges = nodes_and_edges(page)
    by_label = {n["label"]: n for n in nodes}

    assert by_label["broker"]["borderWidth"] > 1
    assert by_label["broker"]["color"] == {
        "background": SECTOR_COLOURS["vcse"],
        "border": INK,
        "highlight": {"background": SECTOR_COLOURS["vcse"], "border": INK},
        "hover": {"background": SECTOR_COLOURS["vcse"], "border": INK},
    }
    assert by_label["bridge"]["shape"] == "diamond" and "borderWidth" not in by_label["bridge"]
    assert "shape" not in by_label["plain"] and "borderWidth" not in by_label["plain"]
    assert [e.get("dashes", False) for e in edges] == [False, True]
    assert "Thick dark border: broker" in page and "Diamond: bridge" in page


def test_nodes_carry_what_their_tooltips_are_written_from_and_edges_their_tooltips() -> None:
    G = nx.Graph()
    G.add_node("a", label="Food bank", sector="vcse", tooltip="Assets: van", betweenness=0.12345)
    G.add_node("b", label="GP surgery", sector="health", broker=True, bridge=True)
    G.add_edge("a", "b", intensity=3, kinds=("refers_to",))
    page = render_network(G, title="t")
    nodes, edges = nodes_and_edges(page)

    assert page_data(page)["sectors"] == {"health": "Health (NHS)", "vcse": "VCSE / VCFSE"}
    assert nodes[0] == {
        "id": 0,
        "label": "Food bank",
        "group": "vcse",
        "size": 36,
        "betweenness": 0.123,
        "details": "Assets: van",
    }
    assert nodes[1]["broker"] is True and nodes[1]["bridge"] is True and "title" not in nodes[1]
    assert edges[0]["title"] == "refers to: coordination (3 of 4)"


def test_a_directed_graph_gets_arrows_and_an_undirected_one_none() -> None:
    directed = page_data(render_network(nx.DiGraph([("a", "b")]), title="t"))["options"]
    undirected = page_data(render_network(nx.Graph([("a", "b")]), title="t"))["options"]
    assert directed["edges"]["arrows"]["to"]["enabled"] is True
    assert "arrows" not in undirected["edges"]


def test_grouping_by_sector_draws_one_node_per_sector() -> None:
    G = stakeholder_graph(300)
    page = render_network(G, title="t", group_by="sector")
    nodes, edges = nodes_and_edges(page)
    health = sum(1 for _, d in G.nodes(data=True) if d["sector"] == "health")

    assert len(nodes) == 12 and 'data-node-count="12"' in page
    assert "One circle per sector" in page
    assert f'<span>Health (NHS)</span><span class="cw-count">{health}</span>' in page
    assert f"Health (NHS): {health} stakeholders" in {n["title"].split("\n")[0] for n in nodes}
    assert max(e["width"] for e in edges) == 8  # widths relative to the heaviest link


def _discs(nodes: list[dict[str, Any]], parts: list[range]) -> list[tuple[float, float, float]]:
    """Centre and radius of the smallest disc round each part's centroid holding the part."""
    discs = []
    for part in parts:
        x = sum(nodes[i]["x"] for i in part) / len(part)
        y = sum(nodes[i]["y"] for i in part) / len(part)
        radius = max(math.dist((x, y), (nodes[i]["x"], nodes[i]["y"])) for i in part)
        discs.append((x, y, radius))
    return discs


def test_a_large_network_is_laid_out_by_community_when_communities_are_given() -> None:
    G = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
    parts = [range(6), range(6, 12)]
    by_community = render_network(G, title="t", physics_threshold=5, communities=[set(p) for p in parts])
    by_sector = render_network(G, title="t", physics_threshold=5)

    (x1, y1, r1), (x2, y2, r2) = _discs(nodes_and_edges(by_community)[0], parts)
    assert math.dist((x1, y1), (x2, y2)) > r1 + r2
    assert "grouped by community" in by_community
    (x1, y1, r1), (x2, y2, r2) = _discs(nodes_and_edges(by_sector)[0], parts)
    assert math.dist((x1, y1), (x2, y2)) < r1 + r2  # one sector, one disc


def test_the_page_forbids_eval_and_remote_loads_and_has_no_inline_handlers(
    small_page: str,
) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', small_page)
    markup = _our_markup(small_page)

    assert csp and "default-src 'none'" in csp.group(1) and "unsafe-eval" not in csp.group(1)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", markup, re.IGNORECASE)
    assert "eval(" not in markup and "new Function" not in markup
    assert markup.count("<script") == 3
    assert 'type="application/json"' in markup


def test_a_height_that_is_not_a_plain_css_length_is_refused() -> None:
    with pytest.raises(ValueError, match="CSS length"):
        render_network(nx.Graph(), title="t", height="1px; background: red")


def test_an_empty_network_still_renders() -> None:
    page = render_network(nx.Graph(), title="Nobody yet")
    assert 'data-node-count="0"' in page and nodes_and_edges(page) == ([], [])


def test_above_the_edge_threshold_the_page_draws_the_lines_itself() -> None:
    G = stakeholder_graph(40)  # 200 edges
    at, above = (render_network(G, title="t", edge_threshold=t) for t in (200, 199))

    assert page_data(at)["lines"] is False and "pick out its links" not in at
    assert page_data(above)["lines"] is True and "Click a stakeholder to pick out its links" in above
    assert nodes_and_edges(at) == nodes_and_edges(above)
    directed = render_network(nx.DiGraph(G.edges), title="t", edge_threshold=199)
    assert "to the other; they show on the links of the stakeholder clicked." in directed


def test_the_page_of_20000_stakeholders_and_200000_links_stays_under_6_mb() -> None:
    G = stakeholder_graph(20_000, edges_per_node=10)
    for i, (_, data) in enumerate(G.nodes(data=True)):
        if i % 2:  # half the stakeholders with assets and commitments of their own
            data["tooltip"] = (
                f"Assets: venue: the hall of organisation {i}\nOpen commitments: 1\n• Report {i}"
            )
    page = render_network(G, title="A city", communities=[set(list(G)[i::40]) for i in range(40)])
    nodes, edges = nodes_and_edges(page)

    assert len(page.encode()) < 6_000_000
    assert (len(nodes), len(edges)) == (20_000, 200_000)
    assert nodes[1]["details"].endswith("• Report 1") and "x" in nodes[1]
