"""The network page: the pyvis picture of the chosen graph on a date, filtered by sector
and kind of tie, brokers and bridges marked, a summary view for large networks, the
sector mixing heatmap, and the figures as CSV."""

from __future__ import annotations

from datetime import date

import pytest

from service.pages import network as network_page
from tests.visualisations.graphs import nodes_and_edges

from .conftest import HOME, OTHER, Site
from .html import csv_rows, text

NETWORK = f"/l/{HOME}/network"


def test_the_picture_draws_every_stakeholder_and_tie_of_the_combined_graph(site: Site) -> None:
    G = site.runtime.reader.network(HOME)
    page = site.client("lead").get(NETWORK).text
    nodes, edges = nodes_and_edges(page)

    assert (len(nodes), len(edges)) == (G.number_of_nodes(), G.number_of_edges())
    assert f'data-node-count="{G.number_of_nodes()}"' in page
    assert {n["label"] for n in nodes} == {d["label"] for _, d in G.nodes(data=True)}


def test_nodes_are_coloured_by_sector_sized_by_betweenness_and_brokers_marked(site: Site) -> None:
    figures = site.runtime.reader.figures(HOME)
    state = site.runtime.reader.state(HOME)
    nodes, _ = nodes_and_edges(site.client("lead").get(NETWORK).text)
    by_label = {n["label"]: n for n in nodes}
    betweenness = figures["betweenness"]["values"]
    top = max(betweenness, key=lambda s: betweenness[s])
    least = min(betweenness, key=lambda s: betweenness[s])

    assert by_label[state.stakeholders[top].name]["size"] > by_label[state.stakeholders[least].name]["size"]
    assert by_label[state.stakeholders[top].name].get("borderWidth", 0) > 1  # a broker
    day = site.runtime.reader.today()
    assert all(
        n["group"] == state.sector_of(s.id, day)
        for s in state.present_stakeholders(day)
        for n in [by_label[s.name]]
    )


def test_tooltip_details_name_the_assets_and_the_open_commitments(site: Site) -> None:
    state = site.runtime.reader.state(HOME)
    day = site.runtime.reader.today()
    promisor = next(
        state.stakeholders[c.promisor[-1][1]] for c in state.commitments.values() if c.state(day) == "overdue"
    )
    nodes, _ = nodes_and_edges(site.client("lead").get(NETWORK).text)
    tooltip = next(n["details"] for n in nodes if n["label"] == promisor.name)

    assert "Assets: " in tooltip and "Open commitments: " in tooltip and "overdue" in tooltip
    for _, description in promisor.assets.values():
        assert description in tooltip


def test_the_tie_graph_marks_its_bridges(site: Site) -> None:
    figures = site.runtime.reader.figures(HOME, graph="tie")
    state = site.runtime.reader.state(HOME)
    page = site.client("lead").get(f"{NETWORK}?graph=tie").text
    nodes, edges = nodes_and_edges(page)
    diamonds = {n["label"] for n in nodes if n.get("shape") == "diamond"}

    assert diamonds == {state.stakeholders[s].name for s in figures["bridges"]["stakeholders"]} != set()
    assert sum(1 for e in edges if e.get("dashes")) == len(figures["bridges"]["edges"])
    assert "Diamond: bridge" in page


def test_filters_keep_only_the_sectors_and_kinds_of_tie_chosen(site: Site) -> None:
    page = site.client("lead").get(f"{NETWORK}?graph=tie&sector=health&sector=vcse&kind=funds").text
    nodes, edges = nodes_and_edges(page)
    G = site.runtime.reader.network(HOME, graph="tie")
    expected = [
        (u, v)
        for u, v, d in G.edges(data=True)
        if {G.nodes[u]["sector"], G.nodes[v]["sector"]} <= {"health", "vcse"} and "funds" in d["kinds"]
    ]

    assert {n["group"] for n in nodes} == {"health", "vcse"}
    assert len(edges) == len(expected) > 0
    assert 'value="health" id="s-health" checked' in page and 'value="funds" id="k-funds" checked' in page


def test_the_graph_and_the_day_can_be_chosen(site: Site) -> None:
    day = date(2025, 6, 1)
    G = site.runtime.reader.network(HOME, graph="commitment", as_of=day)
    page = site.client("lead").get(f"{NETWORK}?graph=commitment&as_of={day.isoformat()}").text
    nodes, edges = nodes_and_edges(page)

    assert (len(nodes), len(edges)) == (G.number_of_nodes(), G.number_of_edges())
    assert "Arrows point from the one who acts" in page
    assert site.client("lead").get(f"{NETWORK}?graph=everything").status_code == 422


def test_a_large_network_is_drawn_one_circle_per_sector_unless_asked(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network_page, "LARGE", 20)
    client = site.client("lead")
    summary = client.get(NETWORK).text
    every = client.get(f"{NETWORK}?view=stakeholders").text
    sectors = {d["sector"] for _, d in site.runtime.reader.network(HOME).nodes(data=True)}

    assert len(nodes_and_edges(summary)[0]) == len(sectors)
    assert "drawing each one would make the browser slow" in text(summary)
    assert f'href="{NETWORK}?graph=combined&amp;as_of=&amp;view=stakeholders"' in summary
    assert len(nodes_and_edges(every)[0]) == site.runtime.reader.network(HOME).number_of_nodes()


def test_the_community_view_draws_one_circle_per_community(site: Site) -> None:
    communities = site.runtime.reader.figures(HOME)["communities"]["groups"]
    nodes, _ = nodes_and_edges(site.client("lead").get(f"{NETWORK}?view=community").text)

    assert sorted(n["label"] for n in nodes) == sorted(
        f"Community {i}" for i in range(1, len(communities) + 1)
    )


def test_the_page_lists_brokers_bridges_missing_sectors_and_the_mixing_heatmap(site: Site) -> None:
    figures = site.runtime.reader.figures(HOME, graph="tie")
    page = site.client("lead").get(f"{NETWORK}?graph=tie").text

    assert 'id="h-brokers"' in page and 'id="h-bridges"' in page and 'id="missing"' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.split('id="mixing"')[1]
    total = sum(v for row in figures["sector_mixing"].values() for v in row.values())
    assert f"{total} in all" in page


def test_an_empty_locality_shows_every_sector_missing(site: Site) -> None:
    client = site.client("administrator")
    page = client.get(f"/l/{OTHER}/network")

    assert page.status_code == 200 and 'data-node-count="0"' in page.text
    assert "No stakeholder from: Public sector" in text(page.text)
    for path in ("", "/stakeholders", "/assets", "/meetings", "/meetings/new", "/commitments", "/report"):
        assert client.get(f"/l/{OTHER}{path}").status_code == 200, path


def test_the_figures_download_as_csv_per_stakeholder_for_the_network_and_by_sector(site: Site) -> None:
    client = site.client("lead")
    figures = site.runtime.reader.figures(HOME, graph="tie")
    people = csv_rows(client.get(f"{NETWORK}?format=csv&graph=tie"))
    mixing = csv_rows(client.get(f"{NETWORK}?format=csv&table=mixing&graph=tie"))
    summary = {
        r["figure"]: r["value"] for r in csv_rows(client.get(f"{NETWORK}?format=csv&table=summary&graph=tie"))
    }

    assert {r["id"]: float(r["betweenness"]) for r in people} == pytest.approx(
        figures["betweenness"]["values"]
    )
    assert {r["id"] for r in people if r["bridge"] == "True"} == set(figures["bridges"]["stakeholders"])
    for row in mixing:
        assert {k: int(v) for k, v in row.items() if k != "sector"} == figures["sector_mixing"][row["sector"]]
    assert float(summary["density"]) == pytest.approx(figures["density"])
    assert float(summary["ei_index"]) == pytest.approx(figures["ei_index"]["whole"])
    assert int(summary["nodes"]) == figures["nodes"]
