"""The locality's graphs on a date (METRICS.md, "The graphs"), on a small hand-worked
Riverside whose ties, meetings and promises each start and stop on known days."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import networkx as nx
import pytest

from projections.network import (
    coattendance_graph,
    combined_graph,
    commitment_graph,
    graph_of,
    node_link,
    tie_graph,
)
from projections.state import LocalityState
from tests.projections.conftest import ACTOR, SLUG, TODAY, ReadSide, Town


@dataclass(frozen=True)
class Riverside:
    council: UUID
    nhs: UUID
    food_bank: UUID
    church: UUID
    mary: UUID
    funds: UUID  # council funds the food bank, intensity 2, then 4 from 1 April
    works_with: UUID  # council collaborates with the food bank, intensity 1
    partners: UUID  # council collaborates with the NHS, 1 February to 1 May
    refers: UUID  # NHS refers to the food bank from 1 March
    hosts: UUID  # food bank collaborates with the church, which joins on 1 June
    meetings: dict[str, UUID]
    promises: dict[str, UUID]


@pytest.fixture
def riverside(town: Town) -> Riverside:
    app = town.app
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    food_bank = town.stakeholder("Riverside Food Bank", "vcse")
    church = town.stakeholder("St Mark's", "faith", since=date(2024, 6, 1))
    mary = town.stakeholder("Mary Okonkwo", "lived_experience", kind="person")

    funds = town.tie(council, food_bank, kind="funds", intensity=2, valid_from=date(2024, 1, 10))
    app.change_intensity(SLUG, funds, 4, on=date(2024, 4, 1), actor=ACTOR)
    app.rate_relationship(
        SLUG, funds, rater="food bank", trust=(3, 4, 2), value=(4, 3, 2), on=date(2024, 2, 1), actor=ACTOR
    )
    works_with = town.tie(council, food_bank, intensity=1, valid_from=date(2024, 2, 1))
    app.rate_relationship(
        SLUG, works_with, rater="council", trust=(2, 2, 2), value=(1, 1, 1), on=date(2024, 3, 1), actor=ACTOR
    )
    partners = town.tie(council, nhs, intensity=3, valid_from=date(2024, 2, 1))
    app.end_relationship(SLUG, partners, reason="Pilot over", valid_to=date(2024, 5, 1), actor=ACTOR)
    refers = town.tie(nhs, food_bank, kind="refers_to", intensity=2, valid_from=date(2024, 3, 1))
    hosts = town.tie(food_bank, church, intensity=3, valid_from=date(2024, 1, 15))

    meetings = {
        "last June": town.meeting(date(2023, 6, 1), council, nhs),
        "March": town.meeting(date(2024, 3, 5), council, nhs, mary),
        "workshop": town.meeting(date(2024, 4, 10), council, nhs, food_bank, kind="workshop", title="Assets"),
        "cancelled": town.meeting(date(2024, 4, 20), council, nhs, food_bank),
    }
    app.cancel_meeting(SLUG, meetings["cancelled"], reason="Snow", actor=ACTOR)

    promises = {
        "hub": town.promise(council, food_bank, made_on=date(2024, 3, 5), due=date(2024, 6, 30)),
        "van": town.promise(council, food_bank, made_on=date(2024, 4, 10), due=date(2024, 7, 31)),
        "referrals": town.promise(nhs, mary, food_bank, made_on=date(2024, 4, 10), due=date(2024, 7, 31)),
        "story": town.promise(mary, made_on=date(2024, 4, 10), due=date(2024, 7, 31)),  # to the Change Group
        "hall": town.promise(food_bank, council, made_on=date(2024, 6, 1), due=date(2024, 7, 31)),
    }
    return Riverside(
        council, nhs, food_bank, church, mary, funds, works_with, partners, refers, hosts, meetings, promises
    )


def edges(graph: nx.Graph, r: Riverside) -> set[frozenset[str]]:
    """The graph's undirected edges, by the short names of their ends."""
    names = {str(getattr(r, n)): n for n in ("council", "nhs", "food_bank", "church", "mary")}
    return {frozenset((names[u], names[v])) for u, v in graph.edges}


def arcs(graph: nx.DiGraph, r: Riverside) -> set[tuple[str, str]]:
    names = {str(getattr(r, n)): n for n in ("council", "nhs", "food_bank", "church", "mary")}
    return {(names[u], names[v]) for u, v in graph.edges}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_the_tie_graph_holds_only_the_ties_valid_on_the_day_between_stakeholders_there_by_then(
    riverside: Riverside, read_side: ReadSide
) -> None:
    state = read_side.state()

    # 15 Feb: funds (from 10 Jan), works_with and partners (from 1 Feb); refers starts 1 March;
    # the church is not in the network until 1 June, so its tie with the food bank waits too.
    february = tie_graph(state, date(2024, 2, 15))
    assert set(february) == {
        str(s) for s in (riverside.council, riverside.nhs, riverside.food_bank, riverside.mary)
    }
    assert edges(february, riverside) == {pair("council", "food_bank"), pair("council", "nhs")}
    # valid_to is exclusive: the partnership ended on 1 May is gone on 1 May.
    assert edges(tie_graph(state, date(2024, 4, 30)), riverside) == {
        pair("council", "food_bank"),
        pair("council", "nhs"),
        pair("nhs", "food_bank"),
    }
    assert edges(tie_graph(state, date(2024, 5, 1)), riverside) == {
        pair("council", "food_bank"),
        pair("nhs", "food_bank"),
    }
    june = tie_graph(state, date(2024, 6, 1))
    assert str(riverside.church) in june
    assert pair("food_bank", "church") in edges(june, riverside)
    assert tie_graph(state, date(2023, 12, 31)).number_of_nodes() == 0


def test_a_tie_carries_its_kinds_the_greatest_intensity_on_the_day_and_the_mean_ratings(
    riverside: Riverside, read_side: ReadSide
) -> None:
    state = read_side.state()
    council, food_bank = str(riverside.council), str(riverside.food_bank)

    # 15 Feb: funds at 2, works_with at 1 -> 2; only the food bank's rating of funds is
    # in force: trust (3 + 4 + 2) / 3 = 3.0, value (4 + 3 + 2) / 3 = 3.0.
    tie = tie_graph(state, date(2024, 2, 15)).edges[council, food_bank]
    assert tie["kinds"] == ("collaborates", "funds")
    assert tie["intensity"] == 2
    assert (tie["trust"], tie["value"]) == (pytest.approx(3.0), pytest.approx(3.0))
    # 31 March: the council's rating of works_with (trust 2, value 1) counts too:
    # trust (3 + 2) / 2 = 2.5, value (3 + 1) / 2 = 2.0; intensity still 2.
    tie = tie_graph(state, date(2024, 3, 31)).edges[council, food_bank]
    assert tie["intensity"] == 2
    assert (tie["trust"], tie["value"]) == (pytest.approx(2.5), pytest.approx(2.0))
    # From 1 April funds is at intensity 4.
    assert tie_graph(state, date(2024, 4, 1)).edges[council, food_bank]["intensity"] == 4
    # A tie nobody rated has no trust or value, not zero.
    refers = tie_graph(state, date(2024, 4, 1)).edges[str(riverside.nhs), food_bank]
    assert (refers["trust"], refers["value"]) == (None, None)


def test_a_rating_is_replaced_by_the_same_raters_later_one_only_from_its_date(
    riverside: Riverside, read_side: ReadSide
) -> None:
    app = read_side.app
    app.rate_relationship(
        SLUG,
        riverside.refers,
        rater="nhs",
        trust=(1, 1, 1),
        value=(2, 2, 2),
        on=date(2024, 3, 10),
        actor=ACTOR,
    )
    app.rate_relationship(
        SLUG,
        riverside.refers,
        rater="nhs",
        trust=(4, 4, 4),
        value=(4, 4, 4),
        on=date(2024, 5, 10),
        actor=ACTOR,
    )
    state = read_side.state()
    ends = (str(riverside.nhs), str(riverside.food_bank))

    assert tie_graph(state, date(2024, 3, 9)).edges[ends]["trust"] is None
    assert tie_graph(state, date(2024, 4, 1)).edges[ends]["trust"] == pytest.approx(1.0)
    assert tie_graph(state, date(2024, 5, 10)).edges[ends]["trust"] == pytest.approx(4.0)


def test_the_directed_tie_graph_points_directed_kinds_from_source_to_target_and_the_others_both_ways(
    riverside: Riverside, read_side: ReadSide
) -> None:
    directed = tie_graph(read_side.state(), date(2024, 4, 15), directed=True)

    assert directed.is_directed()
    assert arcs(directed, riverside) == {
        ("council", "food_bank"),  # funds, and works_with
        ("food_bank", "council"),  # works_with only
        ("council", "nhs"),
        ("nhs", "council"),
        ("nhs", "food_bank"),  # refers to: one way
    }
    council, food_bank = str(riverside.council), str(riverside.food_bank)
    assert directed.edges[council, food_bank]["kinds"] == ("collaborates", "funds")
    assert directed.edges[food_bank, council]["kinds"] == ("collaborates",)


def test_co_attendance_counts_the_meetings_shared_in_the_365_days_up_to_the_day_but_not_cancelled_ones(
    riverside: Riverside, read_side: ReadSide
) -> None:
    state = read_side.state()
    council, nhs, food_bank, mary = (
        str(s) for s in (riverside.council, riverside.nhs, riverside.food_bank, riverside.mary)
    )

    # 30 May 2024: the window opens after 31 May 2023, so last June's meeting, March's and the
    # workshop count (the cancelled meeting of 20 April does not): council and NHS met at 3.
    graph = coattendance_graph(state, date(2024, 5, 30))
    weights = {frozenset((u, v)): w for u, v, w in graph.edges(data="weight")}
    assert weights == {
        frozenset((council, nhs)): 3,
        frozenset((council, mary)): 1,
        frozenset((nhs, mary)): 1,
        frozenset((council, food_bank)): 1,
        frozenset((nhs, food_bank)): 1,
    }
    assert set(graph.edges[council, nhs]["meetings"]) == {
        str(riverside.meetings[m]) for m in ("last June", "March", "workshop")
    }
    # A day later last June's meeting is 365 days old and leaves the window.
    assert coattendance_graph(state, date(2024, 5, 31)).edges[council, nhs]["weight"] == 2
    # A shorter window keeps only the workshop of 10 April.
    short = coattendance_graph(state, date(2024, 4, 15), window_days=30)
    assert short.edges[council, nhs]["weight"] == 1
    assert not short.has_edge(council, mary)


def test_the_commitment_graph_points_promisor_to_promisee_weighted_by_the_promises_made_by_the_day(
    riverside: Riverside, read_side: ReadSide
) -> None:
    state = read_side.state()

    graph = commitment_graph(state, date(2024, 4, 15))
    weights = {
        arc: graph.edges[str(getattr(riverside, arc[0])), str(getattr(riverside, arc[1]))]["weight"]
        for arc in arcs(graph, riverside)
    }
    # Mary's promise is to the Change Group as a whole: no stakeholder at its other end.
    assert weights == {("council", "food_bank"): 2, ("nhs", "mary"): 1, ("nhs", "food_bank"): 1}
    council_food_bank = graph.edges[str(riverside.council), str(riverside.food_bank)]
    assert set(council_food_bank["commitments"]) == {str(riverside.promises[p]) for p in ("hub", "van")}
    hub, van = (read_side.views.history(str(riverside.promises[p])) for p in ("hub", "van"))
    assert council_food_bank["events"] == tuple(sorted(f.position for f in hub + van))
    assert ("food_bank", "council") in arcs(commitment_graph(state, date(2024, 6, 1)), riverside)
    assert commitment_graph(state, date(2024, 3, 4)).number_of_edges() == 0


def test_the_combined_graph_is_the_union_of_ties_and_co_attendance(
    riverside: Riverside, read_side: ReadSide
) -> None:
    state = read_side.state()
    day = date(2024, 4, 15)

    combined = combined_graph(state, day)
    assert edges(combined, riverside) == edges(tie_graph(state, day), riverside) | edges(
        coattendance_graph(state, day), riverside
    )
    assert edges(combined, riverside) == {
        pair("council", "food_bank"),
        pair("council", "nhs"),
        pair("nhs", "food_bank"),
        pair("council", "mary"),
        pair("nhs", "mary"),
    }
    council, nhs, mary = str(riverside.council), str(riverside.nhs), str(riverside.mary)
    assert combined.edges[council, mary]["kinds"] == ("co-attendance",)
    # A tie that was also a shared meeting keeps its tie attributes and gains the meetings' weight.
    assert combined.edges[council, nhs]["kinds"] == ("collaborates",)
    assert combined.edges[council, nhs]["intensity"] == 3
    assert combined.edges[council, nhs]["weight"] == 3
    assert nx.utils.graphs_equal(graph_of(state, "combined", day), combined)


def test_a_merged_stakeholders_ties_and_promises_pass_to_the_one_it_was_merged_into(
    town: Town, read_side: ReadSide
) -> None:
    council = town.stakeholder("Riverside Council", "public")
    duplicate = town.stakeholder("Riverside Borough Council", "public")
    food_bank = town.stakeholder("Riverside Food Bank", "vcse")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    own_tie = town.tie(council, nhs, intensity=1)
    inherited = town.tie(duplicate, food_bank, kind="funds", intensity=3)
    town.tie(duplicate, council)  # would become a loop from the council to itself
    town.meeting(date(2029, 6, 1), council, duplicate, food_bank)
    town.promise(duplicate, nhs, made_on=date(2024, 3, 1), due=date(2024, 4, 1))
    town.promise(council, nhs, made_on=date(2024, 3, 1), due=date(2024, 4, 1))
    town.promise(duplicate, council, made_on=date(2024, 3, 1), due=date(2024, 4, 1))
    before = read_side.state()
    assert edges_of(tie_graph(before, TODAY)) == {
        frozenset((str(council), str(nhs))),
        frozenset((str(duplicate), str(food_bank))),
        frozenset((str(duplicate), str(council))),
    }
    town.app.merge_stakeholder(SLUG, duplicate, council, reason="The same council", actor=ACTOR)

    state = read_side.state()
    ties = tie_graph(state, TODAY)
    assert str(duplicate) not in ties
    assert edges_of(ties) == {frozenset((str(council), str(nhs))), frozenset((str(council), str(food_bank)))}
    assert nx.number_of_selfloops(ties) == 0
    assert ties.edges[str(council), str(food_bank)]["relationships"] == (str(inherited),)
    assert ties.edges[str(council), str(nhs)]["relationships"] == (str(own_tie),)
    directed = tie_graph(state, TODAY, directed=True)
    assert directed.has_edge(str(council), str(food_bank)) and not directed.has_edge(
        str(food_bank), str(council)
    )
    promises = commitment_graph(state, TODAY)
    assert list(promises.edges(data="weight")) == [(str(council), str(nhs), 2)]
    meetings = coattendance_graph(state, TODAY)
    assert edges_of(meetings) == {frozenset((str(council), str(food_bank)))}
    assert nx.number_of_selfloops(meetings) == 0
    # The merge is recorded today: on an earlier day the duplicate still stands on its own.
    assert str(duplicate) in tie_graph(state, date(2024, 6, 1))


def edges_of(graph: nx.Graph) -> set[frozenset[str]]:
    return {frozenset(e) for e in graph.edges}


def test_the_node_link_json_has_every_node_and_edge_with_the_events_behind_it(
    riverside: Riverside, read_side: ReadSide
) -> None:
    state: LocalityState = read_side.state()
    day = date(2024, 4, 15)
    graph = combined_graph(state, day)

    data = json.loads(json.dumps(node_link(graph)))

    assert {n["id"] for n in data["nodes"]} == set(graph)
    mary = next(n for n in data["nodes"] if n["id"] == str(riverside.mary))
    assert (mary["label"], mary["sector"], mary["kind"]) == ("Mary Okonkwo", "lived_experience", "person")
    assert {frozenset((e["source"], e["target"])) for e in data["links"]} == edges_of(graph)
    keys = [riverside.funds, riverside.works_with, *riverside.meetings.values()]
    history = {str(key): [f.position for f in read_side.views.history(str(key))] for key in keys}
    by_ends = {frozenset((e["source"], e["target"])): e for e in data["links"]}
    # The council-food bank tie: every event of funds and of works_with (formed, rated,
    # intensity changed); the council and the NHS also met, so their meetings' events join.
    council_food_bank = by_ends[frozenset((str(riverside.council), str(riverside.food_bank)))]
    assert council_food_bank["events"] == sorted(
        history[str(riverside.funds)]
        + history[str(riverside.works_with)]
        + meeting_events(history, riverside, "workshop")
    )
    assert council_food_bank["relationships"] == sorted([str(riverside.funds), str(riverside.works_with)])
    council_mary = by_ends[frozenset((str(riverside.council), str(riverside.mary)))]
    assert council_mary["meetings"] == [str(riverside.meetings["March"])]
    assert council_mary["events"] == meeting_events(history, riverside, "March")
    assert all(link["events"] for link in data["links"])


def meeting_events(history: dict[str, list[int]], riverside: Riverside, *names: str) -> list[int]:
    return sorted(p for name in names for p in history[str(riverside.meetings[name])])
