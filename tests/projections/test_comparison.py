"""Comparison across a peer network: five generated localities of different shapes, their
figures checked against the Reader's figures for each locality and by hand, medians and
ranks, small-number suppression, and membership by date."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import networkx as nx
import pytest

from domain.application import CivicWeave
from domain.errors import InvalidInputError, NotFoundError
from domain.peer_network import PeerNetworkNotFoundError
from domain.persistence import environment
from projections.comparison import (
    FIGURES,
    SUPPRESSED,
    comparison,
    comparison_csv,
    default_quarters,
    peer_network,
    peer_networks,
    period,
    quarters,
    shared_measures,
    trends,
)
from projections.projector import Projector
from projections.reader import Reader
from projections.store import open_views
from projections.views import Views
from tests.projections.conftest import TODAY, table_rows
from tests.projections.peer_localities import LEFT, NETWORK, SHAPES, YEAR, Built, build_network

H1 = (date(2025, 1, 1), date(2025, 6, 30))
H2 = (date(2025, 7, 1), date(2025, 12, 31))
SLUGS = [shape.slug for shape in SHAPES]
SHAPE = {shape.slug: shape for shape in SHAPES}


@dataclass
class World:
    app: CivicWeave
    reader: Reader
    built: dict[str, Built]

    def compare(
        self, start: date, end: date, viewer: str | None = None, network: str = NETWORK
    ) -> dict[str, Any]:
        return comparison(
            self.reader, peer_network(self.reader.views, network), start=start, end=end, viewer=viewer
        )


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    app = CivicWeave(environment("memory://"))
    built = build_network(app)
    app.create_peer_network("pair", "Ashby and Brook", actor="admin")
    for slug in ("ashby", "brook"):
        app.join_peer_network("pair", slug, on=date(2024, 1, 1), actor="admin")
    # Dunmore in "coast" in Q1, out in Q2, back from Q3.
    app.create_peer_network("coast", "Coast", actor="admin")
    app.join_peer_network("coast", "ashby", on=date(2024, 1, 1), actor="admin")
    app.join_peer_network("coast", "dunmore", on=date(2025, 1, 1), actor="admin")
    app.leave_peer_network("coast", "dunmore", on=date(2025, 3, 1), actor="admin")
    app.join_peer_network("coast", "dunmore", on=date(2025, 9, 1), actor="admin")
    db = open_views("memory://")
    Projector(app, db).catch_up()
    yield World(app, Reader(Views(db), today=lambda: TODAY), built)
    db.close()
    app.close()


def row(result: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(r for r in result["localities"] if r["slug"] == slug)


def through_the_reader(reader: Reader, slug: str, start: date, end: date) -> dict[str, Any]:
    """The locality's own figures for the period, each read from the Reader as the locality sees them."""
    network = reader.figures(slug, as_of=end, window_days=(end - start).days + 1)
    table = reader.participation(slug, as_of=end, since=start)
    promises = reader.accountability(slug, as_of=end, since=start)["locality"]
    graph = reader.network(slug, as_of=end, window_days=(end - start).days + 1)
    sizes = {f.key: 0 for f in FIGURES if f.key.startswith("stakeholders.")}
    for _, sector in graph.nodes(data="sector"):
        sizes[f"stakeholders.{sector}"] += 1
    return {
        "stakeholders": graph.number_of_nodes(),
        **sizes,
        "density": nx.density(graph),
        "cross_sector_share": network["cross_sector_share"],
        "ei_index": network["ei_index"]["whole"],
        "missing_sectors": len(network["missing_sectors"]["no_stakeholder"]),
        "meetings_held": table["meetings_held"],
        "lived_experience_share": table["lived_experience_share"],
        "sectors_at_the_table": len(table["sectors_at_the_table"]),
        "kept_rate": promises["kept_rate"],
        "on_time_rate": promises["on_time_rate"],
        "median_days_to_fulfil": promises["median_days_to_fulfil"],
        "renegotiations": promises["renegotiations"],
    }


# Worked out by hand from the shapes (see peer_localities.py) for the year 2025: meetings,
# sectors at the table (one attendee from each sector in turn, then the lived-experience
# ones), lived-experience share of attendances, and the commitments' outcomes.
BY_HAND = {
    "ashby": dict(meetings_held=12, sectors_at_the_table=5, lived_experience_share=3 / 9, missing_sectors=7,
                  kept_rate=7 / 9, on_time_rate=5 / 7, median_days_to_fulfil=13, renegotiations=1),
    "brook": dict(meetings_held=2, sectors_at_the_table=3, lived_experience_share=0.0, missing_sectors=9,
                  kept_rate=1 / 2, on_time_rate=1.0, median_days_to_fulfil=10, renegotiations=0),
    "carfield": dict(meetings_held=4, sectors_at_the_table=5, lived_experience_share=2 / 6, missing_sectors=7,
                     kept_rate=1.0, on_time_rate=2 / 6, median_days_to_fulfil=35, renegotiations=2),
    "dunmore": dict(meetings_held=24, sectors_at_the_table=3, lived_experience_share=0.0, missing_sectors=9,
                    kept_rate=8 / 10, on_time_rate=1.0, median_days_to_fulfil=13.5, renegotiations=0),
    # Eastwick left on 1 July: its figures stop on 30 June, after 3 of its 6 meetings.
    "eastwick": dict(meetings_held=3, sectors_at_the_table=3, lived_experience_share=7 / 9, missing_sectors=9,
                     kept_rate=1 / 4, on_time_rate=1.0, median_days_to_fulfil=10, renegotiations=0),
}  # fmt: skip


@pytest.mark.parametrize("slug", SLUGS)
def test_each_locality_sees_its_own_figures_exactly_as_the_reader_gives_them(world: World, slug: str) -> None:
    result = world.compare(*YEAR, viewer=slug)

    own = row(result, slug)
    last = LEFT - timedelta(days=1) if slug == "eastwick" else YEAR[1]
    assert own["own"] and own["as_of"] == last.isoformat()
    expected = through_the_reader(world.reader, slug, YEAR[0], last)
    assert own["values"] == pytest.approx(expected)
    assert [f["key"] for f in result["figures"]] == list(expected)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_localitys_figures_are_those_its_shape_gives(world: World, slug: str) -> None:
    values = row(world.compare(*YEAR, viewer=slug), slug)["values"]

    shape = SHAPE[slug]
    assert values["stakeholders"] == shape.stakeholders
    for figure in FIGURES:
        if figure.key.startswith("stakeholders."):
            assert values[figure.key] == shape.size(figure.key.partition(".")[2]), figure.key
    assert {key: values[key] for key in BY_HAND[slug]} == pytest.approx(BY_HAND[slug])


def test_the_network_median_and_ranks_worked_by_hand(world: World) -> None:
    result = world.compare(*YEAR, viewer="ashby")
    ranks = {key: {r["slug"]: r["ranks"][key] for r in result["localities"]} for key in BY_HAND["ashby"]}

    # Stakeholders 26, 4, 11, 26, 14: equal values share a rank; the median is 14.
    assert {r["slug"]: r["ranks"]["stakeholders"] for r in result["localities"]} == {
        "ashby": 1, "dunmore": 1, "eastwick": 3, "carfield": 4, "brook": 5,
    }  # fmt: skip
    assert result["median"]["stakeholders"] == 14
    # Kept rates 7/9, 1/2, 1, 8/10, 1/4.
    assert ranks["kept_rate"] == {"carfield": 1, "dunmore": 2, "ashby": 3, "brook": 4, "eastwick": 5}
    assert result["median"]["kept_rate"] == pytest.approx(7 / 9)
    # Median days to fulfil 13, 10, 35, 13.5, 10.
    assert ranks["median_days_to_fulfil"] == {
        "carfield": 1,
        "dunmore": 2,
        "ashby": 3,
        "brook": 4,
        "eastwick": 4,
    }
    assert result["median"]["median_days_to_fulfil"] == 13
    # Meetings 12, 2, 4, 24, 3: the three below 5 share the rank below every other, so
    # their order is not given away; the median (4) is below 5 and suppressed too.
    assert ranks["meetings_held"] == {"dunmore": 1, "ashby": 2, "brook": 3, "carfield": 3, "eastwick": 3}
    assert result["median"]["meetings_held"] == SUPPRESSED


def test_the_median_of_an_even_number_of_localities_is_the_mean_of_the_middle_two(world: World) -> None:
    result = world.compare(*H2, viewer="ashby")

    assert [r["slug"] for r in result["localities"]] == ["ashby", "brook", "carfield", "dunmore"]
    assert result["median"]["stakeholders"] == (11 + 26) / 2  # 4, 11, 26, 26
    assert result["median"]["missing_sectors"] == (7 + 9) / 2  # 7, 7, 9, 9


def test_a_median_never_gives_away_a_small_count_of_another_locality(world: World) -> None:
    # With two members, Ashby (26) could work Brook's 4 out of a median of 15.
    result = world.compare(*YEAR, viewer="ashby", network="pair")

    assert row(result, "ashby")["values"]["stakeholders"] == 26
    assert row(result, "brook")["values"]["stakeholders"] == SUPPRESSED
    assert result["median"]["stakeholders"] == SUPPRESSED
    assert "15" not in json.dumps(result["median"])


def test_counts_below_5_of_other_localities_are_suppressed_and_own_ones_are_not(world: World) -> None:
    as_ashby = world.compare(*YEAR, viewer="ashby")
    as_brook = world.compare(*YEAR, viewer="brook")

    assert as_ashby["suppressed_below"] == 5 and as_ashby["suppressed_as"] == "fewer than 5"
    assert row(as_ashby, "ashby")["values"]["stakeholders.housing"] == 2
    assert row(as_brook, "ashby")["values"]["stakeholders.housing"] == SUPPRESSED
    assert row(as_brook, "brook")["values"]["stakeholders"] == 4
    assert row(as_brook, "brook")["values"]["stakeholders.faith"] == 1
    assert row(as_ashby, "brook")["values"]["stakeholders"] == SUPPRESSED
    assert row(as_ashby, "brook")["values"]["stakeholders.faith"] == SUPPRESSED
    assert row(as_ashby, "dunmore")["values"]["stakeholders.business"] == 5  # 5 is not below 5
    assert row(as_ashby, "carfield")["values"]["renegotiations"] == SUPPRESSED
    counts = {f.key for f in FIGURES if f.count}
    for result, viewer in ((as_ashby, "ashby"), (as_brook, "brook")):
        for other in result["localities"]:
            for key, value in other["values"].items():
                if other["slug"] != viewer and key in counts:
                    assert value == SUPPRESSED or value >= 5, (other["slug"], key)
                if key not in counts:
                    assert value != SUPPRESSED, key


def test_ratios_are_never_suppressed(world: World) -> None:
    brook = row(world.compare(*YEAR, viewer="ashby"), "brook")["values"]

    assert brook["kept_rate"] == pytest.approx(0.5)
    assert brook["lived_experience_share"] == 0.0


def test_without_a_viewer_every_small_count_is_suppressed(world: World) -> None:
    result = world.compare(*YEAR)

    assert result["viewer"] is None
    assert not any(r["own"] for r in result["localities"])
    assert row(result, "ashby")["values"]["stakeholders.housing"] == SUPPRESSED


def test_a_locality_that_left_is_in_periods_when_it_was_a_member_only(world: World) -> None:
    assert "eastwick" in [r["slug"] for r in world.compare(*H1)["localities"]]
    assert "eastwick" not in [r["slug"] for r in world.compare(*H2)["localities"]]
    assert "eastwick" not in [r["slug"] for r in world.compare(LEFT, LEFT)["localities"]]
    last_day = world.compare(date(2025, 6, 30), date(2025, 6, 30))
    assert "eastwick" in [r["slug"] for r in last_day["localities"]]


def test_what_a_locality_recorded_after_it_left_is_never_shared(world: World) -> None:
    year = row(world.compare(*YEAR, viewer="eastwick"), "eastwick")

    assert year["as_of"] == "2025-06-30"
    assert year["values"] == pytest.approx(
        through_the_reader(world.reader, "eastwick", YEAR[0], date(2025, 6, 30))
    )
    assert world.reader.participation("eastwick", as_of=YEAR[1], since=YEAR[0])["meetings_held"] == 6
    assert year["values"]["meetings_held"] == 3


def test_a_locality_that_rejoined_is_in_each_spell_and_not_between(world: World) -> None:
    def members(start: date, end: date) -> list[str]:
        return [r["slug"] for r in world.compare(start, end, network="coast")["localities"]]

    assert members(date(2025, 1, 1), date(2025, 3, 31)) == ["ashby", "dunmore"]
    assert members(date(2025, 4, 1), date(2025, 6, 30)) == ["ashby"]
    assert members(date(2025, 7, 1), date(2025, 9, 30)) == ["ashby", "dunmore"]
    q1 = world.compare(date(2025, 1, 1), date(2025, 3, 31), network="coast")
    assert row(q1, "dunmore")["as_of"] == "2025-02-28"


def test_the_csv_has_a_row_per_locality_and_the_median_with_suppressed_cells(world: World) -> None:
    result = world.compare(*YEAR, viewer="ashby")
    rows = list(csv.reader(io.StringIO(comparison_csv(result))))

    header = rows[0]
    assert header[:4] == ["locality", "name", "own", "as_of"]
    assert header[4:6] == ["stakeholders", "stakeholders rank"]
    assert len(header) == 4 + 2 * len(FIGURES)
    assert [r[0] for r in rows[1:]] == [*SLUGS, "network median"]
    by_slug = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_slug["ashby"]["own"] == "yes" and by_slug["brook"]["own"] == ""
    assert by_slug["brook"]["stakeholders"] == SUPPRESSED
    assert by_slug["brook"]["stakeholders rank"] == "5"
    assert by_slug["ashby"]["stakeholders.housing"] == "2"
    assert float(by_slug["carfield"]["kept_rate"]) == 1.0
    assert by_slug["network median"]["stakeholders"] == "14"
    assert by_slug["network median"]["meetings_held"] == SUPPRESSED


def test_trends_are_each_quarters_comparison_kept_to_one_locality(world: World) -> None:
    network = peer_network(world.reader.views, NETWORK)
    result = trends(world.reader, network, "ashby", start=YEAR[0], end=YEAR[1], viewer="ashby")

    assert [q["label"] for q in result["quarters"]] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert result["own"] and all(q["member"] for q in result["quarters"])
    for i, (_, start, end) in enumerate(quarters(*YEAR)):
        quarter = world.compare(start, end, viewer="ashby")
        for figure in FIGURES:
            series = result["series"][figure.key]
            assert series["values"][i] == row(quarter, "ashby")["values"][figure.key]
            assert series["median"][i] == quarter["median"][figure.key]
            assert series["ranks"][i] == row(quarter, "ashby")["ranks"][figure.key]
    assert result["series"]["meetings_held"]["values"] == [3, 3, 3, 3]


def test_trends_of_a_locality_are_blank_for_quarters_when_it_was_not_a_member(world: World) -> None:
    network = peer_network(world.reader.views, NETWORK)
    result = trends(world.reader, network, "eastwick", start=YEAR[0], end=YEAR[1], viewer="ashby")

    assert [q["member"] for q in result["quarters"]] == [True, True, False, False]
    assert result["series"]["kept_rate"]["values"][2:] == [None, None]
    assert not result["own"]
    assert result["series"]["meetings_held"]["values"][:2] == [SUPPRESSED, SUPPRESSED]


def test_trends_of_a_locality_never_in_the_network_are_not_found(world: World) -> None:
    network = peer_network(world.reader.views, "pair")
    with pytest.raises(NotFoundError):
        trends(world.reader, network, "dunmore", start=YEAR[0], end=YEAR[1])


def test_quarters_are_calendar_quarters_the_last_cut_short_at_the_end() -> None:
    assert quarters(date(2024, 11, 15), date(2025, 2, 10)) == [
        ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2025-Q1", date(2025, 1, 1), date(2025, 2, 10)),
    ]
    assert default_quarters(date(2025, 2, 10)) == (date(2024, 4, 1), date(2025, 2, 10))
    assert len(quarters(*default_quarters(date(2025, 12, 31)))) == 4
    with pytest.raises(InvalidInputError):
        quarters(date(2000, 1, 1), date(2025, 1, 1))


def test_the_default_period_is_the_last_12_months_and_it_cannot_run_backwards() -> None:
    assert period(None, None, date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert period(None, date(2025, 6, 30), date(2030, 1, 1)) == (date(2024, 7, 1), date(2025, 6, 30))
    with pytest.raises(InvalidInputError) as caught:
        period(date(2025, 2, 1), date(2025, 1, 1), date(2030, 1, 1))
    assert caught.value.field == "from"


def test_shared_measures_compare_the_latest_value_per_quarter_while_a_member(world: World) -> None:
    network = peer_network(world.reader.views, NETWORK)
    result = shared_measures(world.reader, network, start=YEAR[0], end=YEAR[1], viewer="carfield")

    (measure,) = result["measures"]  # each locality's own code is measured by it alone
    assert measure["code"] == "ASCOF-1A"
    values = {r["slug"]: r["values"] for r in measure["localities"]}
    assert values == {
        "ashby": ["18.5", "18.9", "19.2", "19.6"],
        "carfield": ["17.0", "17.4", None, "18.1"],
        "eastwick": ["20.0", None, None, None],  # its Q3 value was recorded after it left
    }
    assert measure["median"] == ["18.5", "18.15", "19.2", "18.85"]
    assert {(r["baseline"], r["target"]) for r in measure["localities"]} == {("17", "21")}
    assert [r["own"] for r in measure["localities"]] == [False, True, False]


def test_every_peer_view_holds_no_name_id_or_words_of_another_locality(world: World) -> None:
    network = peer_network(world.reader.views, NETWORK)
    for viewer in SLUGS:
        results = [
            world.compare(*YEAR, viewer=viewer),
            trends(world.reader, network, "ashby", start=YEAR[0], end=YEAR[1], viewer=viewer),
            shared_measures(world.reader, network, start=YEAR[0], end=YEAR[1], viewer=viewer),
        ]
        text = json.dumps(results) + comparison_csv(results[0])
        for slug, built in world.built.items():
            if slug == viewer:
                continue
            secrets = [*built.names, *map(str, built.everyone), *built.texts, f"{slug.upper()}-ONLY"]
            assert [s for s in secrets if s in text] == [], (viewer, slug)


def test_peer_networks_are_read_from_the_durable_rows(world: World) -> None:
    assert [n.slug for n in peer_networks(world.reader.views)] == ["coast", NETWORK, "pair"]
    coast = peer_network(world.reader.views, "coast")
    assert coast.name == "Coast"
    assert coast.spells["dunmore"] == ((date(2025, 1, 1), date(2025, 3, 1)), (date(2025, 9, 1), None))
    assert coast.member_on("dunmore", date(2025, 9, 1)) and not coast.member_on("dunmore", date(2025, 3, 1))
    with pytest.raises(PeerNetworkNotFoundError):
        peer_network(world.reader.views, "nowhere")


def test_rebuilding_the_peer_rows_from_the_log_gives_what_updates_after_every_command_gave() -> None:
    app = CivicWeave(environment("memory://"))
    incremental, rebuilt = open_views("memory://"), open_views("memory://")
    try:
        projector = Projector(app, incremental)
        for slug in ("ashby", "brook"):
            app.register_locality(slug, slug.title(), actor="admin")
        commands = [
            lambda: app.create_peer_network("coast", "Coast", actor="admin"),
            lambda: app.join_peer_network("coast", "ashby", on=date(2025, 1, 1), actor="admin"),
            lambda: app.join_peer_network("coast", "brook", on=date(2025, 1, 1), actor="admin"),
            lambda: app.leave_peer_network("coast", "ashby", on=date(2025, 3, 1), actor="admin"),
            lambda: app.join_peer_network("coast", "ashby", on=date(2025, 3, 1), actor="admin"),
        ]
        for command in commands:
            command()
            projector.catch_up()
        Projector(app, rebuilt).catch_up()
        for table, order in (("view_peer_networks", "slug"), ("view_peer_members", "version")):
            assert table_rows(incremental, table, order) == table_rows(rebuilt, table, order)
        assert len(table_rows(rebuilt, "view_peer_members", "version")) == 3
    finally:
        incremental.close()
        rebuilt.close()
        app.close()


def test_membership_reads_back_the_same_from_sqlite_and_postgresql(database_url: str) -> None:
    app = CivicWeave(environment(database_url))
    db = open_views(database_url)
    try:
        app.register_locality("ashby", "Ashby", actor="admin")
        app.create_peer_network("coast", "Coast", actor="admin")
        app.join_peer_network("coast", "ashby", on=date(2025, 1, 1), actor="admin")
        app.leave_peer_network("coast", "ashby", on=date(2025, 3, 1), actor="admin")
        app.join_peer_network("coast", "ashby", on=date(2025, 3, 1), actor="admin")
        Projector(app, db).catch_up()

        (coast,) = peer_networks(Views(db))
        assert (coast.slug, coast.name) == ("coast", "Coast")
        assert coast.spells == {"ashby": ((date(2025, 1, 1), date(2025, 3, 1)), (date(2025, 3, 1), None))}
        assert coast.members_during(date(2025, 2, 1), date(2025, 2, 28)) == {"ashby": date(2025, 2, 28)}
    finally:
        db.close()
        app.close()


def test_a_locality_name_never_runs_as_a_formula_in_the_csv() -> None:
    result = {
        "figures": [],
        "localities": [{"slug": "evil", "name": "=HYPERLINK(1)", "own": False, "as_of": "2025-12-31"}],
        "median": {},
        "period": {"from": "2025-01-01", "to": "2025-12-31"},
    }

    rows = list(csv.reader(io.StringIO(comparison_csv(result))))

    assert rows[1][:2] == ["evil", "'=HYPERLINK(1)"]
