"""The network API on the Riverside demo: node-link graphs on any date and as recorded at
any moment, their figures checked against networkx and the Reader, and the diff."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from domain.stakeholder import Stakeholder
from projections.network import GraphKind
from projections.reader import Reader
from service.app import create_app
from service.demo import DemoSummary, load_demo
from service.runtime import Runtime
from service.settings import Settings
from tests.service.conftest import OTHER, Api

DEMO = "riverside"
BASE = f"/api/v1/localities/{DEMO}"
ROLES = {"administrator": 200, "facilitator": 200, "lead": 200, "peer": 403, "other_facilitator": 404}


@dataclass
class Demo:
    """The API on a store holding the Riverside demo, loaded between ``before`` and ``after``."""

    api: Api
    summary: DemoSummary
    today: date
    before: datetime
    after: datetime

    def get(self, path: str, role: str = "lead", **params: Any) -> Any:
        answer = self.api.client.get(f"{BASE}{path}", headers=self.api.as_(role), params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()


def serve_demo(path: Path) -> Iterator[Demo]:
    """Riverside loaded through the use cases, a second locality, and a token per role.

    (The ``api`` fixture registers a locality called riverside itself, so the demo needs
    a store of its own.)
    """
    settings = Settings(database_url=f"sqlite:///{path}")
    runtime = Runtime.open(settings)
    today = runtime.reader.today()
    before = datetime.now(UTC)
    summary = load_demo(runtime.app, today=today)
    assert summary is not None
    after = datetime.now(UTC)
    runtime.app.register_locality(OTHER, "Hillside", "North East", actor="setup")
    tokens = {
        "administrator": runtime.tokens.create(name="Ada Admin", role="administrator", locality=None),
        "facilitator": runtime.tokens.create(name="Fran Facilitator", role="facilitator", locality=DEMO),
        "lead": runtime.tokens.create(name="Lee Lead", role="lead", locality=DEMO),
        "peer": runtime.tokens.create(name="Pat Peer", role="peer", locality=DEMO),
        "other_facilitator": runtime.tokens.create(name="Olu Other", role="facilitator", locality=OTHER),
    }
    with TestClient(create_app(settings, runtime=runtime)) as client:
        yield Demo(Api(client, runtime, tokens), summary, today, before, after)
    runtime.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    yield from serve_demo(tmp_path_factory.mktemp("network") / "riverside.db")


def active_stakeholders(demo: Demo) -> set[str]:
    """Ids of the demo's active stakeholders, from the aggregates replayed from the log."""
    notifications = demo.api.runtime.app.recorder.select_notifications(1, 100_000)
    registered = {
        UUID(str(n.originator_id)) for n in notifications if n.topic.endswith("Stakeholder.Registered")
    }
    replayed = [demo.api.runtime.app.load(Stakeholder, key, locality=DEMO) for key in registered]
    return {str(s.id) for s in replayed if s.status == "active"}


def as_graph(node_link: dict[str, Any]) -> nx.Graph:
    graph: nx.Graph = nx.node_link_graph(node_link, edges="links")
    return graph


def test_the_combined_graph_has_a_node_for_each_active_stakeholder(demo: Demo) -> None:
    network = demo.get("/network")
    assert {node["id"] for node in network["nodes"]} == active_stakeholders(demo)
    assert len(network["nodes"]) == demo.summary.stakeholders - demo.summary.merged - demo.summary.archived
    assert network["directed"] is False and network["multigraph"] is False
    assert network["graph"] == {
        "locality": DEMO,
        "kind": "combined",
        "as_of": demo.today.isoformat(),
        "recorded_at": None,
        "window_days": 365,
    }
    for node in network["nodes"]:
        assert node["label"] and node["sector"] and node["kind"] in ("organisation", "group", "person")
        assert isinstance(node["assets"], list)
    assert sum(len(node["assets"]) for node in network["nodes"]) == demo.summary.assets


def test_a_year_ago_the_network_had_fewer_ties_than_today(demo: Demo) -> None:
    year_ago = (demo.today - timedelta(days=365)).isoformat()
    then = demo.get("/network", graph="tie", as_of=year_ago)
    now = demo.get("/network", graph="tie")
    assert 0 < len(then["links"]) < len(now["links"])
    assert then["graph"]["as_of"] == year_ago


def test_each_tie_carries_its_attributes_and_the_events_behind_it(demo: Demo) -> None:
    links = demo.get("/network", graph="tie")["links"]
    views = demo.api.runtime.views
    for link in links[:25]:
        assert link["kinds"] and 1 <= link["intensity"] <= 4
        behind = [fact.position for rid in link["relationships"] for fact in views.history(rid)]
        assert link["events"] == sorted(behind)
    assert any(link["trust"] is not None for link in links)


def test_co_attendance_links_name_the_meetings_shared_and_their_events(demo: Demo) -> None:
    links = demo.get("/network", graph="coattendance")["links"]
    assert links
    for link in links[:25]:
        assert link["weight"] == len(link["meetings"]) >= 1
        meeting_events = {
            fact.position for m in link["meetings"] for fact in demo.api.runtime.views.history(m)
        }
        assert set(link["events"]) == meeting_events


def test_the_commitment_graph_points_from_promisor_to_promisee(demo: Demo) -> None:
    network = demo.get("/network", graph="commitment")
    assert network["directed"] is True
    made = demo.get("/events", type="Commitment.Made", limit=1000)["data"]
    promisor = {e["aggregate_id"]: e["data"]["promisor_id"] for e in made}
    for reassigned in demo.get("/events", type="Commitment.Reassigned", limit=1000)["data"]:
        promisor[reassigned["aggregate_id"]] = reassigned["data"]["promisor_id"]
    promises = Counter((promisor[e["aggregate_id"]], p) for e in made for p in e["data"]["promisee_ids"])
    served = {(link["source"], link["target"]): link["weight"] for link in network["links"]}
    assert served == dict(promises)
    assert all(link["weight"] == len(link["commitments"]) for link in network["links"])


@pytest.mark.parametrize("zone", [None, timezone(timedelta(hours=14))], ids=["naive_utc", "utc_plus_14"])
def test_as_recorded_before_anything_was_recorded_the_network_is_empty(
    demo: Demo, zone: timezone | None
) -> None:
    # A naive moment is UTC; an aware one is the moment it names, whatever its zone.
    moment = demo.before.replace(tzinfo=None) if zone is None else demo.before.astimezone(zone)
    network = demo.get("/network", recorded_at=moment.isoformat())
    assert network["nodes"] == [] and network["links"] == []
    assert demo.get("/network/figures", recorded_at=moment.isoformat())["nodes"] == 0


def test_as_recorded_after_the_load_the_network_is_the_current_one(demo: Demo) -> None:
    recorded = demo.get("/network", recorded_at=demo.after.replace(tzinfo=None).isoformat())
    assert recorded["graph"]["recorded_at"] == demo.after.isoformat().replace("+00:00", "Z")
    assert recorded["nodes"] == demo.get("/network")["nodes"]
    assert len(recorded["links"]) == len(demo.get("/network")["links"])


METRICS_FIGURES = (
    "density",
    "components",
    "isolates",
    "largest_component_share",
    "degree_centralization",
    "betweenness",
    "cross_sector_share",
    "ei_index",
    "sector_mixing",
    "sector_assortativity",
    "brokerage",
    "bridges",
    "communities",
    "reach",
    "missing_sectors",
    "trust",
    "value",
)


def test_the_figures_name_every_network_figure_of_metrics_md(demo: Demo) -> None:
    figures = demo.get("/network/figures", window_days=180)
    assert set(METRICS_FIGURES) <= set(figures)
    assert figures["betweenness"]["method"] == "exact"
    assert figures["window_days"] == 180 and figures["graph"] == "combined"
    assert -1 <= figures["communities"]["modularity"] <= 1
    assert set(figures["missing_sectors"]) == {"no_stakeholder", "not_at_the_table"}
    assert set(figures["brokerage"]) == active_stakeholders(demo)
    assert figures["nodes"] == len(active_stakeholders(demo))


@pytest.mark.parametrize("graph", list(GraphKind))
def test_the_figures_are_those_the_reader_computes(demo: Demo, graph: GraphKind) -> None:
    year_ago = demo.today - timedelta(days=365)
    answer = demo.get("/network/figures", graph=graph.value, as_of=year_ago.isoformat(), window_days=90)
    fresh = Reader(demo.api.runtime.views)  # no cache shared with the server's reader
    expected = fresh.figures(DEMO, graph=graph, as_of=year_ago, window_days=90)
    assert answer == json.loads(json.dumps(expected))


@pytest.mark.parametrize("graph", ["tie", "combined"])
def test_the_figures_agree_with_networkx_on_the_graph_served(demo: Demo, graph: str) -> None:
    G = as_graph(demo.get("/network", graph=graph))
    figures = demo.get("/network/figures", graph=graph)
    assert figures["edges"] == G.number_of_edges()
    assert figures["density"] == pytest.approx(nx.density(G))
    assert figures["components"] == nx.number_connected_components(G)
    assert figures["betweenness"]["values"] == pytest.approx(nx.betweenness_centrality(G))
    across = sum(G.nodes[u]["sector"] != G.nodes[v]["sector"] for u, v in G.edges)
    assert figures["cross_sector_share"] == pytest.approx(across / G.number_of_edges())
    assert set(figures["bridges"]["stakeholders"]) == set(nx.articulation_points(G))


def test_the_diff_lists_the_ties_gained_and_lost_with_the_events_behind_them(demo: Demo) -> None:
    start = demo.today - timedelta(days=365)
    diff = demo.get("/network/diff", **{"from": start.isoformat(), "to": demo.today.isoformat()})

    def ties(as_of: date) -> set[frozenset[str]]:
        links = demo.get("/network", graph="tie", as_of=as_of.isoformat())["links"]
        return {frozenset((link["source"], link["target"])) for link in links}

    gained = {frozenset((t["source"], t["target"])) for t in diff["ties_gained"]}
    lost = {frozenset((t["source"], t["target"])) for t in diff["ties_lost"]}
    assert gained == ties(demo.today) - ties(start) and gained
    assert lost == ties(start) - ties(demo.today) and lost
    views = demo.api.runtime.views
    facts = {fact.position: fact for fact in views.facts(views.locality(DEMO).id, limit=10_000)}
    for tie in diff["ties_gained"]:
        assert tie["events"] and all(facts[p].event_type == "Formed" for p in tie["events"])
    for tie in diff["ties_lost"]:
        assert tie["events"] and all(facts[p].event_type == "Ended" for p in tie["events"])
    assert diff["from"] == start.isoformat() and diff["to"] == demo.today.isoformat()


def test_a_diff_from_after_to_is_refused_naming_from(demo: Demo) -> None:
    answer = demo.api.client.get(
        f"{BASE}/network/diff",
        headers=demo.api.as_("lead"),
        params={"from": demo.today.isoformat(), "to": (demo.today - timedelta(days=1)).isoformat()},
    )
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["problems"]] == ["query.from"]


@pytest.mark.parametrize(("role", "status"), ROLES.items())
def test_the_network_is_read_by_the_localitys_own_roles_only(demo: Demo, role: str, status: int) -> None:
    assert demo.api.client.get(f"{BASE}/network", headers=demo.api.as_(role)).status_code == status


def test_the_network_needs_a_token(demo: Demo) -> None:
    assert demo.api.client.get(f"{BASE}/network").status_code == 401


def test_an_unknown_locality_has_no_network(demo: Demo) -> None:
    answer = demo.api.client.get("/api/v1/localities/nowhere/network", headers=demo.api.as_("administrator"))
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/network", {"graph": "friends"}, "graph"),
        ("/network", {"as_of": "2025-02-30"}, "as_of"),
        ("/network", {"as_of": "0001-01-01"}, "as_of"),
        ("/network", {"recorded_at": "yesterday"}, "recorded_at"),
        ("/network", {"recorded_at": "0001-01-01T00:00:00+01:00"}, "recorded_at"),
        ("/network", {"window_days": "0"}, "window_days"),
        ("/network/figures", {"window_days": "3651"}, "window_days"),
        ("/network/figures", {"graph": ""}, "graph"),
        ("/network/diff", {}, "from"),
        ("/network/diff", {"from": "2025-01-01", "to": "soon"}, "to"),
    ],
)
def test_bad_query_parameters_are_refused_naming_the_parameter(
    demo: Demo, path: str, params: dict[str, str], field: str
) -> None:
    answer = demo.api.client.get(f"{BASE}{path}", headers=demo.api.as_("lead"), params=params)
    assert answer.status_code == 422, answer.text
    assert f"query.{field}" in [p["field"] for p in answer.json()["problems"]]


def test_an_unknown_graph_is_refused_listing_the_graphs_there_are(demo: Demo) -> None:
    answer = demo.api.client.get(f"{BASE}/network", headers=demo.api.as_("lead"), params={"graph": "friends"})
    assert all(kind.value in answer.json()["detail"] for kind in GraphKind)
