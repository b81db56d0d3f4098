"""The figures the reader serves, read straight from a locality's state, against the same
figures computed from the networkx graphs of the network projection; and pinned, so that
a change to any figure of a mixed locality fails here first.

The mixed locality is built through the real application from a seeded generator: ties
of every kind (directed or not, several between one pair, both ways), ratings replaced
later by the same rater, ties ended, a sector changed, a stakeholder merged into another
and one archived, meetings and promises.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeAlias
from uuid import UUID

import networkx as nx
import pytest

from domain.vocabulary import RelationshipKind
from projections.figures import in_edge_order, network_figures
from projections.network import GraphKind, graph_of, tie_figures, tie_graph
from projections.state import LocalityState
from tests.projections.conftest import ACTOR, SLUG, ReadSide, Town

#: The SHA-256 of the figures (as JSON, stakeholders by name) of each graph: computed by the
#: code before the figures were read straight from the state, and by every version since.
PINNED = {
    "tie 2024-03-01": "033b9a4b11d6d196",
    "tie 2024-08-01": "5fe09a2e4d71a5da",
    "tie 2025-06-30": "cc3e638de4d77761",
    "tie after the merge": "11d7ab0fc12cb2d4",
    "directed_tie after the merge": "1d343a2f4d0d5bc8",
    "coattendance after the merge": "c5763bbcfb6301fc",
    "commitment after the merge": "336bd871fc840400",
    "combined after the merge": "8da9b8ced4de51e1",
}
#: The merge and the archiving take effect on the day they are recorded: the last day is after it.
DAYS = (date(2024, 3, 1), date(2024, 8, 1), date(2025, 6, 30), date.today() + timedelta(days=1))
SECTORS = ("public", "health", "vcse", "faith", "housing", "business", "arts")


def a_mixed_locality(town: Town) -> dict[UUID, str]:
    """Build the mixed locality; its stakeholders' names by id."""
    app, rng = town.app, random.Random(10)
    app.add_sector(SLUG, "arts", "Arts and culture", actor="admin")
    start = date(2024, 1, 1)
    names: dict[UUID, str] = {}
    for i in range(36):
        name = f"stakeholder {i:02d}"
        since = start + timedelta(days=rng.choice((0, 0, 0, 60, 150)))
        names[town.stakeholder(name, SECTORS[i % len(SECTORS)], since=since)] = name
    people = list(names)
    kinds = list(RelationshipKind)
    for n in range(110):
        source, target = rng.sample(people, 2)
        valid_from = start + timedelta(days=rng.randrange(0, 250))
        tie = town.tie(
            source, target, kind=rng.choice(kinds), intensity=rng.randint(1, 4), valid_from=valid_from
        )
        if n % 3 == 0:
            for rater in rng.sample(("council", "food bank", "nhs"), rng.randint(1, 2)):
                on = valid_from + timedelta(days=rng.randrange(0, 90))
                ratings = [tuple(rng.randint(1, 4) for _ in range(3)) for _ in range(2)]
                app.rate_relationship(
                    SLUG, tie, rater=rater, trust=ratings[0], value=ratings[1], on=on, actor=ACTOR
                )
        if n % 7 == 0:
            valid_to = valid_from + timedelta(days=rng.randrange(30, 200))
            app.end_relationship(SLUG, tie, reason="Ended", valid_to=valid_to, actor=ACTOR)
    for _ in range(12):  # a second tie between a pair already tied, the other way round
        source, target = rng.sample(people, 2)
        town.tie(source, target, kind="collaborates", valid_from=start + timedelta(days=rng.randrange(250)))
        town.tie(target, source, kind="refers_to", valid_from=start + timedelta(days=rng.randrange(250)))
    app.change_sector(SLUG, people[3], "arts", on=date(2024, 6, 1), actor=ACTOR)
    app.merge_stakeholder(SLUG, people[5], people[6], reason="Duplicate", actor=ACTOR)
    app.archive_stakeholder(SLUG, people[7], reason="Closed", actor=ACTOR)
    for month in range(1, 13):
        held_on = date(2024, month, 10)
        town.meeting(held_on, *rng.sample(people[8:], rng.randint(2, 8)))
        promisor, *to = rng.sample(people[8:], rng.randint(1, 3))
        town.promise(promisor, *to, made_on=held_on, due=held_on + timedelta(days=60))
    return names


Mixed: TypeAlias = tuple[LocalityState, dict[UUID, str]]


@pytest.fixture
def mixed(town: Town, read_side: ReadSide) -> Mixed:
    names = a_mixed_locality(town)
    return read_side.state(), names


def from_networkx(state: LocalityState, kind: GraphKind, day: date) -> dict[str, Any]:
    """The figures as the networkx graphs give them: the model the fast path must equal."""
    graph = graph_of(state, kind, day)
    directed = tie_graph(state, day, directed=True)
    return network_figures(graph, directed=directed, sectors=state.sectors)


@pytest.mark.parametrize("day", DAYS)
def test_the_tie_figures_read_from_the_state_are_exactly_those_of_the_networkx_tie_graphs(
    mixed: Mixed, day: date
) -> None:
    state, _ = mixed
    ours = tie_figures(state, day)
    expected = from_networkx(state, GraphKind.TIE, day)
    assert ours == expected
    assert json.dumps(ours) == json.dumps(expected)  # the same keys in the same order, bit for bit
    assert ours["edges"] > 0 and ours["trust"]["network"] is not None


def test_a_tie_rated_on_one_of_its_relationships_has_that_ones_ratings_and_a_merged_end_follows_the_merge(
    town: Town, read_side: ReadSide
) -> None:
    app, day = town.app, date.today() + timedelta(days=1)
    a, b, c, d = (town.stakeholder(name, "health") for name in "abcd")
    rated = town.tie(a, b, kind="collaborates")
    town.tie(b, a, kind="refers_to")  # the same tie, never rated
    town.tie(c, d)
    town.tie(a, d)
    app.rate_relationship(SLUG, rated, rater="council", trust=(4, 4, 4), value=(2, 2, 2), actor=ACTOR)
    app.merge_stakeholder(SLUG, d, c, reason="Duplicate", actor=ACTOR)  # a - d becomes a - c
    state = read_side.state()
    ours = tie_figures(state, day)
    assert ours == from_networkx(state, GraphKind.TIE, day)
    ids = {str(v): name for v, name in zip((a, b, c), "abc", strict=True)}
    assert {ids[v]: trust for v, trust in ours["trust"]["by_stakeholder"].items()} == {
        "a": 4.0,
        "b": 4.0,
        "c": None,
    }
    assert (ours["nodes"], ours["edges"], ours["value"]["network"]) == (3, 2, 2.0)


@pytest.mark.parametrize("kind", [k for k in GraphKind if k is not GraphKind.TIE])
def test_the_figures_of_the_other_graphs_have_brokerage_on_the_directed_tie_graph(
    mixed: Mixed, kind: GraphKind
) -> None:
    state, _ = mixed
    day = DAYS[1]
    ours = tie_figures(state, day, graph_of(state, kind, day))
    assert json.dumps(ours) == json.dumps(from_networkx(state, kind, day))


def named(value: Any, names: dict[str, str]) -> Any:
    """The figures with every stakeholder id replaced by its name (ids differ per run)."""
    if isinstance(value, dict):
        return {names.get(k, k): named(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [named(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


def pinned_figures(read_side: ReadSide, names: dict[UUID, str]) -> dict[str, Any]:
    """The tie figures on each day, and those of every other graph after the merge."""
    by_id = {str(k): v for k, v in names.items()}
    wanted = [(GraphKind.TIE, day) for day in DAYS] + [
        (k, DAYS[-1]) for k in GraphKind if k is not GraphKind.TIE
    ]
    pinned = {}
    for kind, day in wanted:
        figures = named(read_side.reader.figures(SLUG, graph=kind, as_of=day), by_id)
        when = "after the merge" if day == DAYS[-1] else day.isoformat()
        pinned[f"{kind.value} {when}"] = {k: v for k, v in figures.items() if k != "as_of"}
    return pinned


def digests(figures: dict[str, Any]) -> dict[str, str]:
    return {name: hashlib.sha256(json.dumps(f).encode()).hexdigest()[:16] for name, f in figures.items()}


def test_no_figure_of_the_mixed_locality_changes(town: Town, read_side: ReadSide) -> None:
    """Fails if any figure changes, in its last bit too. After a deliberate change of a
    definition, ``python -m tests.projections.test_figures_from_state`` prints the new digests."""
    names = a_mixed_locality(town)
    read_side.state()
    assert digests(pinned_figures(read_side, names)) == PINNED


def test_in_edge_order_is_the_order_networkx_gives_the_edges() -> None:
    rng = random.Random(3)
    for n in (1, 5, 40):
        G = nx.Graph()
        G.add_nodes_from(range(n))
        added = []
        for _ in range(3 * n):
            u, v = rng.sample(range(n), 2) if n > 1 else (0, 0)
            if u != v and not G.has_edge(u, v):
                G.add_edge(u, v)
                added.append((u, v))
        assert in_edge_order(n, added) == list(G.edges())


SCRIPT = """
import json, networkx as nx
from projections.figures import network_figures
D = nx.gnp_random_graph(60, 0.08, seed=4, directed=True)
nx.set_node_attributes(D, {v: "abcde"[v % 5] for v in D}, "sector")
print(json.dumps(network_figures(nx.relabel_nodes(D, {v: f"s{v}" for v in D}))))
"""


def test_the_figures_of_a_directed_graph_do_not_depend_on_the_hash_seed() -> None:
    # networkx's undirected view of a DiGraph orders its edges through a set of strings.
    answers = {
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parents[2],
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(answers) == 1


def _print_pinned() -> None:  # pragma: no cover - run by hand after a deliberate change
    from domain.application import CivicWeave
    from domain.persistence import environment

    app = CivicWeave(environment("memory://"))
    app.register_locality(SLUG, "Riverside", "North West", actor="admin")
    names = a_mixed_locality(Town(app))
    side = ReadSide(app, "sqlite://")
    side.state()
    print(json.dumps(digests(pinned_figures(side, names)), indent=4))
    side.close()


if __name__ == "__main__":
    _print_pinned()
