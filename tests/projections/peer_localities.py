"""A small deterministic generator of localities of different shapes, for peer comparisons.

Each shape fixes what the figures must come to, so the tests can check the comparison
both against the Reader and by hand: how many stakeholders in which sectors, how many
Change Group meetings in the year, how many lived-experience attendances at each, and
what became of each commitment. Every name and free text a locality records carries its
slug, so a test can search any response for another locality's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain, pairwise, zip_longest
from uuid import UUID

from domain.application import CivicWeave

ACTOR = "generator"
#: Everyone is in the network from this day; the work recorded happens in YEAR.
SINCE = date(2024, 6, 1)
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
#: Commitment outcomes: F fulfilled on time, L fulfilled late, R renegotiated once then
#: fulfilled by the new date (late against the original), M missed, W withdrawn,
#: V overdue at the year's end, O open (due next year).
OUTCOMES = "FLRMWVO"


@dataclass(frozen=True)
class Shape:
    slug: str
    name: str
    sizes: tuple[tuple[str, int], ...]  # stakeholders per sector (lived_experience ones are persons)
    meetings: int  # Change Group meetings held in the year, evenly spread
    others_at_meetings: int  # non-lived-experience attendees at each meeting
    lived_at_meetings: int  # lived-experience attendees at each meeting
    outcomes: str  # one letter of OUTCOMES per commitment, made in the year
    measure: tuple[str, tuple[str, ...]] | None = None  # shared code and a value per quarter

    @property
    def stakeholders(self) -> int:
        return sum(n for _, n in self.sizes)

    def size(self, sector: str) -> int:
        return dict(self.sizes).get(sector, 0)


SHAPES: tuple[Shape, ...] = (
    Shape(
        "ashby",
        "Ashby",
        sizes=(("public", 6), ("health", 5), ("vcse", 7), ("housing", 2), ("lived_experience", 6)),
        meetings=12,
        others_at_meetings=6,
        lived_at_meetings=3,
        outcomes="FFFFFLRMVO",
        measure=("ASCOF-1A", ("18.5", "18.9", "19.2", "19.6")),
    ),
    Shape(
        "brook",
        "Brook",
        sizes=(("public", 2), ("vcse", 1), ("faith", 1)),
        meetings=2,
        others_at_meetings=3,
        lived_at_meetings=0,
        outcomes="FM",
    ),
    Shape(
        "carfield",
        "Carfield",
        sizes=(("public", 3), ("health", 3), ("education", 2), ("police_fire", 1), ("lived_experience", 2)),
        meetings=4,
        others_at_meetings=4,
        lived_at_meetings=2,
        outcomes="FFRRWLL",
        measure=("ASCOF-1A", ("17.0", "17.4", "", "18.1")),
    ),
    Shape(
        "dunmore",
        "Dunmore",
        sizes=(("public", 12), ("health", 9), ("business", 5)),
        meetings=24,
        others_at_meetings=8,
        lived_at_meetings=0,
        outcomes="FFFFFFFFMM",
    ),
    Shape(
        "eastwick",
        "Eastwick",
        sizes=(("community_group", 3), ("vcse", 2), ("lived_experience", 9)),
        meetings=6,
        others_at_meetings=2,
        lived_at_meetings=7,
        outcomes="FOOMVV",
        measure=("ASCOF-1A", ("20.0", "", "21.0", "")),
    ),
)


@dataclass
class Built:
    """What the generator recorded in one locality: its stakeholders' ids and names, and
    every piece of free text, for the privacy tests."""

    shape: Shape
    ids: dict[str, list[UUID]] = field(default_factory=dict)  # by sector
    names: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def secret(self, what: str) -> str:
        text = f"{self.shape.name} {what} (private to {self.shape.slug})"
        self.texts.append(text)
        return text

    @property
    def everyone(self) -> list[UUID]:
        return [key for keys in self.ids.values() for key in keys]


NETWORK = "north"
JOINED = date(2024, 1, 1)
#: Eastwick leaves the network half way through the year.
LEFT = date(2025, 7, 1)


def build_network(app: CivicWeave) -> dict[str, Built]:
    """Every shape, all members of the peer network ``north`` since JOINED; Eastwick leaves on LEFT."""
    built = {shape.slug: build(app, shape) for shape in SHAPES}
    app.create_peer_network(NETWORK, "North peers", actor=ACTOR)
    for slug in built:
        app.join_peer_network(NETWORK, slug, on=JOINED, actor=ACTOR)
    app.leave_peer_network(NETWORK, "eastwick", on=LEFT, actor=ACTOR)
    return built


def build(app: CivicWeave, shape: Shape) -> Built:
    """Record the locality of this shape through the application's commands."""
    built = Built(shape)
    slug = shape.slug
    app.register_locality(slug, shape.name, "Test region", actor=ACTOR)
    for sector, count in shape.sizes:
        kind = "person" if sector == "lived_experience" else "organisation"
        for i in range(count):
            name = f"{shape.name} {sector.replace('_', ' ').title()} {'Person' if kind == 'person' else 'Org'} {i + 1}"
            key = app.register_stakeholder(
                slug,
                kind=kind,
                sector=sector,
                name=name,
                notes=built.secret(f"notes {name}"),
                since=SINCE,
                actor=ACTOR,
            ).id
            built.ids.setdefault(sector, []).append(key)
            built.names.append(name)
    _tie(app, built)
    meetings = _meet(app, built)
    _promise(app, built, meetings)
    _measure(app, built)
    return built


def _tie(app: CivicWeave, built: Built) -> None:
    """A chain through every stakeholder, in the order of the sectors given."""
    everyone = built.everyone
    for source, target in pairwise(everyone):
        app.form_relationship(
            built.shape.slug,
            source_id=source,
            target_id=target,
            kind="collaborates",
            intensity=2,
            valid_from=SINCE,
            actor=ACTOR,
        )


def _meet(app: CivicWeave, built: Built) -> list[UUID]:
    shape, slug = built.shape, built.shape.slug
    # One from each sector in turn, so that the sectors at the table follow from the shape.
    by_sector = [keys for sector, keys in built.ids.items() if sector != "lived_experience"]
    others = [key for key in chain.from_iterable(zip_longest(*by_sector)) if key is not None]
    lived = built.ids.get("lived_experience", [])
    meetings = []
    for i in range(shape.meetings):
        held_on = YEAR[0] + timedelta(days=(i * 365) // shape.meetings + 3)
        meeting = app.schedule_meeting(
            slug, kind="change_group", title=built.secret(f"meeting {i}"), held_on=held_on, actor=ACTOR
        ).id
        attendees = others[: shape.others_at_meetings] + lived[: shape.lived_at_meetings]
        app.record_attendance(slug, meeting, attendees, actor=ACTOR)
        app.record_decision(slug, meeting, text=built.secret(f"decision {i}"), actor=ACTOR)
        app.hold_meeting(slug, meeting, actor=ACTOR)
        meetings.append(meeting)
    return meetings


def _promise(app: CivicWeave, built: Built, meetings: list[UUID]) -> None:
    slug, everyone = built.shape.slug, built.everyone
    for i, outcome in enumerate(built.shape.outcomes):
        made_on = YEAR[0] + timedelta(days=10 + 20 * i)
        due = made_on + timedelta(days=30) if outcome != "O" else date(2026, 3, 1)
        key = app.make_commitment(
            slug,
            promisor_id=everyone[i % len(everyone)],
            what=built.secret(f"promise {i}"),
            due=due,
            to_change_group=True,
            made_on=made_on,
            actor=ACTOR,
        ).id
        if outcome == "F":
            app.fulfil(
                slug,
                key,
                evidence=built.secret(f"evidence {i}"),
                on=made_on + timedelta(days=10 + i),
                actor=ACTOR,
            )
        elif outcome == "L":
            app.fulfil(slug, key, on=due + timedelta(days=5), actor=ACTOR)
        elif outcome == "R":
            later = due + timedelta(days=20)
            app.renegotiate(
                slug,
                key,
                due=later,
                reason=built.secret(f"reason {i}"),
                on=due - timedelta(days=1),
                actor=ACTOR,
            )
            app.fulfil(slug, key, on=later, actor=ACTOR)
        elif outcome == "M":
            app.mark_missed(
                slug, key, reason=built.secret(f"missed {i}"), on=due + timedelta(days=1), actor=ACTOR
            )
        elif outcome == "W":
            app.withdraw(
                slug, key, reason=built.secret(f"withdrawn {i}"), on=made_on + timedelta(days=3), actor=ACTOR
            )


def _measure(app: CivicWeave, built: Built) -> None:
    """One quantitative measure with the shape's shared code, observed mid-quarter (a
    blank value: nothing observed that quarter), plus one of the locality's own code."""
    shape, slug = built.shape, built.shape.slug
    if shape.measure is None:
        return
    code, values = shape.measure
    plan = app.draft_plan(slug, title=built.secret("plan"), actor=ACTOR).id
    goal = app.add_goal(slug, plan, title=built.secret("goal"), actor=ACTOR).id
    shared = app.define_measure(
        slug,
        plan_id=plan,
        goal_id=goal,
        name=built.secret("measure"),
        kind="quantitative",
        unit=built.secret("unit"),
        baseline="17",
        target="21",
        shared_code=code,
        actor=ACTOR,
    ).id
    for quarter, value in enumerate(values):
        if value:
            on = date(2025, 3 * quarter + 2, 15)
            app.record_observation(
                slug, shared, on=on, value=value, story=built.secret(f"story {quarter}"), actor=ACTOR
            )
    own = app.define_measure(
        slug,
        plan_id=plan,
        goal_id=goal,
        name=built.secret("own measure"),
        kind="quantitative",
        unit="widgets",
        shared_code=f"{slug.upper()}-ONLY",
        actor=ACTOR,
    ).id
    app.record_observation(slug, own, on=date(2025, 5, 1), value="7", actor=ACTOR)
