"""Riverside: a fictional locality to try civicweave with, loaded through the Application.

Everything is fixed or drawn from a seeded ``random.Random``, and every date is relative
to ``today``, so the states make sense whenever it is loaded (some commitments due soon,
some overdue, ...). Aggregates are created through the public use cases, which hold the
rules a new record must pass (sector of the locality, a person's sealed details, active
stakeholders, a goal of the plan); the many follow-up changes (assets, ratings,
attendance, outcomes, observations) go through the aggregates' own commands and are
saved in a few atomic batches, which is several times faster than one save each.

All names are invented. People's names only ever reach the log sealed; no free text of
the demo (decisions, commitments, notes, stories, raters) names a person.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.application import CivicWeave
from domain.commitment import OPEN, Commitment
from domain.meeting import Meeting
from domain.plan import Measure
from domain.relationship import Relationship
from domain.stakeholder import Stakeholder

SLUG, NAME, REGION = "riverside", "Riverside", "North West"
SEED = 20240501
#: The oldest tie is 1,100 days old: everyone has been in the network at least that long.
NETWORK_AGE_DAYS = 1100
DUE_SOON_DAYS = 14
_IDS = uuid5(NAMESPACE_URL, "/demo/riverside")


COMMITMENT_STATES = ("open", "due_soon", "overdue", "fulfilled", "missed", "withdrawn")


@dataclass(frozen=True)
class DemoSummary:
    """What the demo loaded; ``commitments`` counts each state on the day it was loaded."""

    stakeholders: int
    persons: int
    sectors: int
    assets: int
    relationships: int
    relationships_ended: int
    ratings: int
    meetings: int
    attendances: int
    decisions: int
    commitments: Mapping[str, int]
    renegotiations: int
    reassignments: int
    progress_reports: int
    plans: int
    goals: int
    measures: int
    observations: int
    merged: int
    archived: int
    events: int


def commitment_state(commitment: Commitment, on: date) -> str:
    """open, due_soon, overdue (as METRICS.md defines them), or how it was closed."""
    if commitment.status != OPEN:
        return str(commitment.status)
    if commitment.due < on:
        return "overdue"
    return "due_soon" if commitment.due <= on + timedelta(days=DUE_SOON_DAYS) else "open"


def stakeholder_id(key: str) -> UUID:
    """The fixed id of a demo stakeholder, so that every load gives the same ids."""
    return uuid5(_IDS, f"stakeholder/{key}")


def load_demo(app: CivicWeave, *, today: date, actor: str = "demo") -> DemoSummary | None:
    """Load Riverside, or return None (and change nothing) if it is already there."""
    if app.find_locality(SLUG) is not None:
        return None
    start = app.recorder.max_notification_id() or 0
    app.register_locality(SLUG, NAME, REGION, actor=actor)
    loader = _Loader(app, today, actor)
    loader.stakeholders()
    loader.relationships()
    loader.meetings()
    loader.plan()
    loader.commitments()
    loader.tidy_up()
    return loader.summary(events=(app.recorder.max_notification_id() or 0) - start)


class _Step(NamedTuple):
    on: date
    order: int  # same-day steps: progress, then renegotiation or reassignment, then the outcome
    kind: str
    meeting: UUID | None = None


class _Loader:
    """Loads the demo in order; each part creates through use cases, then batches changes."""

    def __init__(self, app: CivicWeave, today: date, actor: str) -> None:
        self.app, self.today, self.actor = app, today, actor
        self.rng = random.Random(SEED)
        self.counts: Counter[str] = Counter()
        self.states: Counter[str] = Counter()
        self.meetings_held: list[tuple[UUID, date]] = []
        self.plan_id: UUID | None = None
        self.goal_ids: list[UUID] = []

    def days_ago(self, days: int) -> date:
        """A date before today (the demo's history is laid out backwards from today)."""
        return self.today - timedelta(days=days)

    def stakeholders(self) -> None:
        for who in (*ROSTER, DUPLICATE, CLOSED):
            self.app.register_stakeholder(
                SLUG,
                kind=who.kind,
                sector=who.sector,
                name=who.name,
                notes=who.notes,
                actor=self.actor,
                since=self.days_ago(NETWORK_AGE_DAYS),
                stakeholder_id=stakeholder_id(who.key),
            )
        owners = [who for who in ROSTER if who.assets]
        loaded = [self.app.load(Stakeholder, stakeholder_id(w.key), locality=SLUG) for w in owners]
        for who, stakeholder in zip(owners, loaded, strict=True):
            for number, asset in enumerate(who.assets):
                category, description = asset.split(": ", 1)
                key = uuid5(_IDS, f"asset/{who.key}/{number}")
                stakeholder.record_asset(key, category, description, actor=self.actor)
        self.app.commit(*loaded)
        self.counts.update(
            stakeholders=len(ROSTER) + 2,
            persons=sum(who.kind == PERSON for who in ROSTER),
            sectors=len({who.sector for who in ROSTER}),
            assets=sum(len(who.assets) for who in ROSTER),
        )

    def relationships(self) -> None:
        ties = _ties(self.rng, self.today)
        changed: list[Relationship] = []
        for tie in ties:
            receipt = self.app.form_relationship(
                SLUG,
                source_id=stakeholder_id(tie.source),
                target_id=stakeholder_id(tie.target),
                kind=tie.kind,
                intensity=tie.intensity,
                source=tie.evidence,
                valid_from=tie.valid_from,
                actor=self.actor,
            )
            if tie.changed_on or tie.rated_on or tie.ended_on:
                changed.append(self._follow_up(receipt.id, tie))
        self.app.commit(*changed)
        self.counts.update(
            relationships=len(ties),
            relationships_ended=sum(tie.ended_on is not None for tie in ties),
            ratings=sum(tie.rated_on is not None for tie in ties),
        )

    def _follow_up(self, relationship_id: UUID, tie: _Tie) -> Relationship:
        relationship = self.app.load(Relationship, relationship_id, locality=SLUG)
        if tie.changed_on:
            stronger = tie.intensity + 1 if tie.intensity < 4 else 3
            relationship.change_intensity(stronger, actor=self.actor, on=tie.changed_on)
        if tie.rated_on:
            # The rater is the organisation or group that answered: never a person's name.
            rater = tie.source if BY_KEY[tie.source].kind != PERSON else tie.target
            trust = tuple(self.rng.choices((2, 3, 3, 4, 4), k=3))
            value = tuple(self.rng.choices((1, 2, 3, 3, 4), k=3))
            relationship.rate(BY_KEY[rater].name, trust, value, actor=self.actor, on=tie.rated_on)
        if tie.ended_on:
            relationship.end(tie.ended_on, tie.end_reason, actor=self.actor)
        return relationship

    def meetings(self) -> None:
        ids = [
            self.app.schedule_meeting(
                SLUG,
                kind=spec.kind,
                title=spec.title,
                held_on=self.days_ago(spec.days_ago),
                place=spec.place,
                actor=self.actor,
            ).id
            for spec in MEETINGS
        ]
        held = [self.app.load(Meeting, key, locality=SLUG) for key in ids]
        for number, (spec, meeting) in enumerate(zip(MEETINGS, held, strict=True)):
            keys = _attendees(number)
            attendees = tuple(stakeholder_id(key) for key in keys)
            meeting.hold(meeting.held_on, actor=self.actor)
            meeting.record_attendance(attendees, actor=self.actor)
            for index, wording in enumerate(spec.decisions):
                decision = uuid5(_IDS, f"decision/{number}/{index}")
                meeting.record_decision(decision, wording, attendees, actor=self.actor)
            sectors = len({BY_KEY[key].sector for key in keys})
            meeting.record_notes(
                f"{len(keys)} attended, from {sectors} sectors. "
                "Actions agreed at the meeting are recorded as commitments.",
                actor=self.actor,
            )
            self.meetings_held.append((meeting.id, meeting.held_on))
            self.counts.update(attendances=len(keys), decisions=len(spec.decisions))
        self.app.commit(*held)
        self.counts.update(meetings=len(held))

    def plan(self) -> None:
        plan_id = self.app.draft_plan(SLUG, title=PLAN_TITLE, summary=PLAN_SUMMARY, actor=self.actor).id
        self.plan_id = plan_id
        for goal in GOALS:
            self.goal_ids.append(
                self.app.add_goal(
                    SLUG, plan_id, title=goal.title, description=goal.description, actor=self.actor
                ).id
            )
        meeting_id, _ = self.meetings_held[PLAN_AGREED_AT]
        self.app.agree_plan(
            SLUG,
            plan_id,
            meeting_id=meeting_id,
            agreed_by=[stakeholder_id(key) for key in _attendees(PLAN_AGREED_AT)],
            actor=self.actor,
        )
        measures = [
            self._measure(plan_id, goal_id, spec)
            for goal_id, goal in zip(self.goal_ids, GOALS, strict=True)
            for spec in goal.measures
        ]
        self.app.commit(*measures)
        self.counts.update(plans=1, goals=len(GOALS), measures=len(measures))

    def _measure(self, plan_id: UUID, goal_id: UUID, spec: _MeasureSpec) -> Measure:
        receipt = self.app.define_measure(
            SLUG,
            plan_id=plan_id,
            goal_id=goal_id,
            name=spec.name,
            kind="quantitative" if spec.unit else "qualitative",
            unit=spec.unit,
            baseline=spec.baseline or None,
            target=spec.target or None,
            shared_code=spec.code,
            actor=self.actor,
        )
        measure = self.app.load(Measure, receipt.id, locality=SLUG)
        for number, days in enumerate(OBSERVED_DAYS_AGO):
            value = None
            if spec.unit:
                baseline, target = Decimal(spec.baseline), Decimal(spec.target)
                progress = Decimal(number + 1 + self.rng.uniform(-0.4, 0.4)) / 5
                value = (baseline + (target - baseline) * progress).quantize(Decimal("0.1"))
            measure.observe(
                uuid5(_IDS, f"observation/{spec.name}/{number}"),
                on=self.days_ago(days),
                value=value,
                story=spec.stories[number] if spec.stories else "",
                evidence="Reported to the Change Group",
                actor=self.actor,
            )
        self.counts.update(observations=len(OBSERVED_DAYS_AGO))
        return measure

    def commitments(self) -> None:
        loaded = [self.app.load(Commitment, self._make(p), locality=SLUG) for p in PROMISES]
        for promise, commitment in zip(PROMISES, loaded, strict=True):
            for step in sorted(self._steps(promise, commitment), key=lambda s: (s.on, s.order)):
                self._apply(promise, commitment, step)
            self.states[commitment_state(commitment, self.today)] += 1
        self.app.commit(*loaded)

    def _make(self, promise: _Promise) -> UUID:
        meeting_id, made_on = self.meetings_held[promise.meeting]
        goal_id = None if promise.goal is None else self.goal_ids[promise.goal]
        return self.app.make_commitment(
            SLUG,
            promisor_id=stakeholder_id(promise.promisor),
            promisee_ids=[stakeholder_id(key) for key in promise.promisees],
            to_change_group=not promise.promisees,
            what=promise.what,
            due=_first_due(promise.fate, made_on, self.today, self.rng),
            meeting_id=meeting_id,
            plan_id=None if goal_id is None else self.plan_id,
            goal_id=goal_id,
            actor=self.actor,
        ).id

    def _steps(self, promise: _Promise, commitment: Commitment) -> list[_Step]:
        """What happened after the commitment was made, following its fate in PROMISES."""
        rng, fate, due = self.rng, promise.fate, commitment.due
        later = [(key, day) for key, day in self.meetings_held if day > commitment.made_on]
        steps = [_Step(day, 2, kind) for kind, day in _outcome(fate, commitment, self.today, rng)]
        if later and fate.startswith("renegotiated"):
            steps.append(_Step(later[0][1], 1, "renegotiate", later[0][0]))
        if later and fate == "reassigned":
            steps.append(_Step(later[0][1], 1, "reassign"))
        closed = min((step.on for step in steps if step.order == 2), default=self.today)
        reviews = [(key, day) for key, day in later if day < min(closed, due + timedelta(60))]
        if reviews and rng.random() < 0.7:
            steps.append(_Step(reviews[0][1], 0, "progress", reviews[0][0]))
        return steps

    def _apply(self, promise: _Promise, commitment: Commitment, step: _Step) -> None:
        rng, actor, on = self.rng, self.actor, step.on
        if step.kind == "progress":
            percent = rng.choice(tuple(PROGRESS_NOTES))
            note = PROGRESS_NOTES[percent]
            commitment.report_progress(
                note, percent=percent, evidence="", meeting_id=step.meeting, actor=actor, on=on
            )
            self.counts.update(progress_reports=1)
        elif step.kind == "renegotiate":
            due = _renegotiated_due(promise.fate, commitment.made_on, self.today, rng)
            reason = rng.choice(RENEGOTIATION_REASONS)
            commitment.renegotiate(due, reason, meeting_id=step.meeting, actor=actor, on=on)
            self.counts.update(renegotiations=1)
        elif step.kind == "reassign":
            assert promise.reassign_to is not None
            to = stakeholder_id(promise.reassign_to)
            commitment.reassign(to, REASSIGN_REASON, actor=actor, on=on)
            self.counts.update(reassignments=1)
        elif step.kind == "fulfil":
            commitment.fulfil(rng.choice(EVIDENCE), on=on, actor=actor)
        elif step.kind == "miss":
            commitment.miss(rng.choice(MISSED_REASONS), on=on, actor=actor)
        else:
            commitment.withdraw(rng.choice(WITHDRAWN_REASONS), on=on, actor=actor)

    def tidy_up(self) -> None:
        self.app.merge_stakeholder(
            SLUG,
            stakeholder_id(DUPLICATE.key),
            stakeholder_id(DUPLICATE_OF),
            reason="Registered twice under a different spelling",
            actor=self.actor,
        )
        self.app.archive_stakeholder(
            SLUG,
            stakeholder_id(CLOSED.key),
            reason="The lunch club closed when its volunteers retired",
            actor=self.actor,
        )
        self.counts.update(merged=1, archived=1)

    def summary(self, *, events: int) -> DemoSummary:
        c = self.counts
        return DemoSummary(
            stakeholders=c["stakeholders"],
            persons=c["persons"],
            sectors=c["sectors"],
            assets=c["assets"],
            relationships=c["relationships"],
            relationships_ended=c["relationships_ended"],
            ratings=c["ratings"],
            meetings=c["meetings"],
            attendances=c["attendances"],
            decisions=c["decisions"],
            commitments={state: self.states[state] for state in COMMITMENT_STATES},
            renegotiations=c["renegotiations"],
            reassignments=c["reassignments"],
            progress_reports=c["progress_reports"],
            plans=c["plans"],
            goals=c["goals"],
            measures=c["measures"],
            observations=c["observations"],
            merged=c["merged"],
            archived=c["archived"],
            events=events,
        )


# Dates of commitments by fate: every one relative to the meeting it was made at or to today.


def _days(count: int) -> timedelta:
    return timedelta(days=count)


def _first_due(fate: str, made: date, today: date, rng: random.Random) -> date:
    if fate == "open":
        return today + _days(rng.randint(21, 100))
    if fate == "due_soon":
        return today + _days(rng.randint(1, DUE_SOON_DAYS - 1))
    if fate == "overdue":
        return max(made + _days(7), today - _days(rng.randint(3, 40)))
    if fate == "on_time":
        return made + _days(rng.randint(28, 60))
    if fate in ("late", "missed"):
        return made + _days(rng.randint(21, 40))
    if fate == "withdrawn":
        return made + _days(rng.randint(40, 90))
    if fate == "reassigned":
        return made + _days(60)
    return made + _days(35)  # renegotiated at the next meeting, before it fell due


def _renegotiated_due(fate: str, made: date, today: date, rng: random.Random) -> date:
    if fate == "renegotiated_open":
        return today + _days(rng.randint(20, 60))
    if fate == "renegotiated_overdue":
        return today - _days(10)
    return made + _days(80)  # renegotiated_late: kept the new date, late on the original one


def _outcome(fate: str, commitment: Commitment, today: date, rng: random.Random) -> list[tuple[str, date]]:
    """How (and when) the commitment was closed, if it was."""
    made, due = commitment.made_on, commitment.due
    if fate in ("on_time", "reassigned"):
        return [("fulfil", due - _days(rng.randint(0, 7)))]
    if fate in ("late", "renegotiated_late"):
        return [("fulfil", min(today, due + _days(rng.randint(5, 30))))]
    if fate == "missed":
        return [("miss", min(today, due + _days(14)))]
    if fate == "withdrawn":
        return [("withdraw", min(today, made + _days(rng.randint(7, 30))))]
    return []


def _attendees(number: int) -> list[str]:
    """The meeting's core, a seeded sample of others, and everyone who promised at it."""
    spec = MEETINGS[number]
    rng = random.Random(f"{SEED}/meeting/{number}")
    keys = list(CONVERSATION_CORE if spec.kind == "conversation" else CHANGE_GROUP_CORE)
    keys += rng.sample([who.key for who in ROSTER if who.key not in keys], k=spec.others)
    keys += [p.promisor for p in PROMISES if p.meeting == number]
    keys += [p.reassign_to for p in PROMISES if p.reassign_to and p.meeting == number - 1]
    if number < 2:
        keys.append(CLOSED.key)
    return list(dict.fromkeys(keys))


class _Tie(NamedTuple):
    source: str
    target: str
    kind: str
    intensity: int
    evidence: str
    valid_from: date
    changed_on: date | None = None
    rated_on: date | None = None
    ended_on: date | None = None
    end_reason: str = ""


def _ties(rng: random.Random, today: date) -> list[_Tie]:
    """ANCHOR_TIES, a second membership for each person, then seeded ties up to TIE_COUNT."""
    pairs = list(ANCHOR_TIES)
    seen = {frozenset(pair[:2]) for pair in pairs}
    people = [w.key for w in ROSTER if w.kind == PERSON and w.sector == "lived_experience"]
    circles = [w.key for w in ROSTER if w.kind != PERSON and w.sector in MEMBERSHIP_SECTORS]
    bodies = [w for w in ROSTER if w.kind != PERSON]
    weights = [3 if w.key in HUBS else 1 for w in bodies]
    while len(pairs) < TIE_COUNT:
        if len(pairs) < len(ANCHOR_TIES) + len(people):
            source, target = people[len(pairs) - len(ANCHOR_TIES)], rng.choice(circles)
            kind, intensity = "member_of", rng.choice((1, 2, 2, 3))
        else:
            first, second = rng.choices(bodies, weights)[0], rng.choice(bodies)
            source, target = first.key, second.key
            kind, intensity = _kind(rng, first, second), rng.choice((1, 2, 2, 2, 3, 3, 4))
        if source != target and frozenset((source, target)) not in seen:
            seen.add(frozenset((source, target)))
            pairs.append((source, target, kind, intensity))
    return [_dated(rng, today, pair) for pair in pairs]


def _kind(rng: random.Random, source: _Who, target: _Who) -> str:
    if source.sector == "public" and target.sector in MEMBERSHIP_SECTORS:
        return rng.choice(("funds", "commissions", "collaborates"))
    if source.sector in REFERRING_SECTORS and target.sector in MEMBERSHIP_SECTORS:
        return rng.choice(("refers_to", "refers_to", "collaborates"))
    return rng.choice(("collaborates", "collaborates", "shares_information", "other"))


def _dated(rng: random.Random, today: date, pair: tuple[str, str, str, int]) -> _Tie:
    """Valid-time dates, and whether it was re-rated, rated or ended (about 5%, 35%, 7%)."""
    source, target, kind, intensity = pair
    evidence = rng.choices(("declared", "survey", "observed"), (5, 3, 2))[0]
    age = 1000 if target == CLOSED.key else rng.randint(60, 1100)
    tie = _Tie(source, target, kind, intensity, evidence, today - _days(age))
    if target == CLOSED.key:
        return tie._replace(ended_on=today - _days(200), end_reason="The lunch club closed")
    draw = rng.random()
    if draw < 0.07:
        ended = tie.valid_from + _days(rng.randint(30, age - 1))
        return tie._replace(ended_on=ended, end_reason=rng.choice(END_REASONS))
    if draw < 0.12:
        tie = tie._replace(changed_on=tie.valid_from + _days(rng.randint(1, age - 1)))
    if draw < 0.12 or rng.random() < 0.35:
        rated = max(tie.valid_from, today - _days(rng.randint(14, 120)))
        tie = tie._replace(rated_on=rated)
    return tie


# The data of Riverside. Every organisation, group and person is invented.

ORGANISATION, GROUP, PERSON = "organisation", "group", "person"


class _Who(NamedTuple):
    key: str
    kind: str
    sector: str
    name: str
    assets: tuple[str, ...] = ()  # "category: description"
    notes: str = ""


def _org(key: str, sector: str, name: str, *assets: str) -> _Who:
    return _Who(key, ORGANISATION, sector, name, assets)


def _group(key: str, sector: str, name: str, *assets: str) -> _Who:
    return _Who(key, GROUP, sector, name, assets)


def _person(key: str, sector: str, name: str, role: str) -> _Who:
    return _Who(key, PERSON, sector, name, (), role)


# The tables below are laid out by hand, one record a line where it fits.
# fmt: off
ROSTER: tuple[_Who, ...] = (
    _org("asc", "public", "Riverside Borough Council Adult Social Care",
         "knowledge: Social work team and Care Act assessments",
         "service: Short breaks and respite for carers"),
    _org("comm", "public", "Riverside Borough Council Commissioning Team",
         "funding: Prevention and early help commissioning budget"),
    _org("ph", "public", "Riverside Borough Council Public Health",
         "knowledge: Joint Strategic Needs Assessment and ward data",
         "funding: Health improvement grants"),
    _org("libs", "public", "Riverside Libraries Service",
         "venue: Six branch libraries with free community rooms",
         "equipment: Public computers and digital help sessions"),
    _org("comdev", "public", "Riverside Borough Council Community Development Team",
         "network: Links with more than 200 community groups"),
    _org("jobs", "public", "Riverside Jobcentre",
         "service: Work coaches and disability employment advisers"),
    _org("nhs", "health", "Riverside & District NHS Trust",
         "service: Community nursing and the hospital discharge team",
         "knowledge: Frailty and falls specialists"),
    _org("pcn", "health", "Riverside Primary Care Network",
         "service: Social prescribing link workers"),
    _org("surgery", "health", "Millbrook Medical Practice", "venue: Health centre meeting room"),
    _org("cmht", "health", "Riverside Community Mental Health Team",
         "knowledge: Mental health recovery practitioners"),
    _org("icb", "health", "Riverside Place Team, North West Integrated Care Board",
         "funding: Place-based partnership fund"),
    _org("pharmacy", "health", "Riverside Community Pharmacy Network",
         "service: Medicines reviews and blood pressure checks"),
    _org("homes", "housing", "Riverside Homes",
         "venue: Community lounges in three sheltered housing schemes",
         "service: Tenancy sustainment officers"),
    _org("weaver", "housing", "Weaver Valley Housing Trust",
         "funding: Community investment fund"),
    _org("kingfisher", "housing", "Kingfisher Court Extra Care Housing",
         "venue: Kingfisher Court community lounge and cafe"),
    _org("options", "housing", "Riverside Borough Council Housing Options Service",
         "service: Homelessness prevention and housing advice"),
    _org("foodbank", "vcse", "Riverside Food Bank",
         "volunteers: Around sixty volunteers",
         "service: Emergency food parcels and a weekly community pantry"),
    _org("carers", "vcse", "Riverside Carers Centre",
         "service: Carers' advice line and support groups",
         "knowledge: Carers' rights training"),
    _org("agewell", "vcse", "Riverside Age Well",
         "service: Befriending and a home-from-hospital service",
         "volunteers: Trained befrienders"),
    _org("advice", "vcse", "Riverside Advice Centre",
         "knowledge: Welfare benefits and debt advice"),
    _org("transport", "vcse", "Riverside Community Transport",
         "transport: Four accessible minibuses and volunteer drivers"),
    _org("alliance", "vcse", "Riverside Mental Health Alliance", "service: Peer support groups"),
    _org("cvs", "vcse", "Riverside Council for Voluntary Service",
         "network: Voluntary sector forum of 150 members",
         "knowledge: Funding advice for small groups"),
    _org("disability", "vcse", "Riverside Disability Forum", "knowledge: Accessibility audits"),
    _org("youngcarers", "vcse", "Riverside Young Carers Project",
         "service: Young carers' clubs and support in schools"),
    _org("dementia", "vcse", "Riverside Dementia Support",
         "service: Dementia advisers for families"),
    _org("stannes", "faith", "St Anne's Church",
         "venue: Church hall with a kitchen",
         "volunteers: Warm space volunteers"),
    _org("mosque", "faith", "Riverside Central Mosque",
         "venue: Community hall",
         "network: Links with South Asian families across the borough"),
    _org("methodist", "faith", "Riverside Methodist Church", "venue: Cafe on the high street"),
    _org("gurdwara", "faith", "Riverside Gurdwara", "service: Langar community meals, open to all"),
    _org("chamber", "business", "Riverside Chamber of Commerce",
         "network: Local employers' network"),
    _org("bakery", "business", "Millbrook Bakery", "other: Surplus bread for the food bank"),
    _org("taxis", "business", "Riverside Taxis", "transport: Wheelchair-accessible taxis"),
    _org("northgate", "business", "Northgate Shopping Centre",
         "venue: Empty shop unit for pop-up events"),
    _org("printworks", "business", "Riverside Print Works",
         "equipment: Community leaflets printed at cost"),
    _person("okafor", "elected_member", "Cllr Patricia Okafor", "Ward councillor, Kingfisher"),
    _person("hughes", "elected_member", "Cllr David Hughes", "Cabinet member for adult care"),
    _person("shah", "elected_member", "Cllr Imran Shah", "Ward councillor, Millbrook"),
    _group("tenants", "community_group", "Kingfisher Estate Tenants' and Residents' Association",
           "network: Door-knocking network across the estate"),
    _group("memorycafe", "community_group", "Riverside Memory Cafe",
           "service: Monthly cafe for people living with dementia and their carers"),
    _group("walking", "community_group", "Riverside Walking for Health Group",
           "volunteers: Trained walk leaders"),
    _group("parkfriends", "community_group", "Friends of Riverside Park", "venue: Park pavilion"),
    _group("olderforum", "community_group", "Riverside Older People's Forum",
           "knowledge: Older residents' views on local services"),
    _group("allotments", "community_group", "Millbrook Allotment Society",
           "other: Fresh produce shared with the food bank"),
    _group("shed", "community_group", "Riverside Men's Shed",
           "equipment: Woodwork tools and a workshop"),
    _group("carersvoice", "lived_experience", "Riverside Carers' Voice",
           "knowledge: Family carers' experience of services"),
    _group("selfadvocacy", "lived_experience", "Riverside Self-Advocacy Group",
           "knowledge: Easy read checking by people with learning disabilities"),
    _person("doyle", "lived_experience", "Margaret Doyle", "Family carer"),
    _person("nowak", "lived_experience", "Tomasz Nowak", "Expert by experience"),
    _person("rahman", "lived_experience", "Aisha Rahman", "Family carer"),
    _person("brennan", "lived_experience", "Kevin Brennan", "Draws on care and support"),
    _person("mensah", "lived_experience", "Grace Mensah", "Expert by experience"),
    _person("lloyd", "lived_experience", "Peter Lloyd", "Family carer"),
    _person("patel", "lived_experience", "Sunita Patel", "Family carer"),
    _person("whitworth", "lived_experience", "Joan Whitworth", "Draws on care and support"),
    _person("murphy", "lived_experience", "Daniel Murphy", "Expert by experience"),
    _person("carter", "lived_experience", "Leanne Carter", "Young adult carer"),
    _org("college", "education", "Riverside College",
         "knowledge: Health and social care courses", "volunteers: Student placements"),
    _org("school", "education", "Millbrook Primary School", "venue: School hall in the evenings"),
    _org("university", "education", "University of the North West, School of Social Work",
         "knowledge: Evaluation and research support"),
    _org("adultlearning", "education", "Riverside Adult Learning Service",
         "service: Free digital skills courses"),
    _org("police", "police_fire", "Riverside Neighbourhood Policing Team",
         "knowledge: Neighbourhood safety data"),
    _org("fire", "police_fire", "Riverside Fire and Rescue Community Safety Team",
         "service: Safe and well home visits"),
    _org("creditunion", "other", "Riverside Credit Union", "service: Affordable loans and savings"),
    _org("radio", "other", "Riverside Community Radio",
         "network: Weekly community affairs programme"),
    _org("voice", "other", "Riverside Patient and Public Voice",
         "knowledge: Reports on people's experience of health and care"),
)
DUPLICATE = _org("foodbank-duplicate", "vcse", "Riverside Foodbank")
DUPLICATE_OF = "foodbank"
CLOSED = _group("lunchclub", "community_group", "Riverside Friday Lunch Club")
BY_KEY: dict[str, _Who] = {who.key: who for who in (*ROSTER, DUPLICATE, CLOSED)}

TIE_COUNT = 150
HUBS = ("asc", "comm", "nhs", "pcn", "cvs", "carers", "foodbank", "homes", "agewell", "stannes")
MEMBERSHIP_SECTORS = ("vcse", "community_group", "lived_experience", "faith")
REFERRING_SECTORS = ("health", "housing", "police_fire", "public", "education")
ANCHOR_TIES: tuple[tuple[str, str, str, int], ...] = (
    ("comm", "foodbank", "funds", 3),
    ("comm", "carers", "commissions", 4),
    ("comm", "agewell", "commissions", 3),
    ("comm", "transport", "funds", 2),
    ("asc", "carers", "refers_to", 3),
    ("asc", "comm", "collaborates", 4),
    ("nhs", "asc", "collaborates", 3),
    ("icb", "nhs", "funds", 4),
    ("pcn", "agewell", "refers_to", 3),
    ("pcn", "foodbank", "refers_to", 2),
    ("ph", "comm", "shares_information", 3),
    ("cvs", "foodbank", "collaborates", 2),
    ("stannes", "foodbank", "collaborates", 3),
    ("homes", "tenants", "collaborates", 2),
    ("homes", "kingfisher", "collaborates", 3),
    ("carers", "carersvoice", "collaborates", 3),
    ("stannes", CLOSED.key, "collaborates", 3),
    ("okafor", "asc", "shares_information", 2),
    ("hughes", "tenants", "collaborates", 2),
    ("shah", "mosque", "collaborates", 3),
    ("doyle", "carersvoice", "member_of", 3),
    ("nowak", "selfadvocacy", "member_of", 4),
    ("rahman", "carersvoice", "member_of", 3),
    ("brennan", "selfadvocacy", "member_of", 2),
    ("mensah", "tenants", "member_of", 2),
    ("lloyd", "memorycafe", "member_of", 2),
    ("patel", "carersvoice", "member_of", 2),
    ("whitworth", "olderforum", "member_of", 3),
    ("murphy", "shed", "member_of", 2),
    ("carter", "youngcarers", "member_of", 1),
)
END_REASONS = (
    "Funding for the joint project ended",
    "The service was recommissioned",
    "The contact moved on and the link lapsed",
)


class _MeetingSpec(NamedTuple):
    days_ago: int
    kind: str
    title: str
    place: str
    others: int  # how many beyond the core are drawn to attend
    decisions: tuple[str, ...]


MEETINGS: tuple[_MeetingSpec, ...] = (
    _MeetingSpec(344, "change_group", "Change Group: getting started", "Riverside Central Library",
                 5, ("Meet monthly, rotating venues across the borough",
                     "Pay people with lived experience for their time at the group")),
    _MeetingSpec(314, "workshop", "Asset mapping workshop: what Riverside already has",
                 "St Anne's Church Hall", 14, ("Publish the asset map for everyone to use",)),
    _MeetingSpec(284, "change_group", "Change Group: what matters to people",
                 "Kingfisher Court community lounge", 5,
                 ("Focus the first year on carers' breaks and on loneliness",)),
    _MeetingSpec(254, "change_group", "Change Group: agreeing our action plan",
                 "Riverside Central Library", 6, ("Agree the action plan and its three goals",)),
    _MeetingSpec(224, "conversation", "Community conversation on the Kingfisher Estate",
                 "Kingfisher Court community lounge", 3,
                 ("Hold the next conversation in the evening so that working carers can come",)),
    _MeetingSpec(194, "change_group", "Change Group: carers' breaks", "Riverside Carers Centre",
                 5, ("Co-produce a carers' breaks offer with carers",
                     "Ask the commissioners to test a small grants pot")),
    _MeetingSpec(164, "change_group", "Change Group: loneliness and connection",
                 "Riverside Methodist Church cafe", 5,
                 ("Link social prescribers with befriending and walking groups",)),
    _MeetingSpec(134, "workshop", "Co-production workshop: redesigning short breaks",
                 "Riverside College", 14, ("Pilot the new short breaks offer for six months",)),
    _MeetingSpec(104, "change_group", "Change Group: six-month review",
                 "Riverside Central Library", 5,
                 ("Keep both priorities and add hospital discharge to the agenda",)),
    _MeetingSpec(74, "conversation", "Conversation with family carers", "Riverside Carers Centre",
                 3, ("Publish every leaflet of the pilot in easy read",)),
    _MeetingSpec(44, "change_group", "Change Group: winter pressures", "St Anne's Church Hall", 5,
                 ("Coordinate warm spaces and transport over the winter",)),
    _MeetingSpec(14, "change_group", "Change Group: progress on the plan",
                 "Riverside Central Library", 5, ("Review the pilot's take-up in the spring",)),
)
CHANGE_GROUP_CORE = (
    "asc", "comm", "nhs", "pcn", "foodbank", "carers", "cvs", "homes", "agewell",
    "okafor", "carersvoice", "doyle", "nowak", "rahman",
)
CONVERSATION_CORE = (
    "comdev", "carers", "tenants", "doyle", "rahman", "brennan", "mensah", "lloyd", "patel",
    "whitworth", "murphy", "carter",
)
PLAN_AGREED_AT = 3


class _Promise(NamedTuple):
    meeting: int
    promisor: str
    promisees: tuple[str, ...]  # none: made to the Change Group
    what: str
    goal: int | None
    fate: str
    reassign_to: str | None = None


PROMISES: tuple[_Promise, ...] = (
    _Promise(0, "cvs", (), "Circulate a map of the voluntary groups working with older people",
             None, "on_time"),
    _Promise(0, "asc", ("carers",), "Share anonymised figures on carers' assessments last year",
             None, "late"),
    _Promise(0, "libs", (), "Offer the Central Library community room free for the group",
             None, "on_time"),
    _Promise(0, "nhs", ("asc",), "Nominate a discharge team lead to join the Change Group",
             None, "missed"),
    _Promise(1, "comdev", (), "Publish the asset map from the workshop on the council website",
             None, "late"),
    _Promise(1, "stannes", ("foodbank",), "Open the church hall for a second pantry session",
             None, "on_time"),
    _Promise(1, "transport", ("agewell",), "Test a shared booking line for trips and befriending",
             None, "withdrawn"),
    _Promise(1, "nowak", (), "Co-write the easy read summary of the asset map", None, "on_time"),
    _Promise(2, "carersvoice", (), "Gather carers' stories of what a good break looks like",
             None, "on_time"),
    _Promise(2, "ph", ("comm",), "Produce a loneliness needs profile by ward",
             None, "renegotiated_late"),
    _Promise(2, "homes", ("tenants",), "Open the sheltered scheme lounges to estate residents",
             None, "missed"),
    _Promise(3, "comm", ("carers", "agewell"), "Set aside a small grants pot for carers' breaks",
             1, "on_time"),
    _Promise(3, "pcn", ("agewell",), "Agree a referral route from social prescribers to befriending",
             2, "overdue"),
    _Promise(3, "asc", (), "Report the social care quality of life score each quarter",
             0, "renegotiated_open"),
    _Promise(3, "okafor", (), "Raise carers' breaks at the Health and Wellbeing Board",
             1, "due_soon"),
    _Promise(4, "tenants", ("homes",), "Survey estate residents about who feels isolated",
             2, "late"),
    _Promise(4, "homes", ("tenants",), "Fix the lighting on the path to the community lounge",
             None, "withdrawn"),
    _Promise(4, "fire", ("kingfisher",), "Offer safe and well visits to every Kingfisher resident",
             None, "missed"),
    _Promise(5, "carers", ("asc",), "Draft a carers' breaks offer with carers", 1, "reassigned",
             "carersvoice"),
    _Promise(5, "asc", ("carers",), "Review how carers are offered a direct payment for breaks",
             1, "renegotiated_overdue"),
    _Promise(5, "youngcarers", ("school",), "Train school staff to spot young carers",
             None, "due_soon"),
    _Promise(5, "rahman", (), "Test the draft breaks offer with other carers", 1, "withdrawn"),
    _Promise(6, "agewell", ("pcn",), "Recruit ten more befrienders", 2, "late"),
    _Promise(6, "walking", (), "Start a gentle walk from the Memory Cafe", 2, "on_time"),
    _Promise(6, "radio", (), "Run a monthly programme slot on local groups to join", 2, "missed"),
    _Promise(6, "libs", ("olderforum",), "Host a weekly knit and natter group", 2, "open"),
    _Promise(7, "college", ("carers",), "Place students with the carers' sitting service",
             1, "missed"),
    _Promise(7, "university", (), "Design a light-touch evaluation of the breaks pilot", 1, "open"),
    _Promise(7, "disability", ("asc",), "Check the short breaks leaflet for accessibility",
             0, "open"),
    _Promise(8, "icb", ("comm",), "Confirm place-based funding for the breaks pilot", 1, "overdue"),
    _Promise(8, "nhs", ("asc", "agewell"), "Ask about loneliness in discharge planning",
             2, "renegotiated_open"),
    _Promise(8, "foodbank", ("advice",), "Offer benefits checks at every pantry session",
             None, "withdrawn"),
    _Promise(9, "asc", ("carersvoice",), "Publish the carers' breaks offer in easy read",
             1, "overdue"),
    _Promise(9, "mosque", ("carers",), "Host a carers' drop-in in Urdu and Punjabi", 1, "late"),
    _Promise(10, "transport", ("nhs",), "Keep two minibuses on standby for winter discharges",
             None, "due_soon"),
    _Promise(10, "gurdwara", ("foodbank",), "Share langar meals with food bank users in winter",
             None, "overdue"),
    _Promise(10, "options", ("homes",), "Agree a fast track for people delayed in hospital",
             None, "open"),
    _Promise(10, "hughes", (), "Ask full council for a warm spaces grant", None, "withdrawn"),
    _Promise(11, "carers", ("asc",), "Report take-up of the carers' breaks pilot", 1, "due_soon"),
    _Promise(11, "comm", (), "Bring draft prevention commissioning intentions to the group",
             0, "due_soon"),
)
PROGRESS_NOTES = {
    25: "Started; first conversations held",
    50: "About half done",
    75: "Nearly there; final checks under way",
}
RENEGOTIATION_REASONS = (
    "Waiting for the new data release",
    "A staff vacancy delayed the work",
    "Linked to the council's budget setting",
)
REASSIGN_REASON = "Carers offered to lead it themselves, with the Carers Centre's support"
EVIDENCE = (
    "Reported at the Change Group",
    "Shared with the group by email",
    "Published on the partnership web page",
)
MISSED_REASONS = ("No capacity after staff changes", "Funding was not confirmed in time", "")
WITHDRAWN_REASONS = (
    "Overtaken by the carers' breaks pilot",
    "Another partner is doing this instead",
    "Circumstances changed",
)


class _MeasureSpec(NamedTuple):
    name: str
    unit: str = ""  # no unit: a qualitative measure
    baseline: str = ""
    target: str = ""
    code: str = ""
    stories: tuple[str, ...] = ()


class _Goal(NamedTuple):
    title: str
    description: str
    measures: tuple[_MeasureSpec, ...]


PLAN_TITLE = "Living well at home in Riverside"
PLAN_SUMMARY = "The Change Group's shared plan for its first two years, coproduced with carers."
GOALS: tuple[_Goal, ...] = (
    _Goal(
        "People who draw on care and support have more control over their daily lives",
        "Support that fits the life people want, not the other way round.",
        (
            _MeasureSpec("Social care-related quality of life", "score out of 24", "18.9", "19.6",
                         "ASCOF-1A"),
            _MeasureSpec("Stories of choice and control", stories=(
                "A man who draws on support now uses his direct payment for a weekly swim.",
                "People at the self-advocacy group checked every leaflet of the pilot.",
                "A woman chose to move her care visits so that she can keep volunteering.",
                "Two people now co-chair the Change Group's review of short breaks.",
            )),
        ),
    ),
    _Goal(
        "Family carers get a break when they need one",
        "Breaks that carers design, book easily and trust.",
        (
            _MeasureSpec("Carers who had a break in the last three months", "carers", "40", "120"),
            _MeasureSpec("Carer-reported quality of life", "score out of 12", "7.3", "8.0",
                         "ASCOF-1D"),
        ),
    ),
    _Goal(
        "Fewer people in Riverside are lonely or isolated",
        "Connections through the groups, places and people the area already has.",
        (
            _MeasureSpec("People who have as much social contact as they would like", "%",
                         "41.0", "50.0", "ASCOF-1I"),
            _MeasureSpec("What people tell us about connection", stories=(
                "Residents of Kingfisher Court started a Tuesday coffee morning themselves.",
                "A carer said the memory cafe was the first place she felt understood.",
                "The walking group now has a regular who had not left home for a year.",
                "Young carers asked for a club during the summer holidays.",
            )),
        ),
    ),
)
OBSERVED_DAYS_AGO = (240, 150, 60, 10)
# fmt: on
