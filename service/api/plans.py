"""Action plans and their measures: the plan a Change Group coproduces and agrees, its
goals, and the measures of those goals with their observations over time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field, StringConstraints

from domain.errors import NotFoundError
from domain.vocabulary import MeasureKind
from projections.state import MeasureState
from service.api.commitments import MAX_IDS, NO_NUL, Name, OptionalText, PageQuery, Strict, Text
from service.api.deps import IfMatchDep, ReaderDep, ReadSlug, WriteDep
from service.api.localities import etag
from service.api.schemas import Page, WritePublic
from service.api.writes import written

router = APIRouter(prefix="/localities/{slug}/plans", tags=["plans"])
measures_router = APIRouter(prefix="/localities/{slug}/measures", tags=["measures"])

PlanStatus = Literal["draft", "agreed"]
Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40, pattern=NO_NUL)]
Story = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000, pattern=NO_NUL)]
# Bounded, so that no figure computed from them can overflow.
Number = Annotated[Decimal, Field(ge=-(10**15), le=10**15, decimal_places=6)]


class PlanCreate(Strict):
    title: Name
    summary: OptionalText = ""


class GoalCreate(Strict):
    title: Name
    description: OptionalText = ""


class PlanAgreement(Strict):
    meeting_id: UUID = Field(description="The meeting it was agreed at")
    agreed_by: Annotated[
        list[UUID], Field(min_length=1, max_length=MAX_IDS, description="Attendees who agreed it")
    ]


class PlanRevision(Strict):
    title: Name
    summary: OptionalText = ""
    reason: Text


class MeasureCreate(Strict):
    plan_id: UUID
    goal_id: UUID
    name: Name
    kind: MeasureKind
    unit: Code = Field("", description="Needed for a quantitative measure, e.g. 'people' or '%'")
    baseline: Number | None = None
    target: Number | None = None
    shared_code: Code = Field("", description="A code shared across localities, e.g. an ASCOT item")


class ObservationCreate(Strict):
    on: date
    value: Number | None = Field(None, description="Needed for a quantitative measure")
    story: Story = Field("", description="Needed for a qualitative measure")
    evidence: OptionalText = ""


class GoalPublic(BaseModel):
    id: UUID
    title: str
    description: str


class PlanPublic(BaseModel):
    id: UUID
    title: str
    summary: str
    status: PlanStatus
    agreed_at: UUID | None = Field(description="The meeting it was agreed at")
    agreed_on: date | None


class MeasurePublic(BaseModel):
    id: UUID
    plan_id: UUID
    goal_id: UUID
    name: str
    kind: MeasureKind
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    shared_code: str


class PlanDetailPublic(PlanPublic):
    goals: list[GoalPublic]
    measures: list[MeasurePublic]
    revision: int = Field(description="1, then one more for each revision")
    version: int


class ObservationPublic(BaseModel):
    on: date
    value: Decimal | None
    story: str
    evidence: str


class MeasureDetailPublic(MeasurePublic):
    observations: list[ObservationPublic] = Field(description="Oldest first")
    latest: ObservationPublic | None
    towards_target: float | None = Field(
        description="(latest value - baseline) / (target - baseline): 0 at the baseline, 1 at the target"
    )
    version: int


def _plan(plan: dict[str, Any]) -> PlanPublic:
    return PlanPublic(
        id=plan["id"],
        title=plan["title"],
        summary=plan["summary"],
        status=plan["status"],
        agreed_at=plan["agreed_at"],
        agreed_on=plan["agreed_on"],
    )


def _measure(measure: MeasureState) -> MeasurePublic:
    return MeasurePublic(
        id=UUID(measure.id),
        plan_id=UUID(measure.plan_id),
        goal_id=UUID(measure.goal_id),
        name=measure.name,
        kind=MeasureKind(measure.kind),
        unit=measure.unit,
        baseline=_decimal(measure.baseline),
        target=_decimal(measure.target),
        shared_code=measure.shared_code,
    )


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@router.get("", response_model=Page[PlanPublic])
def list_plans(slug: ReadSlug, reader: ReaderDep, page: PageQuery) -> Page[PlanPublic]:
    """The locality's action plans, by title."""
    plans = sorted(reader.state(slug).plans.values(), key=lambda plan: (plan["title"], plan["id"]))
    chosen = plans[page.offset : page.offset + page.limit]
    return Page(data=[_plan(p) for p in chosen], count=len(plans), limit=page.limit, offset=page.offset)


@router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def draft_plan(write: WriteDep, body: PlanCreate) -> Response:
    """Draft an action plan."""
    receipt = write.app.draft_plan(write.slug, title=body.title, summary=body.summary, actor=write.actor)
    return written(write.runtime, receipt, created=True)


@router.get("/{plan_id}", response_model=PlanDetailPublic)
def get_plan(slug: ReadSlug, plan_id: UUID, reader: ReaderDep, response: Response) -> PlanDetailPublic:
    """One action plan: its status, goals and their measures."""
    locality = reader.state(slug)
    plan = locality.plans.get(str(plan_id))
    if plan is None:
        raise NotFoundError("plan", plan_id)
    facts = reader.views.history(plan["id"])
    measures = sorted(
        (m for m in locality.measures.values() if m.plan_id == plan["id"]), key=lambda m: (m.name, m.id)
    )
    detail = PlanDetailPublic(
        **_plan(plan).model_dump(),
        goals=[GoalPublic(id=key, **goal) for key, goal in plan["goals"].items()],
        measures=[_measure(m) for m in measures],
        revision=1 + sum(1 for fact in facts if fact.event_type == "Revised"),
        version=facts[-1].version,
    )
    etag(response, detail.version)
    return detail


@router.post("/{plan_id}/goals", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def add_goal(write: WriteDep, plan_id: UUID, body: GoalCreate) -> Response:
    """Add a goal to the plan; the answer's id is the goal's, its version and ETag the plan's."""
    receipt = write.app.add_goal(
        write.slug, plan_id, title=body.title, description=body.description, actor=write.actor
    )
    return written(write.runtime, receipt, created=True)


@router.post("/{plan_id}/agreement", response_model=WritePublic)
def agree_plan(
    write: WriteDep,
    plan_id: UUID,
    body: PlanAgreement,
    expected: IfMatchDep,
) -> Response:
    """Record that the plan was agreed at a meeting, by attendees of it."""
    receipt = write.app.agree_plan(
        write.slug,
        plan_id,
        meeting_id=body.meeting_id,
        agreed_by=body.agreed_by,
        actor=write.actor,
        expected_version=expected,
    )
    return written(write.runtime, receipt)


@router.post("/{plan_id}/revisions", response_model=WritePublic)
def revise_plan(
    write: WriteDep,
    plan_id: UUID,
    body: PlanRevision,
    expected: IfMatchDep,
) -> Response:
    """Revise the plan, saying why; it goes back to draft, to be agreed again."""
    receipt = write.app.revise_plan(
        write.slug, plan_id, **body.model_dump(), actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@measures_router.get("", response_model=Page[MeasurePublic])
def list_measures(slug: ReadSlug, reader: ReaderDep, page: PageQuery) -> Page[MeasurePublic]:
    """The measures of the locality's plans, by name."""
    measures = sorted(reader.state(slug).measures.values(), key=lambda m: (m.name, m.id))
    chosen = measures[page.offset : page.offset + page.limit]
    return Page(data=[_measure(m) for m in chosen], count=len(measures), limit=page.limit, offset=page.offset)


@measures_router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def define_measure(write: WriteDep, body: MeasureCreate) -> Response:
    """Define a measure of a plan's goal: quantitative (unit, baseline, target) or qualitative."""
    fields = body.model_dump()
    fields["kind"] = body.kind.value
    receipt = write.app.define_measure(write.slug, **fields, actor=write.actor)
    return written(write.runtime, receipt, created=True)


@measures_router.get("/{measure_id}", response_model=MeasureDetailPublic)
def get_measure(
    slug: ReadSlug, measure_id: UUID, reader: ReaderDep, response: Response
) -> MeasureDetailPublic:
    """One measure: its observations, and the latest value against the target."""
    measure = reader.state(slug).measures.get(str(measure_id))
    if measure is None:
        raise NotFoundError("measure", measure_id)
    observations = sorted(
        (ObservationPublic(**observation) for observation in measure.observations), key=lambda o: o.on
    )
    latest = observations[-1] if observations else None
    detail = MeasureDetailPublic(
        **_measure(measure).model_dump(),
        observations=observations,
        latest=latest,
        towards_target=_towards_target(measure, latest),
        version=reader.views.history(measure.id)[-1].version,
    )
    etag(response, detail.version)
    return detail


def _towards_target(measure: MeasureState, latest: ObservationPublic | None) -> float | None:
    if latest is None or latest.value is None or measure.baseline is None or measure.target is None:
        return None
    baseline, target = Decimal(measure.baseline), Decimal(measure.target)
    if target == baseline:
        return None
    return round(float((latest.value - baseline) / (target - baseline)), 4)


@measures_router.post("/{measure_id}/observations", response_model=WritePublic)
def record_observation(
    write: WriteDep,
    measure_id: UUID,
    body: ObservationCreate,
) -> Response:
    """Record an observation of the measure: a value, or a story with evidence."""
    receipt = write.app.record_observation(write.slug, measure_id, **body.model_dump(), actor=write.actor)
    return written(write.runtime, receipt)
