"""The peer network API: who may establish networks, record membership and see comparisons,
and that no peer response carries another locality's stakeholders or words."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.runtime import Runtime
from service.settings import Settings
from tests.projections.peer_localities import NETWORK, SHAPES, Built, build_network

BASE = "/api/v1/peer-networks"
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
MEMBERS = [shape.slug for shape in SHAPES if shape.slug != "eastwick"]


@dataclass
class Peers:
    client: TestClient
    runtime: Runtime
    built: dict[str, Built]
    tokens: dict[str, str]

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, path: str, who: str, **params: str) -> Any:
        answer = self.client.get(f"{BASE}{path}", headers=self.as_(who), params=params)
        assert answer.status_code == 200, answer.text
        return answer


@pytest.fixture(scope="module")
def peers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peers]:
    """The five generated localities in the network "north" (Eastwick left on 1 July 2025),
    Hillside outside it, and tokens: a peer of each, Ashby's lead and facilitator, Hillside's
    facilitator and an administrator."""
    path = tmp_path_factory.mktemp("peers") / "peers.db"
    settings = Settings(database_url=f"sqlite:///{path}")
    runtime = Runtime.open(settings)
    with TestClient(create_app(settings, runtime=runtime)) as client:
        built = build_network(runtime.app)
        runtime.app.register_locality("hillside", "Hillside", actor="setup")
        create = runtime.tokens.create
        tokens = {f"{slug}_peer": create(name=f"{slug} peer", role="peer", locality=slug) for slug in built}
        tokens |= {
            "administrator": create(name="Ada Admin", role="administrator", locality=None),
            "ashby_lead": create(name="Lee Lead", role="lead", locality="ashby"),
            "ashby_facilitator": create(name="Fran Facilitator", role="facilitator", locality="ashby"),
            "hillside_facilitator": create(name="Olu Other", role="facilitator", locality="hillside"),
        }
        assert runtime.views.wait_for(runtime.app.recorder.max_notification_id(), timeout=30)
        yield Peers(client, runtime, built, tokens)
    runtime.close()


READERS = {
    "administrator": 200,
    "ashby_peer": 200,
    "ashby_lead": 200,
    "ashby_facilitator": 200,
    "brook_peer": 200,
    "eastwick_peer": 404,  # left the network
    "hillside_facilitator": 404,  # never in it
}
WRITERS = {"administrator": True, "ashby_peer": False, "ashby_lead": False, "ashby_facilitator": False}


@pytest.mark.parametrize(
    "path", ["/comparison", "/trends?locality=ashby", "/shared-measures", "/comparison?format=csv"]
)
@pytest.mark.parametrize(("who", "expected"), READERS.items())
def test_who_may_see_a_networks_figures(peers: Peers, path: str, who: str, expected: int) -> None:
    answer = peers.client.get(f"{BASE}/{NETWORK}{path}", headers=peers.as_(who))

    assert answer.status_code == expected, answer.text
    if expected == 404:
        assert answer.json()["error"] == "not_found"


@pytest.mark.parametrize("path", ["/comparison", "/trends", "/shared-measures"])
def test_without_a_token_nothing_is_shown(peers: Peers, path: str) -> None:
    answer = peers.client.get(f"{BASE}/{NETWORK}{path}")

    assert answer.status_code == 401


def test_an_unknown_network_is_not_found_even_for_an_administrator(peers: Peers) -> None:
    answer = peers.client.get(f"{BASE}/nowhere/comparison", headers=peers.as_("administrator"))

    assert answer.status_code == 404
    assert "peer network nowhere not found" in answer.json()["detail"]


def test_the_list_holds_the_networks_of_the_tokens_locality_and_every_one_for_an_administrator(
    peers: Peers,
) -> None:
    def slugs(who: str) -> list[str]:
        return [n["slug"] for n in peers.get("", who).json()]

    assert NETWORK in slugs("administrator")
    assert slugs("ashby_peer") == slugs("ashby_lead") == [NETWORK]
    assert slugs("eastwick_peer") == slugs("hillside_facilitator") == []
    (north,) = peers.get("", "brook_peer").json()
    assert north["members"] == MEMBERS
    assert {"locality": "eastwick", "joined": "2024-01-01", "left": "2025-07-01"} in north["spells"]


@pytest.mark.parametrize(("who", "allowed"), WRITERS.items())
def test_only_an_administrator_establishes_networks_and_records_membership(
    peers: Peers, who: str, allowed: bool
) -> None:
    slug = f"net-{who.replace('_', '-')}"
    created = peers.client.post(BASE, json={"slug": slug, "name": "A network"}, headers=peers.as_(who))
    joined = peers.client.post(
        f"{BASE}/{slug}/members", json={"locality": "hillside", "on": "2025-01-01"}, headers=peers.as_(who)
    )
    left = peers.client.post(
        f"{BASE}/{slug}/members/hillside/leave", json={"on": "2025-02-01"}, headers=peers.as_(who)
    )

    if allowed:
        assert (created.status_code, joined.status_code, left.status_code) == (201, 201, 200)
        assert created.json()["version"] == 1 and left.json()["version"] == joined.json()["version"] + 1
        assert not left.json()["view_lag"]
    else:
        assert (created.status_code, joined.status_code, left.status_code) == (403, 403, 403)
    assert peers.client.post(BASE, json={"slug": "x", "name": "y"}).status_code == 401


def test_membership_writes_answer_with_the_domain_errors(peers: Peers) -> None:
    admin = peers.as_("administrator")

    def post(path: str, body: dict[str, Any]) -> Any:
        return peers.client.post(f"{BASE}{path}", json=body, headers=admin)

    assert post("", {"slug": NETWORK, "name": "Again"}).status_code == 409
    assert post("", {"slug": "Not A Slug", "name": "x"}).json()["field"] == "slug"
    assert post(f"/{NETWORK}/members", {"locality": "ashby"}).status_code == 409
    assert post(f"/{NETWORK}/members", {"locality": "nowhere"}).status_code == 404
    assert post("/nowhere/members", {"locality": "ashby"}).status_code == 404
    assert post(f"/{NETWORK}/members/hillside/leave", {}).status_code == 409
    before = post(f"/{NETWORK}/members/ashby/leave", {"on": "2023-12-31"})
    assert (before.status_code, before.json()["field"]) == (422, "on")


def test_a_lead_sees_its_own_counts_exactly_and_others_small_ones_suppressed(peers: Peers) -> None:
    result = peers.get(f"/{NETWORK}/comparison", "ashby_lead", **YEAR).json()

    assert result["period"] == YEAR
    rows = {r["slug"]: r for r in result["localities"]}
    assert list(rows) == [s.slug for s in SHAPES]  # Eastwick was a member in the first half of 2025
    assert result["viewer"] == "ashby" and rows["ashby"]["own"] and not rows["brook"]["own"]
    assert result["suppressed_below"] == 5
    assert rows["ashby"]["values"]["stakeholders.housing"] == 2
    assert rows["brook"]["values"]["stakeholders"] == "fewer than 5"
    assert rows["dunmore"]["values"]["stakeholders"] == 26
    assert rows["eastwick"]["as_of"] == "2025-06-30"
    assert result["median"]["stakeholders"] == 14


def test_an_administrator_sees_every_small_count_suppressed(peers: Peers) -> None:
    result = peers.get(f"/{NETWORK}/comparison", "administrator", **YEAR).json()

    assert result["viewer"] is None
    ashby = next(r for r in result["localities"] if r["slug"] == "ashby")
    assert ashby["values"]["stakeholders.housing"] == "fewer than 5"


def test_the_comparison_defaults_to_the_last_12_months(peers: Peers) -> None:
    result = peers.get(f"/{NETWORK}/comparison", "ashby_peer").json()

    today = peers.runtime.reader.today()
    assert result["period"] == {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}


def test_a_period_that_runs_backwards_is_refused(peers: Peers) -> None:
    answer = peers.client.get(
        f"{BASE}/{NETWORK}/comparison",
        headers=peers.as_("ashby_peer"),
        params={"from": "2025-02-01", "to": "2025-01-01"},
    )

    assert answer.status_code == 422
    assert answer.json()["field"] == "from"


def test_the_csv_export_is_the_comparison_as_a_download(peers: Peers) -> None:
    answer = peers.get(f"/{NETWORK}/comparison", "brook_peer", format="csv", **YEAR)

    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="north-comparison-2025-01-01-2025-12-31.csv"' in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    by_slug = {r["locality"]: r for r in rows}
    assert list(by_slug) == [*(s.slug for s in SHAPES), "network median"]
    assert by_slug["brook"]["own"] == "yes" and by_slug["brook"]["stakeholders"] == "4"
    assert by_slug["ashby"]["stakeholders.housing"] == "fewer than 5"


def test_trends_default_to_the_tokens_own_locality(peers: Peers) -> None:
    result = peers.get(f"/{NETWORK}/trends", "carfield_peer", **YEAR).json()

    assert (result["locality"], result["own"]) == ("carfield", True)
    assert [q["label"] for q in result["quarters"]] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert result["series"]["stakeholders"]["values"] == [11, 11, 11, 11]


def test_trends_of_another_member_are_suppressed_and_of_a_stranger_not_found(peers: Peers) -> None:
    other = peers.get(f"/{NETWORK}/trends", "dunmore_peer", locality="eastwick", **YEAR).json()
    assert [q["member"] for q in other["quarters"]] == [True, True, False, False]
    assert other["series"]["meetings_held"]["values"] == ["fewer than 5", "fewer than 5", None, None]

    stranger = peers.client.get(
        f"{BASE}/{NETWORK}/trends", headers=peers.as_("ashby_peer"), params={"locality": "hillside"}
    )
    assert stranger.status_code == 404
    unnamed = peers.client.get(f"{BASE}/{NETWORK}/trends", headers=peers.as_("administrator"))
    assert (unnamed.status_code, unnamed.json()["problems"][0]["field"]) == (422, "query.locality")


def test_shared_measures_compare_a_code_across_localities(peers: Peers) -> None:
    result = peers.get(f"/{NETWORK}/shared-measures", "ashby_facilitator", **YEAR).json()

    (measure,) = result["measures"]
    assert measure["code"] == "ASCOF-1A"
    assert [r["slug"] for r in measure["localities"]] == ["ashby", "carfield", "eastwick"]
    assert measure["median"] == ["18.5", "18.15", "19.2", "18.85"]


def peer_responses(peers: Peers, who: str) -> list[str]:
    """The text of every peer route's answer to this token."""
    texts = [peers.get("", who).text]
    for params in (YEAR, {}):
        texts.append(peers.get(f"/{NETWORK}/comparison", who, **params).text)
        texts.append(peers.get(f"/{NETWORK}/comparison", who, format="csv", **params).text)
        texts.append(peers.get(f"/{NETWORK}/shared-measures", who, **params).text)
        for slug in peers.built:
            texts.append(peers.get(f"/{NETWORK}/trends", who, locality=slug, **params).text)
    return texts


@pytest.mark.parametrize("who", [*(f"{slug}_peer" for slug in MEMBERS), "ashby_lead"])
def test_no_peer_response_holds_another_localitys_stakeholder_names_ids_or_words(
    peers: Peers, who: str
) -> None:
    own = who.partition("_")[0]
    texts = peer_responses(peers, who)

    assert len(texts) == 1 + 2 * (3 + len(peers.built))
    for slug, built in peers.built.items():
        if slug == own:
            continue
        secrets = [*built.names, *map(str, built.everyone), *built.texts, f"{slug.upper()}-ONLY"]
        leaked = {secret for secret in secrets for text in texts if secret in text}
        assert not leaked, (who, slug)
