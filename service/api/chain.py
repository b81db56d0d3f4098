"""The hash chain of a locality's events: its head, to publish, and a check of the whole chain.

Whoever keeps a published head (position and link) can later ask for the head again, or
run ``civicweave verify``, and see whether anything up to that position has changed.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from projections.chain import Chain
from service.api.deps import PrincipalDep, ReadSlug, RuntimeDep
from service.runtime import Runtime

router = APIRouter(prefix="/localities/{slug}/chain", tags=["tamper evidence"])


class ChainHeadPublic(BaseModel):
    locality: str
    locality_id: str
    position: int = Field(description="Log position of the locality's last chained event (0: none yet)")
    link: str = Field(description="SHA-256 (hex) over that event's stored bytes and the link before it")
    events: int = Field(description="How many of the locality's events the chain covers")
    log_position: int = Field(description="The log's latest position; later events are not chained yet")


class VerificationPublic(BaseModel):
    ok: bool
    verified: int = Field(description="How many of the locality's events were checked and match")
    message: str = Field(description='"N events verified", or which event no longer matches and why')
    first_mismatch: int | None = Field(description="Log position of the first event that does not match")
    aggregate_id: str | None
    reason: str


def _chain(runtime: Runtime) -> Chain:
    chain = runtime.projector.chain
    if chain is None:  # open_projector always gives one; a hand-made runtime may not
        raise RuntimeError("this server keeps no hash chain")
    return chain


@router.get("/head", response_model=ChainHeadPublic)
def chain_head(slug: ReadSlug, runtime: RuntimeDep) -> ChainHeadPublic:
    """The locality's chain head: publish it, so that anyone can later check nothing before it changed."""
    locality_id = runtime.views.locality(slug).id
    head = _chain(runtime).head(locality_id)
    return ChainHeadPublic(
        locality=slug,
        locality_id=locality_id,
        position=head["position"],
        link=head["link"],
        events=head["events"],
        log_position=runtime.app.recorder.max_notification_id() or 0,
    )


@router.post("/verify", response_model=VerificationPublic)
def verify_chain(slug: ReadSlug, principal: PrincipalDep, runtime: RuntimeDep) -> VerificationPublic:
    """Chain the events not chained yet, then recompute the locality's chain from the stored events (administrators only)."""
    principal.require_admin()
    chain = _chain(runtime)
    chain.extend()
    result = chain.verify(runtime.views.locality(slug).id)
    return VerificationPublic(
        ok=result.ok,
        verified=result.verified,
        message=str(result),
        first_mismatch=result.first_mismatch,
        aggregate_id=result.aggregate_id,
        reason=result.reason,
    )
