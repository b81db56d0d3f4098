"""A small locality built quickly, for tests of every layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.application import CivicWeave

ACTOR = "facilitator"
SLUG = "testville"


@dataclass(frozen=True)
class Testville:
    """The ids of testville's stakeholders, one per sector, and the app that holds them."""

    __test__ = False  # not a test class, despite its name

    app: CivicWeave
    slug: str
    council: UUID
    nhs_trust: UUID
    housing: UUID
    food_bank: UUID
    mary: UUID

    @property
    def stakeholders(self) -> tuple[UUID, ...]:
        return (self.council, self.nhs_trust, self.housing, self.food_bank, self.mary)

    def meeting(self, *attendees: UUID, held_on: date = date(2024, 3, 5)) -> UUID:
        """A Change Group meeting in testville, with these stakeholders attending."""
        meeting_id = self.app.schedule_meeting(
            self.slug, kind="change_group", title="Change Group", held_on=held_on, actor=ACTOR
        ).id
        if attendees:
            self.app.record_attendance(self.slug, meeting_id, attendees, actor=ACTOR)
        return meeting_id

    def commitment(
        self,
        promisor: UUID | None = None,
        *to: UUID,
        made_on: date = date(2024, 3, 5),
        due: date = date(2024, 6, 30),
    ) -> UUID:
        """An open commitment, by default the council's to the food bank."""
        return self.app.make_commitment(
            self.slug,
            promisor_id=promisor or self.council,
            promisee_ids=to or (self.food_bank,),
            what="Open the community hub two evenings a week",
            made_on=made_on,
            due=due,
            actor=ACTOR,
        ).id


def build_testville(app: CivicWeave, slug: str = SLUG) -> Testville:
    """Register the locality and five stakeholders in five sectors, one of them a person."""
    app.register_locality(slug, slug.capitalize(), "North West", actor=ACTOR)

    def register(kind: str, sector: str, name: str, **details: str) -> UUID:
        return app.register_stakeholder(slug, kind=kind, sector=sector, name=name, actor=ACTOR, **details).id

    return Testville(
        app=app,
        slug=slug,
        council=register("organisation", "public", f"{slug.capitalize()} Council"),
        nhs_trust=register("organisation", "health", "Riverside NHS Trust"),
        housing=register("organisation", "housing", "Homes for Testville"),
        food_bank=register("group", "vcse", "Testville Food Bank"),
        mary=register(
            "person",
            "lived_experience",
            "Mary Okonkwo",
            contact="mary.okonkwo@example.org",
            notes="Cares for her son; prefers evening meetings",
        ),
    )


def events_of(app: CivicWeave, aggregate_id: UUID) -> list[Any]:
    """The stored events of one aggregate, oldest first, as the application reads them."""
    return list(app.repository.event_store.get(aggregate_id))


def last_event(app: CivicWeave, aggregate_id: UUID) -> Any:
    return events_of(app, aggregate_id)[-1]


@dataclass(frozen=True)
class Record:
    """A whole small record of testville, in which every kind of event happens once or more."""

    __test__ = False

    town: Testville
    joe: UUID
    duplicate: UUID
    relationship: UUID
    ended_relationship: UUID
    meeting: UUID
    cancelled_meeting: UUID
    plan: UUID
    goal: UUID
    measure: UUID
    story: UUID
    fulfilled: UUID
    renegotiated: UUID
    missed: UUID
    withdrawn: UUID
    peer_network: UUID

    @property
    def aggregate_ids(self) -> tuple[UUID, ...]:
        town = self.town
        return (
            town.app.locality(town.slug).id,
            *town.stakeholders,
            *(getattr(self, name) for name in self.__dataclass_fields__ if name not in ("town", "goal")),
        )


def build_record(app: CivicWeave) -> Record:
    """Testville with a year of work: ties, meetings, a plan with measures, and promises
    kept, renegotiated, missed and withdrawn; each command recorded by a named actor."""
    town = build_testville(app)
    slug = town.slug
    app.rename_locality(slug, "Testville", "North West England", actor="admin")
    app.add_sector(slug, "arts", "Arts and culture", actor="admin")

    joe = app.register_stakeholder(
        slug, kind="person", sector="lived_experience", name="Joe Bloggs", actor=ACTOR
    ).id
    duplicate = app.register_stakeholder(
        slug, kind="organisation", sector="public", name="TV Council", actor=ACTOR
    ).id
    app.change_stakeholder_details(
        slug,
        town.food_bank,
        name="Testville Food Bank CIO",
        contact="hello@foodbank.example",
        actor=ACTOR,
    )
    app.change_sector(slug, town.food_bank, "faith", actor=ACTOR, on=date(2024, 2, 1))
    app.record_asset(slug, town.food_bank, category="venue", description="Church hall", actor=ACTOR)
    app.record_asset(slug, town.food_bank, category="transport", description="A minibus", actor=ACTOR)
    minibus = next(
        key
        for key, (category, _) in app.repository.get(town.food_bank).assets.items()
        if category == "transport"
    )
    app.retire_asset(slug, town.food_bank, minibus, reason="Sold", actor=ACTOR)
    app.merge_stakeholder(slug, duplicate, town.council, reason="Same council", actor=ACTOR)
    app.archive_stakeholder(slug, town.housing, reason="Wound up", actor="lead")
    app.erase_person(slug, joe, reason="Asked to be forgotten", actor="admin")

    relationship = app.form_relationship(
        slug,
        source_id=town.council,
        target_id=town.food_bank,
        kind="funds",
        intensity=2,
        valid_from=date(2024, 1, 10),
        actor=ACTOR,
    ).id
    app.rate_relationship(
        slug,
        relationship,
        rater="food bank",
        trust=(3, 4, 2),
        value=(4, 3, 1),
        actor=ACTOR,
        on=date(2024, 2, 1),
    )
    app.change_intensity(slug, relationship, 3, actor=ACTOR, on=date(2024, 4, 1))
    ended = app.form_relationship(
        slug,
        source_id=town.nhs_trust,
        target_id=town.mary,
        kind="refers_to",
        intensity=1,
        valid_from=date(2024, 1, 10),
        actor=ACTOR,
    ).id
    app.end_relationship(slug, ended, reason="Service closed", actor=ACTOR, valid_to=date(2024, 5, 31))

    meeting = app.schedule_meeting(
        slug,
        kind="change_group",
        title="Change Group, March",
        held_on=date(2024, 3, 5),
        place="Town hall",
        actor=ACTOR,
    ).id
    app.record_attendance(slug, meeting, [town.council, town.nhs_trust, town.mary], actor=ACTOR)
    app.correct_attendance(
        slug,
        meeting,
        added=[town.food_bank],
        removed=[town.nhs_trust],
        reason="The trust sent apologies",
        actor=ACTOR,
    )
    app.record_decision(
        slug, meeting, text="Open a community hub", agreed_by=[town.council, town.mary], actor=ACTOR
    )
    app.record_notes(slug, meeting, "Warm discussion; hub agreed.", actor=ACTOR)
    app.hold_meeting(slug, meeting, actor=ACTOR)
    cancelled = app.schedule_meeting(
        slug, kind="workshop", title="Asset mapping", held_on=date(2024, 3, 19), actor=ACTOR
    ).id
    app.cancel_meeting(slug, cancelled, reason="Snow", actor=ACTOR)

    plan = app.draft_plan(slug, title="Healthy Testville", summary="Year one", actor=ACTOR).id
    goal = app.add_goal(slug, plan, title="Fewer lonely people", actor=ACTOR).id
    app.agree_plan(slug, plan, meeting_id=meeting, agreed_by=[town.council, town.mary], actor="lead")
    app.revise_plan(
        slug, plan, title="Healthy Testville", summary="Year one, revised", reason="New survey", actor="lead"
    )
    measure = app.define_measure(
        slug,
        plan_id=plan,
        goal_id=goal,
        name="People in touch weekly",
        kind="quantitative",
        unit="people",
        baseline="120",
        target="200.5",
        shared_code="ascot-1a",
        actor=ACTOR,
    ).id
    app.record_observation(slug, measure, on=date(2024, 6, 1), value="131.5", actor=ACTOR)
    story = app.define_measure(
        slug,
        plan_id=plan,
        goal_id=goal,
        name="Stories of connection",
        kind="qualitative",
        actor=ACTOR,
    ).id
    app.record_observation(
        slug,
        story,
        on=date(2024, 6, 1),
        story="Mrs B comes every week",
        evidence="Diary",
        actor=ACTOR,
    )

    def promise(what: str, promisor: UUID, *to: UUID) -> UUID:
        return app.make_commitment(
            slug,
            promisor_id=promisor,
            promisee_ids=to,
            to_change_group=not to,
            what=what,
            due=date(2024, 6, 30),
            meeting_id=meeting,
            plan_id=plan,
            goal_id=goal,
            actor=ACTOR,
        ).id

    fulfilled = promise("Open the hub two evenings a week", town.council, town.food_bank)
    app.report_progress(
        slug,
        fulfilled,
        note="Hall booked",
        percent=50,
        evidence="Booking",
        actor=ACTOR,
        on=date(2024, 4, 2),
    )
    app.fulfil(slug, fulfilled, evidence="Open since May", on=date(2024, 5, 14), actor="lead")
    renegotiated = promise("Fund a coordinator", town.council, town.food_bank, town.mary)
    app.renegotiate(
        slug,
        renegotiated,
        due=date(2024, 9, 30),
        reason="Budget round moved",
        actor=ACTOR,
        on=date(2024, 6, 1),
    )
    app.reassign(
        slug,
        renegotiated,
        promisor_id=town.nhs_trust,
        reason="NHS funds it",
        actor=ACTOR,
        on=date(2024, 6, 2),
    )
    missed = promise("Share referral data", town.nhs_trust)
    app.mark_missed(slug, missed, reason="No data agreement", on=date(2024, 7, 1), actor=ACTOR)
    withdrawn = promise("Lend the minibus", town.food_bank, town.mary)
    app.withdraw(slug, withdrawn, reason="Minibus sold", on=date(2024, 4, 20), actor=ACTOR)

    peer_network = app.create_peer_network("north-west", "North West peers", actor="admin").id
    app.join_peer_network("north-west", slug, on=date(2024, 1, 1), actor="admin")
    app.leave_peer_network("north-west", slug, on=date(2024, 12, 31), actor="admin")

    return Record(
        town=town,
        joe=joe,
        duplicate=duplicate,
        relationship=relationship,
        ended_relationship=ended,
        meeting=meeting,
        cancelled_meeting=cancelled,
        plan=plan,
        goal=goal,
        measure=measure,
        story=story,
        fulfilled=fulfilled,
        renegotiated=renegotiated,
        missed=missed,
        withdrawn=withdrawn,
        peer_network=peer_network,
    )
