"""Fixtures of the trust suite: the API of tests/service (a token per role, localities
riverside and hillside) and a small record in a locality, one of each kind of thing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

from domain.application import CivicWeave
from tests.service.conftest import HOME, OTHER, Api, api, api_on

__all__ = ["HOME", "OTHER", "Api", "Records", "add_records", "api", "api_on"]

ACTOR = "setup"


@dataclass(frozen=True)
class Records:
    """The ids of one of each kind of record in a locality."""

    slug: str
    council: UUID
    food_bank: UUID
    person: UUID
    asset: UUID
    relationship: UUID
    meeting: UUID
    commitment: UUID
    plan: UUID
    goal: UUID
    measure: UUID


def add_records(
    app: CivicWeave,
    slug: str,
    *,
    name: str = "Rowan Example",
    contact: str = "rowan@example.org",
    notes: str = "Prefers morning meetings",
) -> Records:
    """Stakeholders (one a person, with ``name``, ``contact`` and ``notes``), an asset, a
    tie, a meeting the person attended, a commitment to the person, a plan and a measure."""
    today = app.today()

    def register(kind: str, sector: str, called: str, contact: str = "", notes: str = "") -> UUID:
        return app.register_stakeholder(
            slug, kind=kind, sector=sector, name=called, contact=contact, notes=notes, actor=ACTOR
        ).id

    council = register("organisation", "public", f"{slug.title()} Council")
    food_bank = register("group", "vcse", f"{slug.title()} Food Bank")
    person = register("person", "lived_experience", name, contact=contact, notes=notes)
    asset = uuid4()
    app.record_asset(
        slug, food_bank, category="venue", description="A church hall", actor=ACTOR, asset_id=asset
    )
    relationship = app.form_relationship(
        slug, source_id=council, target_id=person, kind="collaborates", intensity=2, actor=ACTOR
    ).id
    meeting = app.schedule_meeting(
        slug, kind="change_group", title="Change Group", held_on=today - timedelta(days=3), actor=ACTOR
    ).id
    app.record_attendance(slug, meeting, [council, food_bank, person], actor=ACTOR)
    commitment = app.make_commitment(
        slug,
        promisor_id=council,
        promisee_ids=[person],
        what="Open the hub two evenings a week",
        due=today + timedelta(days=60),
        meeting_id=meeting,
        actor=ACTOR,
    ).id
    plan = app.draft_plan(slug, title="Healthy lives", actor=ACTOR).id
    goal = app.add_goal(slug, plan, title="Fewer lonely people", actor=ACTOR).id
    measure = app.define_measure(
        slug,
        plan_id=plan,
        goal_id=goal,
        name="People in touch weekly",
        kind="quantitative",
        unit="people",
        baseline="10",
        target="20",
        actor=ACTOR,
    ).id
    app.record_observation(slug, measure, on=date.today(), value="12", actor=ACTOR)
    return Records(
        slug, council, food_bank, person, asset, relationship, meeting, commitment, plan, goal, measure
    )
