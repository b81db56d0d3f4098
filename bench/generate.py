"""Deterministic synthetic localities for the benchmarks.

A locality of N stakeholders has a realistic mix: sectors weighted as in a typical
English place (many VCSE and community groups, fewer councillors), one in ten
stakeholders a person (most of the lived-experience sector), 5N current relationships
drawn with sector homophily and preferential attachment (a few hubs, many small
players), a few ended, re-rated or intensified; N/10 meetings over two years with a
core Change Group and a changing cast, decisions at them; N/2 commitments made at
meetings, a third of them still open, the rest fulfilled, missed or withdrawn,
some renegotiated, most with progress reported.

:func:`plan_locality` draws the rows from a seed (the same seed and day give the same
rows); :func:`write_locality` writes them straight as aggregates, built in memory and
saved through the Application ``batch_size`` aggregates per transaction. The ids of
stakeholders are fixed by the seed; those of other records are eventsourcing's own.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.application import CivicWeave
from domain.base import CivicAggregate
from domain.commitment import Commitment
from domain.meeting import Meeting
from domain.privacy import MemoryKeyStore, PersonalData
from domain.relationship import Relationship
from domain.stakeholder import Stakeholder
from domain.vocabulary import DIRECTED_KINDS, TRUST_DIMENSIONS, VALUE_DIMENSIONS

ACTOR = "bench"
SIZES = (200, 2_000, 20_000)
TIES_PER_STAKEHOLDER = 5
#: Share of stakeholders in each sector (weights, not percentages).
SECTOR_WEIGHTS = {
    "vcse": 24,
    "community_group": 15,
    "public": 12,
    "health": 10,
    "lived_experience": 9,
    "housing": 6,
    "faith": 6,
    "business": 6,
    "education": 4,
    "police_fire": 3,
    "elected_member": 3,
    "other": 2,
}
RELATIONSHIP_KINDS = {
    "collaborates": 35,
    "shares_information": 25,
    "refers_to": 15,
    "member_of": 8,
    "funds": 6,
    "commissions": 5,
    "other": 6,
}
ASSETS = ("venue", "volunteers", "transport", "knowledge", "funding", "network", "equipment", "service")
MEETING_KINDS = {"change_group": 40, "workshop": 25, "conversation": 15, "networking": 15, "peer_network": 5}


@dataclass(frozen=True)
class StakeholderRow:
    id: UUID
    kind: str
    sector: str
    name: str
    since: date
    assets: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TieRow:
    source: int
    target: int
    kind: str
    intensity: int
    valid_from: date
    rated: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    intensified: tuple[int, date] | None = None
    ended: date | None = None


@dataclass(frozen=True)
class MeetingRow:
    kind: str
    title: str
    held_on: date
    status: str  # held, cancelled or scheduled
    attendees: tuple[int, ...]
    decisions: int


@dataclass(frozen=True)
class CommitmentRow:
    promisor: int
    promisees: tuple[int, ...]
    meeting: int
    what: str
    due: date
    progress: int
    renegotiated: date | None
    outcome: tuple[str, date] | None


@dataclass
class LocalityPlan:
    """The rows of one synthetic locality; stakeholders are referred to by position."""

    slug: str
    name: str
    today: date
    stakeholders: list[StakeholderRow] = field(default_factory=list)
    ties: list[TieRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    commitments: list[CommitmentRow] = field(default_factory=list)

    @property
    def current_ties(self) -> int:
        return sum(1 for tie in self.ties if tie.ended is None)


def _weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def plan_locality(stakeholders: int, *, slug: str, today: date, seed: int = 1) -> LocalityPlan:
    """The rows of a locality of ``stakeholders`` stakeholders and 5 times as many current ties."""
    rng = random.Random(f"{seed}/{slug}/{stakeholders}")
    plan = LocalityPlan(slug=slug, name=f"Bench {slug}", today=today)
    start = today - timedelta(days=3 * 365)
    _stakeholders(plan, rng, stakeholders, start)
    _ties(plan, rng, stakeholders * TIES_PER_STAKEHOLDER, start)
    _meetings(plan, rng, max(10, stakeholders // 10))
    _commitments(plan, rng, max(20, stakeholders // 2))
    return plan


def _stakeholders(plan: LocalityPlan, rng: random.Random, count: int, start: date) -> None:
    namespace = uuid5(NAMESPACE_URL, f"/bench/{plan.slug}")
    for number, sector in enumerate(_weighted(rng, SECTOR_WEIGHTS, count)):
        person = rng.random() < (0.7 if sector == "lived_experience" else 0.03)
        kind = "person" if person else rng.choice(("organisation", "organisation", "group"))
        assets = tuple(
            (category, f"{category} offered by stakeholder {number}")
            for category in rng.sample(ASSETS, k=rng.choice((0, 0, 0, 1, 1, 2)))
        )
        plan.stakeholders.append(
            StakeholderRow(
                id=uuid5(namespace, str(number)),
                kind=kind,
                sector=sector,
                name=f"{sector.replace('_', ' ').title()} {number:06d}",
                since=start + timedelta(days=rng.randrange(200)),
                assets=assets,
            )
        )


def _ties(plan: LocalityPlan, rng: random.Random, current: int, start: date) -> None:
    n = len(plan.stakeholders)
    by_sector: dict[str, list[int]] = {}
    for i, row in enumerate(plan.stakeholders):
        by_sector.setdefault(row.sector, []).append(i)
    attachment = list(range(n))  # each tie adds its ends: a degree-weighted draw
    seen: set[tuple[int, int]] = set()
    ended = current // 20
    kinds = _weighted(rng, RELATIONSHIP_KINDS, current + ended)
    while len(plan.ties) < current + ended:
        a = rng.randrange(n)
        if rng.random() < 0.4:
            b = rng.choice(by_sector[plan.stakeholders[a].sector])
        else:
            b = rng.choice(attachment)
        pair = (min(a, b), max(a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        attachment += (a, b)
        valid_from = start + timedelta(days=200 + rng.randrange(700))
        index = len(plan.ties)
        roll = rng.random()
        plan.ties.append(
            TieRow(
                source=a,
                target=b,
                kind=kinds[index],
                intensity=rng.choice((1, 2, 2, 3, 3, 4)),
                valid_from=valid_from,
                rated=_rating(rng) if roll < 0.2 else None,
                intensified=(rng.randint(1, 4), valid_from + timedelta(days=90))
                if 0.2 <= roll < 0.3
                else None,
                ended=valid_from + timedelta(days=30 + rng.randrange(60)) if index >= current else None,
            )
        )


def _rating(rng: random.Random) -> tuple[tuple[int, ...], tuple[int, ...]]:
    trust = tuple(rng.randint(1, 4) for _ in TRUST_DIMENSIONS)
    value = tuple(rng.randint(1, 4) for _ in VALUE_DIMENSIONS)
    return trust, value


def _meetings(plan: LocalityPlan, rng: random.Random, count: int) -> None:
    n = len(plan.stakeholders)
    core = rng.sample(range(n), k=max(8, min(40, n // 20)))
    for number, kind in enumerate(_weighted(rng, MEETING_KINDS, count)):
        days_ago = 730 - (730 * number) // count - 20  # the last few are still to come
        held_on = plan.today - timedelta(days=days_ago)
        status = "scheduled" if held_on > plan.today else "cancelled" if rng.random() < 0.05 else "held"
        regulars = rng.sample(core, k=min(len(core), rng.randint(5, 12)))
        visitors = rng.sample(range(n), k=min(n, rng.randint(3, 15)))
        plan.meetings.append(
            MeetingRow(
                kind=kind,
                title=f"{kind.replace('_', ' ').title()} {number + 1}",
                held_on=held_on,
                status=status,
                attendees=tuple(dict.fromkeys(regulars + visitors)) if status == "held" else (),
                decisions=rng.choice((0, 1, 1, 2)) if status == "held" else 0,
            )
        )


def _commitments(plan: LocalityPlan, rng: random.Random, count: int) -> None:
    held = [i for i, m in enumerate(plan.meetings) if m.status == "held"]
    for number in range(count):
        meeting = rng.choice(held)
        row = plan.meetings[meeting]
        promisor, *promisees = rng.sample(row.attendees, k=min(len(row.attendees), rng.randint(1, 3)))
        due = row.held_on + timedelta(days=rng.randint(14, 180))
        roll = rng.random()
        outcome = None
        if roll < 0.45 and due <= plan.today:
            outcome = ("fulfilled", min(plan.today, due + timedelta(days=rng.randint(-10, 20))))
        elif roll < 0.6 and due < plan.today:
            outcome = ("missed", due + timedelta(days=1))
        elif roll < 0.67:
            outcome = ("withdrawn", min(plan.today, row.held_on + timedelta(days=7)))
        plan.commitments.append(
            CommitmentRow(
                promisor=promisor,
                promisees=tuple(promisees),
                meeting=meeting,
                what=f"Commitment {number + 1}: follow up the action agreed at {row.title}",
                due=due,
                progress=rng.choice((0, 1, 1, 2)) if outcome is None or outcome[1] > row.held_on else 0,
                renegotiated=due + timedelta(days=30) if rng.random() < 0.1 else None,
                outcome=outcome,
            )
        )


class Batches:
    """Aggregates saved ``size`` at a time, each batch in one transaction; the keys of
    the persons they seal are stored, all at once, just before the batch."""

    def __init__(self, app: CivicWeave, size: int) -> None:
        self.app, self.size = app, size
        self.pending: dict[UUID, CivicAggregate] = {}
        self.keys = MemoryKeyStore()
        self.sealer = PersonalData(self.keys)
        self.events = 0

    def add(self, aggregate: CivicAggregate) -> None:
        self.pending[aggregate.id] = aggregate
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.app.personal.keys.put_many(self.keys.items())
            self.keys = self.sealer.keys = MemoryKeyStore()
            self.events += sum(len(a.pending_events) for a in self.pending.values())
            self.app.commit(*self.pending.values())
            self.pending.clear()


def write_locality(app: CivicWeave, plan: LocalityPlan, *, batch_size: int = 1000) -> int:
    """Write the locality as aggregates in batches; returns the number of events saved."""
    app.register_locality(plan.slug, plan.name, "Bench", actor=ACTOR)
    locality_id = app.locality(plan.slug).id
    batches = Batches(app, batch_size)
    ids = _write_stakeholders(plan, batches, locality_id)
    for aggregate in _relationships(plan, ids, locality_id):
        batches.add(aggregate)
    meetings = []
    for meeting in _meetings_of(plan, ids, locality_id):
        meetings.append(meeting)
        batches.add(meeting)
    for commitment in _commitments_of(plan, ids, meetings, locality_id):
        batches.add(commitment)
    batches.flush()
    return batches.events + 1


def _write_stakeholders(plan: LocalityPlan, batches: Batches, locality_id: UUID) -> list[UUID]:
    for row in plan.stakeholders:
        details = {"name": row.name, "contact": "", "notes": ""}
        if row.kind == "person":
            sealed = batches.sealer.seal(row.id, details)
            details = {"name": "", "contact": "", "notes": "", "sealed": sealed}
        else:
            details["sealed"] = ""
        stakeholder = Stakeholder(
            id=row.id,
            locality_id=locality_id,
            kind=row.kind,
            sector=row.sector,
            actor=ACTOR,
            effective=row.since,
            **details,
        )
        for number, (category, description) in enumerate(row.assets):
            stakeholder.record_asset(uuid5(row.id, f"asset/{number}"), category, description, actor=ACTOR)
        batches.add(stakeholder)
    return [row.id for row in plan.stakeholders]


def _relationships(plan: LocalityPlan, ids: list[UUID], locality_id: UUID) -> Iterator[Relationship]:
    for tie in plan.ties:
        relationship = Relationship(
            locality_id=locality_id,
            source_id=ids[tie.source],
            target_id=ids[tie.target],
            kind=tie.kind,
            directed=tie.kind in DIRECTED_KINDS,
            intensity=tie.intensity,
            source="declared",
            valid_from=tie.valid_from,
            actor=ACTOR,
            effective=tie.valid_from,
        )
        if tie.rated is not None:
            trust, value = tie.rated
            relationship.rate("survey", trust, value, actor=ACTOR, on=tie.valid_from + timedelta(days=30))
        if tie.intensified is not None and tie.intensified[0] != tie.intensity:
            relationship.change_intensity(tie.intensified[0], actor=ACTOR, on=tie.intensified[1])
        if tie.ended is not None:
            relationship.end(tie.ended, "the work together came to an end", actor=ACTOR)
        yield relationship


def _meetings_of(plan: LocalityPlan, ids: list[UUID], locality_id: UUID) -> Iterator[Meeting]:
    for number, row in enumerate(plan.meetings):
        meeting = Meeting(
            locality_id=locality_id,
            kind=row.kind,
            title=row.title,
            held_on=row.held_on,
            place="Community hall",
            actor=ACTOR,
            effective=row.held_on,
        )
        if row.status == "held":
            meeting.hold(row.held_on, actor=ACTOR)
            attendees = tuple(ids[i] for i in row.attendees)
            meeting.record_attendance(attendees, actor=ACTOR)
            for decision in range(row.decisions):
                meeting.record_decision(
                    uuid5(NAMESPACE_URL, f"/bench/{plan.slug}/meeting/{number}/decision/{decision}"),
                    f"Agreed at {row.title}: item {decision + 1}",
                    attendees[:3],
                    actor=ACTOR,
                )
        elif row.status == "cancelled":
            meeting.cancel("not enough people could come", actor=ACTOR)
        yield meeting


def _commitments_of(
    plan: LocalityPlan, ids: list[UUID], meetings: list[Meeting], locality_id: UUID
) -> Iterator[Commitment]:
    for row in plan.commitments:
        meeting = meetings[row.meeting]
        commitment = Commitment(
            locality_id=locality_id,
            promisor_id=ids[row.promisor],
            promisee_ids=tuple(ids[i] for i in row.promisees),
            to_change_group=not row.promisees,
            what=row.what,
            made_on=meeting.held_on,
            due=row.due,
            meeting_id=meeting.id,
            goal_id=None,
            actor=ACTOR,
            effective=meeting.held_on,
        )
        last = row.outcome[1] if row.outcome else plan.today
        for step in range(row.progress):
            on = meeting.held_on + (last - meeting.held_on) * (step + 1) // (row.progress + 1)
            commitment.report_progress(
                "on track", percent=50 * (step + 1), evidence="", meeting_id=None, actor=ACTOR, on=on
            )
        if row.renegotiated is not None and row.outcome is None:
            commitment.renegotiate(
                row.renegotiated,
                "more time needed",
                meeting_id=None,
                actor=ACTOR,
                on=min(plan.today, row.due),
            )
        if row.outcome is not None:
            status, on = row.outcome
            if status == "fulfilled":
                commitment.fulfil("done", on=on, actor=ACTOR)
            elif status == "missed":
                commitment.miss("not done in time", on=on, actor=ACTOR)
            else:
                commitment.withdraw("no longer needed", on=on, actor=ACTOR)
        yield commitment


def national_plans(events: int, *, today: date, seed: int = 1) -> Iterator[LocalityPlan]:
    """Localities of 20,000, 2,000 and 200 stakeholders in turn (largest first) until
    about ``events`` events: a national peer network's store. Each 20,000 locality
    is about 200,000 events, a 2,000 one about 20,000."""
    expected = {20_000: 200_000, 2_000: 20_000, 200: 2_000}
    remaining, number = events, 0
    for size in (20_000, 2_000, 200):
        while remaining >= expected[size] * 0.9:
            number += 1
            yield plan_locality(size, slug=f"n{number:03d}-{size}", today=today, seed=seed)
            remaining -= expected[size]
