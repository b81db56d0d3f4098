"""The access matrix: every route of the app x every role (no token, administrator,
facilitator, lead, peer, another locality's facilitator) x its own and another locality.

Each route has one entry saying who may use it (its rule) and how to build a request to
it. A role that may gets the route's own success status (an API write is sent a valid
body, aimed at records made afresh for it); one that may not gets exactly 401, 403 or
404 (another locality's records do not exist for it). A route without an entry, or an
entry without a route, fails the test: a new route cannot slip in unreviewed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from itertools import count
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from domain.application import CivicWeave
from service.pages.session import COOKIE, SessionStore
from tests.pages.conftest import sign_in
from tests.trust.conftest import HOME, OTHER, Api, Records, add_records
from tests.trust.routes import Endpoint, endpoints

ROLES = (None, "administrator", "facilitator", "lead", "peer", "other_facilitator")
LOCALITY_OF = {"facilitator": HOME, "lead": HOME, "peer": HOME, "other_facilitator": OTHER}
#: Each locality is the one member of a peer network of its own.
NETWORK_OF = {HOME: "north", OTHER: "south"}
TODAY = date.today()
_unique = count(1)


SIGN_IN = "sign in"  # a page's answer to a visitor without a session: a redirect to /signin
ALLOWED = "allowed"
REACHED = "reached"  # allowed, and answered by the route itself (with whatever status)


class Rule(Enum):
    PUBLIC = "anyone, without a token"
    TOKEN = "any token"
    ADMIN = "administrators"
    READ = "the locality's administrators, facilitators and leads"
    WRITE = "the locality's administrators and facilitators"
    ADMIN_HERE = "administrators, of a locality they can see"
    PEERS = "members of the peer network (peers too) and administrators"
    PAGE_PUBLIC = "anyone (a page)"
    PAGE_SIGNED_IN = "anyone signed in (a page)"
    PAGE_READ = "the locality's administrators, facilitators and leads (a page)"
    PAGE_WRITE = "the locality's administrators and facilitators (a page or form)"

    @property
    def per_locality(self) -> bool:
        return self in (Rule.READ, Rule.WRITE, Rule.ADMIN_HERE, Rule.PEERS, Rule.PAGE_READ, Rule.PAGE_WRITE)

    @property
    def is_page(self) -> bool:
        return self.name.startswith("PAGE")


@dataclass
class Call:
    """One request: its path values, and a JSON body, query or files."""

    values: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    params: dict[str, Any] | None = None
    files: Any = None


class Maker:
    """The records a request acts on: made afresh for a request that should succeed (so
    that it never meets the state an earlier request left), the shared ones otherwise."""

    def __init__(self, app: CivicWeave, records: Records, *, fresh: bool) -> None:
        self.app, self.records, self.fresh, self.slug = app, records, fresh, records.slug

    def org(self) -> UUID:
        if not self.fresh:
            return self.records.food_bank
        return self.app.register_stakeholder(
            self.slug, kind="group", sector="vcse", name=f"Group {next(_unique)}", actor="setup"
        ).id

    def person(self) -> UUID:
        if not self.fresh:
            return self.records.person
        return self.app.register_stakeholder(
            self.slug, kind="person", sector="lived_experience", name=f"Person {next(_unique)}", actor="setup"
        ).id

    def asset(self) -> tuple[UUID, UUID]:
        if not self.fresh:
            return self.records.food_bank, self.records.asset
        owner, asset = self.org(), uuid4()
        self.app.record_asset(
            self.slug, owner, category="venue", description="A hall", actor="setup", asset_id=asset
        )
        return owner, asset

    def relationship(self) -> UUID:
        if not self.fresh:
            return self.records.relationship
        return self.app.form_relationship(
            self.slug,
            source_id=self.org(),
            target_id=self.org(),
            kind="collaborates",
            intensity=2,
            actor="setup",
        ).id

    def meeting(self) -> UUID:
        if not self.fresh:
            return self.records.meeting
        meeting = self.app.schedule_meeting(
            self.slug, kind="change_group", title="Change Group", held_on=TODAY, actor="setup"
        ).id
        self.app.record_attendance(
            self.slug, meeting, [self.records.council, self.records.food_bank], actor="setup"
        )
        return meeting

    def commitment(self) -> UUID:
        if not self.fresh:
            return self.records.commitment
        return self.app.make_commitment(
            self.slug,
            promisor_id=self.records.council,
            to_change_group=True,
            what="Open the hub",
            due=TODAY + timedelta(days=30),
            actor="setup",
        ).id

    def plan(self) -> tuple[UUID, UUID]:
        if not self.fresh:
            return self.records.plan, self.records.goal
        plan = self.app.draft_plan(self.slug, title=f"Plan {next(_unique)}", actor="setup").id
        return plan, self.app.add_goal(self.slug, plan, title="A goal", actor="setup").id

    def measure(self) -> UUID:
        if not self.fresh:
            return self.records.measure
        plan, goal = self.plan()
        return self.app.define_measure(
            self.slug,
            plan_id=plan,
            goal_id=goal,
            name="Visits",
            kind="quantitative",
            unit="visits",
            actor="setup",
        ).id

    def network(self, *, member: bool) -> str:
        if not self.fresh:
            return NETWORK_OF[self.slug]
        slug = f"net-{next(_unique)}"
        self.app.create_peer_network(slug, f"Network {slug}", actor="setup")
        if member:
            self.app.join_peer_network(slug, self.slug, actor="setup")
        return slug


Build = Callable[[Maker], Call]


def none(m: Maker) -> Call:
    return Call()


def _stakeholder(body: dict[str, Any] | None = None, *, person: bool = False) -> Build:
    return lambda m: Call({"stakeholder_id": m.person() if person else m.org()}, json=body)


def _commitment(body: dict[str, Any]) -> Build:
    return lambda m: Call({"commitment_id": m.commitment()}, json=body)


def _meeting(body: Callable[[Maker], Any] | None) -> Build:
    return lambda m: Call({"meeting_id": m.meeting()}, json=body(m) if body else None)


def _retire(m: Maker) -> Call:
    owner, asset = m.asset()
    return Call({"stakeholder_id": owner, "asset_id": asset}, params={"reason": "Sold"})


def _merge(m: Maker) -> Call:
    return Call({"stakeholder_id": m.org()}, json={"into_id": str(m.records.council), "reason": "Duplicate"})


def _agree(m: Maker) -> Call:
    body = {"meeting_id": str(m.records.meeting), "agreed_by": [str(m.records.council)]}
    return Call({"plan_id": m.plan()[0]}, json=body)


def _measure(m: Maker) -> Call:
    plan, goal = m.plan()
    body = {
        "plan_id": str(plan),
        "goal_id": str(goal),
        "name": "Visits",
        "kind": "quantitative",
        "unit": "visits",
    }
    return Call(json=body)


def _member(m: Maker) -> Call:
    return Call({"slug": m.network(member=False)}, json={"locality": m.slug})


def _leave(m: Maker) -> Call:
    return Call({"slug": m.network(member=True), "locality": m.slug})


def _import(m: Maker) -> Call:
    rows = b"name,kind,sector\nRepair Cafe,group,vcse\n"
    return Call({"kind": "stakeholders"}, files={"files": ("groups.csv", rows, "text/csv")})


def _page(values: Callable[[Records], dict[str, Any]] | None = None) -> Build:
    return lambda m: Call(values(m.records) if values else {})


def _unique_slug(m: Maker) -> Call:
    return Call(json={"slug": f"place-{next(_unique)}", "name": "A place"})


L = "/api/v1/localities/{slug}"
S = f"{L}/stakeholders/{{stakeholder_id}}"
C = f"{L}/commitments/{{commitment_id}}"
M = f"{L}/meetings/{{meeting_id}}"
P = "/l/{slug}"
DUE = str(TODAY + timedelta(days=90))
STAKEHOLDER: Callable[[Records], dict[str, Any]] = lambda r: {"stakeholder_id": r.food_bank}  # noqa: E731

#: method and path -> (who may, how to build the request[, the status when allowed, if not the route's own])
MATRIX: dict[tuple[str, str], tuple[Any, ...]] = {
    ("GET", "/health"): (Rule.PUBLIC, none),
    ("GET", "/ready"): (Rule.PUBLIC, none),
    ("GET", "/metrics"): (Rule.PUBLIC, none),
    ("GET", "/api/v1/localities"): (Rule.TOKEN, none),
    ("POST", "/api/v1/localities"): (Rule.ADMIN, _unique_slug),
    ("GET", L): (Rule.READ, none),
    ("PATCH", L): (Rule.WRITE, lambda m: Call(json={"name": m.slug.title(), "region": "North"})),
    ("POST", f"{L}/sectors"): (
        Rule.WRITE,
        lambda m: Call(json={"sector": f"s{next(_unique)}", "label": "New"}),
    ),
    ("GET", f"{L}/stakeholders"): (Rule.READ, none),
    ("POST", f"{L}/stakeholders"): (
        Rule.WRITE,
        lambda m: Call(json={"kind": "group", "sector": "vcse", "name": "New"}),
    ),
    ("GET", S): (Rule.READ, _stakeholder()),
    ("PATCH", S): (Rule.WRITE, _stakeholder({"name": "Renamed"})),
    ("POST", f"{S}/sector"): (Rule.WRITE, _stakeholder({"sector": "health"})),
    ("POST", f"{S}/assets"): (Rule.WRITE, _stakeholder({"category": "venue", "description": "A hall"})),
    ("DELETE", f"{S}/assets/{{asset_id}}"): (Rule.WRITE, _retire),
    ("POST", f"{S}/merge"): (Rule.WRITE, _merge),
    ("POST", f"{S}/archive"): (Rule.WRITE, _stakeholder({"reason": "Wound up"})),
    ("POST", f"{S}/erase"): (Rule.ADMIN_HERE, _stakeholder({"reason": "Asked"}, person=True)),
    ("GET", f"{S}/history"): (Rule.READ, _stakeholder()),
    ("GET", f"{L}/assets"): (Rule.READ, none),
    ("GET", f"{L}/relationships"): (Rule.READ, none),
    ("POST", f"{L}/relationships"): (
        Rule.WRITE,
        lambda m: Call(
            json={"source_id": str(m.org()), "target_id": str(m.org()), "kind": "funds", "intensity": 2}
        ),
    ),
    ("GET", f"{L}/relationships/{{relationship_id}}"): (
        Rule.READ,
        lambda m: Call({"relationship_id": m.relationship()}),
    ),
    ("POST", f"{L}/relationships/{{relationship_id}}/ratings"): (
        Rule.WRITE,
        lambda m: Call(
            {"relationship_id": m.relationship()},
            json={"rater": "Food bank", "trust": [3, 3, 3], "value": [4, 4, 4]},
        ),
    ),
    ("POST", f"{L}/relationships/{{relationship_id}}/intensity"): (
        Rule.WRITE,
        lambda m: Call({"relationship_id": m.relationship()}, json={"intensity": 3}),
    ),
    ("POST", f"{L}/relationships/{{relationship_id}}/end"): (
        Rule.WRITE,
        lambda m: Call({"relationship_id": m.relationship()}, json={"reason": "Ended"}),
    ),
    ("GET", f"{L}/meetings"): (Rule.READ, none),
    ("POST", f"{L}/meetings"): (
        Rule.WRITE,
        lambda m: Call(json={"kind": "workshop", "title": "Assets", "held_on": str(TODAY)}),
    ),
    ("POST", f"{L}/meetings/record"): (
        Rule.WRITE,
        lambda m: Call(
            json={
                "kind": "workshop",
                "title": "Assets",
                "held_on": str(TODAY),
                "attendee_ids": [str(m.records.council)],
            }
        ),
    ),
    ("GET", M): (Rule.READ, _meeting(None)),
    ("GET", f"{M}/history"): (Rule.READ, _meeting(None)),
    ("POST", f"{M}/attendance"): (
        Rule.WRITE,
        _meeting(lambda m: {"stakeholder_ids": [str(m.records.person)]}),
    ),
    ("POST", f"{M}/attendance/corrections"): (
        Rule.WRITE,
        _meeting(lambda m: {"added": [str(m.records.person)], "reason": "Came late"}),
    ),
    ("POST", f"{M}/decisions"): (Rule.WRITE, _meeting(lambda m: {"text": "Open a hub"})),
    ("PUT", f"{M}/notes"): (Rule.WRITE, _meeting(lambda m: {"notes": "Warm discussion"})),
    ("POST", f"{M}/hold"): (Rule.WRITE, _meeting(None)),
    ("POST", f"{M}/cancel"): (Rule.WRITE, _meeting(lambda m: {"reason": "Snow"})),
    ("GET", f"{L}/commitments"): (Rule.READ, none),
    ("POST", f"{L}/commitments"): (
        Rule.WRITE,
        lambda m: Call(
            json={
                "promisor_id": str(m.records.council),
                "what": "Fund it",
                "due": DUE,
                "to_change_group": True,
            }
        ),
    ),
    ("GET", C): (Rule.READ, _commitment({})),
    ("GET", f"{C}/history"): (Rule.READ, _commitment({})),
    ("POST", f"{C}/progress"): (Rule.WRITE, _commitment({"note": "Hall booked"})),
    ("POST", f"{C}/renegotiations"): (Rule.WRITE, _commitment({"due": DUE, "reason": "Budget moved"})),
    ("POST", f"{C}/reassignment"): (
        Rule.WRITE,
        lambda m: Call(
            {"commitment_id": m.commitment()},
            json={"promisor_id": str(m.records.food_bank), "reason": "They fund it"},
        ),
    ),
    ("POST", f"{C}/fulfilment"): (Rule.WRITE, _commitment({"evidence": "Open since May"})),
    ("POST", f"{C}/missed"): (Rule.WRITE, _commitment({})),
    ("POST", f"{C}/withdrawal"): (Rule.WRITE, _commitment({"reason": "No longer needed"})),
    ("GET", f"{L}/plans"): (Rule.READ, none),
    ("POST", f"{L}/plans"): (Rule.WRITE, lambda m: Call(json={"title": "Healthy lives"})),
    ("GET", f"{L}/plans/{{plan_id}}"): (Rule.READ, lambda m: Call({"plan_id": m.plan()[0]})),
    ("POST", f"{L}/plans/{{plan_id}}/goals"): (
        Rule.WRITE,
        lambda m: Call({"plan_id": m.plan()[0]}, json={"title": "Goal"}),
    ),
    ("POST", f"{L}/plans/{{plan_id}}/agreement"): (Rule.WRITE, _agree),
    ("POST", f"{L}/plans/{{plan_id}}/revisions"): (
        Rule.WRITE,
        lambda m: Call({"plan_id": m.plan()[0]}, json={"title": "Healthier lives", "reason": "New survey"}),
    ),
    ("GET", f"{L}/measures"): (Rule.READ, none),
    ("POST", f"{L}/measures"): (Rule.WRITE, _measure),
    ("GET", f"{L}/measures/{{measure_id}}"): (Rule.READ, lambda m: Call({"measure_id": m.measure()})),
    ("POST", f"{L}/measures/{{measure_id}}/observations"): (
        Rule.WRITE,
        lambda m: Call({"measure_id": m.measure()}, json={"on": str(TODAY), "value": "3"}),
    ),
    ("GET", f"{L}/network"): (Rule.READ, none),
    ("GET", f"{L}/network/figures"): (Rule.READ, none),
    ("GET", f"{L}/network/diff"): (
        Rule.READ,
        lambda m: Call(params={"from": str(TODAY - timedelta(days=30))}),
    ),
    ("GET", f"{L}/accountability"): (Rule.READ, none),
    ("GET", f"{L}/participation"): (Rule.READ, none),
    ("GET", f"{L}/events"): (Rule.READ, none),
    ("GET", f"{L}/chain/head"): (Rule.READ, none),
    ("POST", f"{L}/chain/verify"): (Rule.ADMIN_HERE, none),
    ("POST", f"{L}/import/{{kind}}"): (Rule.WRITE, _import),
    ("GET", f"{L}/export/{{fmt}}"): (Rule.READ, lambda m: Call({"fmt": "json"})),
    ("GET", "/api/v1/peer-networks"): (Rule.TOKEN, none),
    ("POST", "/api/v1/peer-networks"): (
        Rule.ADMIN,
        lambda m: Call(json={"slug": f"net-{next(_unique)}", "name": "Net"}),
    ),
    ("POST", "/api/v1/peer-networks/{slug}/members"): (Rule.ADMIN, _member),
    ("POST", "/api/v1/peer-networks/{slug}/members/{locality}/leave"): (Rule.ADMIN, _leave),
    ("GET", "/api/v1/peer-networks/{slug}/comparison"): (Rule.PEERS, none),
    ("GET", "/api/v1/peer-networks/{slug}/trends"): (Rule.PEERS, lambda m: Call(params={"locality": m.slug})),
    ("GET", "/api/v1/peer-networks/{slug}/shared-measures"): (Rule.PEERS, none),
    # The pages: signed in with a session cookie; a form is sent with the session's CSRF token.
    ("GET", "/signin"): (Rule.PAGE_PUBLIC, none, 200),
    ("POST", "/signin"): (Rule.PAGE_PUBLIC, none, 403),  # no CSRF token: "the form has expired", for anyone
    ("POST", "/signout"): (Rule.PAGE_SIGNED_IN, none, 303),
    ("GET", "/"): (Rule.PAGE_SIGNED_IN, none, REACHED),  # 200, or on to the visitor's own locality
    ("GET", "/vendor/vis-network.js"): (Rule.PAGE_PUBLIC, none, 200),
    ("GET", P): (Rule.PAGE_READ, none),
    ("GET", f"{P}/stakeholders"): (Rule.PAGE_READ, none),
    ("GET", f"{P}/stakeholders/{{stakeholder_id}}"): (Rule.PAGE_READ, _page(STAKEHOLDER)),
    ("GET", f"{P}/stakeholders/new"): (Rule.PAGE_WRITE, none),
    ("POST", f"{P}/stakeholders/new"): (Rule.PAGE_WRITE, none),
    ("GET", f"{P}/stakeholders/{{stakeholder_id}}/edit"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("POST", f"{P}/stakeholders/{{stakeholder_id}}/edit"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("POST", f"{P}/stakeholders/{{stakeholder_id}}/sector"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("POST", f"{P}/stakeholders/{{stakeholder_id}}/assets"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("POST", f"{P}/stakeholders/{{stakeholder_id}}/assets/{{asset_id}}/retire"): (
        Rule.PAGE_WRITE,
        _page(lambda r: {"stakeholder_id": r.food_bank, "asset_id": r.asset}),
    ),
    ("GET", f"{P}/stakeholders/{{stakeholder_id}}/merge"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("POST", f"{P}/stakeholders/{{stakeholder_id}}/merge"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("GET", f"{P}/stakeholders/{{stakeholder_id}}/archive"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("POST", f"{P}/stakeholders/{{stakeholder_id}}/archive"): (Rule.PAGE_WRITE, _page(STAKEHOLDER)),
    ("GET", f"{P}/assets"): (Rule.PAGE_READ, none),
    ("GET", f"{P}/meetings"): (Rule.PAGE_READ, none),
    ("GET", f"{P}/meetings/new"): (Rule.PAGE_WRITE, none),
    ("POST", f"{P}/meetings/new"): (Rule.PAGE_WRITE, none),
    ("GET", f"{P}/meetings/{{meeting_id}}"): (Rule.PAGE_READ, _page(lambda r: {"meeting_id": r.meeting})),
    ("GET", f"{P}/commitments"): (Rule.PAGE_READ, none),
    ("GET", f"{P}/commitments/{{commitment_id}}"): (
        Rule.PAGE_READ,
        _page(lambda r: {"commitment_id": r.commitment}),
    ),
    ("POST", f"{P}/commitments/{{commitment_id}}/{{action}}"): (
        Rule.PAGE_WRITE,
        _page(lambda r: {"commitment_id": r.commitment, "action": "progress"}),
    ),
    ("GET", f"{P}/network"): (Rule.PAGE_READ, none),
    ("GET", f"{P}/report"): (Rule.PAGE_READ, none),
    ("GET", f"{P}/import"): (Rule.PAGE_WRITE, none),
    ("POST", f"{P}/import"): (Rule.PAGE_WRITE, none),  # sent without files: the form again, with an error
    ("GET", f"{P}/export"): (Rule.PAGE_READ, none),
    ("GET", f"{P}/export/{{fmt}}"): (Rule.PAGE_READ, _page(lambda r: {"fmt": "graphml"})),
    ("GET", f"{P}/{{rest:path}}"): (Rule.PAGE_READ, _page(lambda r: {"rest": "no-such-page"}), 404),
}


def expected(rule: Rule, role: str | None, slug: str) -> int | str:
    """What the role gets at a route of the rule, in the locality ``slug``."""
    if rule in (Rule.PUBLIC, Rule.PAGE_PUBLIC):
        return ALLOWED
    if role is None:
        return SIGN_IN if rule.is_page else 401
    if rule in (Rule.TOKEN, Rule.PAGE_SIGNED_IN):
        return ALLOWED
    if rule is Rule.ADMIN:
        return ALLOWED if role == "administrator" else 403
    if role != "administrator" and LOCALITY_OF[role] != slug:
        return 404  # another locality's records do not exist for it
    if rule is Rule.PEERS:
        return ALLOWED
    if role == "peer":
        return 403
    if rule in (Rule.READ, Rule.PAGE_READ):
        return ALLOWED
    if rule is Rule.ADMIN_HERE:
        return ALLOWED if role == "administrator" else 403
    return 403 if role == "lead" else ALLOWED


@dataclass
class World:
    api: Api
    records: dict[str, Records]
    pages: dict[str | None, TestClient]
    csrf: dict[str, str]

    def status_codes(self) -> dict[tuple[str, str], int]:
        codes = {}
        for route in iter_route_contexts(self.api.client.app.routes):  # type: ignore[attr-defined]
            if isinstance(route.original_route, APIRoute):
                for method in route.methods or ():
                    codes[(method, str(route.path))] = route.status_code or 200
        return codes


@pytest.fixture
def world(api_on: Api) -> Iterator[World]:
    app = api_on.runtime.app
    records = {slug: add_records(app, slug) for slug in (HOME, OTHER)}
    for slug, network in NETWORK_OF.items():
        app.create_peer_network(network, network.title(), actor="setup")
        app.join_peer_network(network, slug, actor="setup")
    api_on.runtime.projector.catch_up()
    pages: dict[str | None, TestClient] = {None: TestClient(api_on.client.app, follow_redirects=False)}
    csrf = {}
    store = SessionStore(api_on.runtime.tokens.db)
    for role in ROLES[1:]:
        assert role is not None
        client = pages[role] = TestClient(api_on.client.app, follow_redirects=False)
        sign_in(client, api_on.tokens[role])
        visitor = store.find(str(client.cookies.get(COOKIE)))
        assert visitor is not None
        csrf[role] = visitor.csrf
    yield World(api_on, records, pages, csrf)


def _outcome(answer: httpx.Response, rule: Rule) -> int | str:
    if rule.is_page and answer.status_code == 303 and answer.headers["location"].startswith("/signin?next="):
        return SIGN_IN
    return answer.status_code


def _send(
    world: World, endpoint: Endpoint, rule: Rule, role: str | None, slug: str, allowed: bool
) -> httpx.Response:
    records = world.records[slug]
    fresh = allowed and endpoint.method != "GET"  # reads go to the views: the shared, projected records
    call: Call = MATRIX[(endpoint.method, endpoint.path)][1](
        Maker(world.api.runtime.app, records, fresh=fresh)
    )
    values = {"slug": NETWORK_OF[slug] if rule is Rule.PEERS else slug, **call.values}
    path = endpoint.filled(values)
    answer: httpx.Response
    if rule.is_page:
        data = {"csrf_token": world.csrf[role]} if role and endpoint.method == "POST" else None
        answer = world.pages[role].request(endpoint.method, path, data=data)
    else:
        headers = world.api.as_(role) if role else {}
        answer = world.api.client.request(
            endpoint.method, path, headers=headers, json=call.json, params=call.params, files=call.files
        )
    return answer


def test_every_route_has_an_entry_in_the_matrix_and_every_entry_a_route(api: Api) -> None:
    routes = {(e.method, e.path) for e in endpoints(api.client.app)}  # type: ignore[arg-type]
    assert sorted(routes - MATRIX.keys()) == [], "add an entry to MATRIX for each new route"
    assert sorted(MATRIX.keys() - routes) == [], "remove the entries of routes that are gone"


def _mismatch(
    world: World, endpoint: Endpoint, role: str | None, slug: str, success: int | str
) -> str | None:
    """What is wrong with the role's answer at the route in the locality, if anything."""
    rule, _, *explicit = MATRIX[(endpoint.method, endpoint.path)]
    want = expected(rule, role, slug)
    answer = _send(world, endpoint, rule, role, slug, allowed=want == ALLOWED)
    got = _outcome(answer, rule)
    # A form sent empty is answered by its handler (shown again with errors, or done): it
    # is enough that it got there. Every other answer must have exactly its status.
    reached_only = success == REACHED or (rule.is_page and endpoint.method == "POST" and not explicit)
    if want != ALLOWED:
        ok = got == want
    elif reached_only:
        ok = got not in (SIGN_IN, 401, 403, 404) and answer.status_code < 500
    else:
        ok = got == success
    if ok:
        return None
    wanted = f"{success} ({ALLOWED})" if want == ALLOWED else want
    return f"{endpoint} as {role or 'no token'} in {slug}: got {got}, want {wanted}: {answer.text[:150]}"


def test_each_role_gets_what_the_matrix_says_at_every_route_in_its_own_and_another_locality(
    world: World,
) -> None:
    codes = world.status_codes()
    wrong: list[str] = []
    # Signing out ends the sessions the other pages are visited with: last.
    for endpoint in sorted(endpoints(world.api.client.app), key=lambda e: e.path == "/signout"):  # type: ignore[arg-type]
        rule, _, *explicit = MATRIX[(endpoint.method, endpoint.path)]
        success = explicit[0] if explicit else codes.get((endpoint.method, endpoint.path), 200)
        for role in ROLES:
            for slug in (HOME, OTHER) if rule.per_locality else (HOME,):
                if problem := _mismatch(world, endpoint, role, slug, success):
                    wrong.append(problem)
    assert not wrong, "\n".join(wrong)
