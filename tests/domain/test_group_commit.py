"""Group commit: commands saved at the same moment share one transaction, and each still
lands whole or gets its own error."""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    EventStore,
    IntegrityError,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)
from eventsourcing.popo import POPOApplicationRecorder

from domain.application import CivicWeave
from domain.group_commit import GroupCommit
from tests.domain.builders import ACTOR, SLUG, build_testville


class HeldRecorder(POPOApplicationRecorder):
    """Counts its transactions; the next one waits until ``hold_for`` more commands are queued."""

    def __init__(self, group: list[GroupCommit]) -> None:
        super().__init__()
        self.transactions: list[int] = []
        self.hold_for = 0
        self._group = group

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        deadline = time.monotonic() + 5
        while len(self._group[0]._queue) < self.hold_for and time.monotonic() < deadline:
            time.sleep(0.001)
        self.hold_for = 0
        self.transactions.append(len(stored_events))
        return super().insert_events(stored_events, **kwargs)


def held_store() -> tuple[GroupCommit, HeldRecorder]:
    holder: list[GroupCommit] = []
    recorder = HeldRecorder(holder)
    transcoder = JSONTranscoder()
    transcoder.register(UUIDAsHex())
    transcoder.register(DatetimeAsISO())
    holder.append(GroupCommit(EventStore(Mapper(transcoder), recorder)))
    return holder[0], recorder


class Counter(Aggregate):
    def __init__(self) -> None:
        self.count = 0

    def increment(self) -> None:
        self.trigger_event(self.Incremented)

    class Incremented(Aggregate.Event):
        def apply(self, aggregate: Counter) -> None:  # type: ignore[override]
            aggregate.count += 1


def events(aggregate: Counter) -> list[Any]:
    return list(aggregate.collect_events())


def test_commands_saved_while_a_transaction_is_under_way_share_the_next_one() -> None:
    group, recorder = held_store()
    recorder.hold_for = 7
    counters = [Counter() for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda c: group.put(events(c)), counters))

    assert sorted(recorder.transactions) == [1, 7]  # the first alone, the seven queued behind it together
    positions = sorted(r.notification.id for rs in results for r in rs)
    assert positions == list(range(1, 9))
    for counter, recordings in zip(counters, results, strict=True):
        assert [r.notification.originator_id for r in recordings] == [counter.id]


def test_a_command_that_clashes_with_the_store_gets_the_error_and_the_others_of_its_group_land() -> None:
    group, recorder = held_store()
    clashing = Counter()
    group.put(events(clashing))  # version 1 is stored: another save of version 1 clashes
    recorder.transactions.clear()
    stale = copy.deepcopy(clashing)
    clashing.increment()
    stale.increment()
    group.put(events(clashing))  # version 2 stored, so the stale version 2 clashes
    recorder.transactions.clear()
    others = [Counter() for _ in range(3)]
    recorder.hold_for = 3

    def put(aggregate: Counter) -> Any:
        try:
            return group.put(events(aggregate))
        except IntegrityError as error:
            return error

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(put, others[0])
        rest = [pool.submit(put, a) for a in (stale, *others[1:])]
        outcomes = [first.result(), *(f.result() for f in rest)]

    assert isinstance(outcomes[1], IntegrityError)
    assert all(isinstance(o, list) and len(o) == 1 for i, o in enumerate(outcomes) if i != 1)
    stored = {e.originator_id for e in recorder.select_notifications(start=1, limit=100)}
    assert {a.id for a in others} <= stored


def test_of_two_commands_of_one_group_on_the_same_aggregate_the_second_gets_the_conflict() -> None:
    group, recorder = held_store()
    shared = Counter()
    group.put(events(shared))
    twin = copy.deepcopy(shared)
    shared.increment()
    twin.increment()
    lone = Counter()
    recorder.hold_for = 2

    def put(aggregate: Counter) -> Any:
        try:
            return group.put(events(aggregate))
        except IntegrityError as error:
            return error

    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(put, lone)
        outcomes = [f.result() for f in [first, pool.submit(put, shared), pool.submit(put, twin)]]

    assert isinstance(outcomes[0], list)
    assert sum(isinstance(o, IntegrityError) for o in outcomes[1:]) == 1
    assert sum(isinstance(o, list) for o in outcomes[1:]) == 1


def test_concurrent_commitments_through_the_application_each_land_with_their_own_position(
    database_url: str,
) -> None:
    from domain.persistence import environment

    app = CivicWeave(environment(database_url))
    try:
        town = build_testville(app)
        due = date.today() + timedelta(days=30)

        def make(number: int) -> Any:
            return app.make_commitment(
                SLUG,
                promisor_id=town.council,
                promisee_ids=[town.food_bank],
                what=f"Promise {number}",
                due=due,
                actor=ACTOR,
            )

        with ThreadPoolExecutor(8) as pool:
            receipts = list(pool.map(make, range(40)))

        positions = [r.position for r in receipts]
        assert len(set(positions)) == 40
        for receipt in receipts:
            stored = app.recorder.select_notifications(start=receipt.position, limit=1)  # type: ignore[attr-defined]
            assert UUID(str(stored[0].originator_id)) == receipt.id
    finally:
        app.close()
