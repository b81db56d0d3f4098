"""The Riverside demo: what it loads, checked against the stored events and the aggregates
replayed from them, not against the loader's own counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.application import CivicWeave
from domain.persistence import environment
from domain.vocabulary import DEFAULT_SECTORS
from service.demo import ROSTER, load_demo

TODAY = date(2025, 6, 30)


def events(app: CivicWeave) -> list[tuple[str, Any]]:
    """Every stored event as ("Aggregate.Event", event), in log order."""
    notifications = app.recorder.select_notifications(1, 100_000)
    decoded = [app.mapper.to_domain_event(n) for n in notifications]
    return [(type(e).__qualname__, e) for e in decoded]


def of_type(app: CivicWeave, name: str) -> list[Any]:
    return [event for kind, event in events(app) if kind == name]


def state_on(commitment: Any, day: date) -> str:
    if commitment.status != "open":
        return str(commitment.status)
    if commitment.due < day:
        return "overdue"
    return "due_soon" if (commitment.due - day).days <= 14 else "open"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CivicWeave]:
    path = tmp_path_factory.mktemp("demo") / "riverside.db"
    with CivicWeave(environment(f"sqlite:///{path}")) as app:
        assert load_demo(app, today=TODAY) is not None
        yield app


def fresh(path: Path) -> CivicWeave:
    return CivicWeave(environment(f"sqlite:///{path}"))


def test_the_demo_registers_sixty_stakeholders_in_every_default_sector(demo: CivicWeave) -> None:
    registered = of_type(demo, "Stakeholder.Registered")
    assert len(registered) >= 60
    assert {e.sector for e in registered} == set(DEFAULT_SECTORS)
    assert {e.kind for e in registered} == {"organisation", "group", "person"}
    assert len(of_type(demo, "Stakeholder.AssetRecorded")) >= 40
    assert len(of_type(demo, "Stakeholder.MergedInto")) == 1
    assert len(of_type(demo, "Stakeholder.Archived")) == 1


def test_people_are_registered_with_their_details_sealed(demo: CivicWeave) -> None:
    people = [e for e in of_type(demo, "Stakeholder.Registered") if e.kind == "person"]
    assert len(people) >= 10
    assert all(e.name == "" and e.sealed for e in people)
    names = {demo.stakeholder_details(demo.repository.get(e.originator_id))["name"] for e in people}
    assert "Margaret Doyle" in names


def test_no_stored_event_holds_a_persons_name_in_clear(demo: CivicWeave) -> None:
    stored = b"".join(n.state for n in demo.recorder.select_notifications(1, 100_000))
    for who in ROSTER:
        if who.kind == "person":
            assert who.name.encode() not in stored
            assert who.name.split()[-1].encode() not in stored


def test_the_demo_forms_150_relationships_of_every_kind_intensity_and_source(
    demo: CivicWeave,
) -> None:
    formed = of_type(demo, "Relationship.Formed")
    assert len(formed) == 150
    assert {e.intensity for e in formed} == {1, 2, 3, 4}
    assert {e.source for e in formed} == {"declared", "survey", "observed"}
    assert {"collaborates", "funds", "commissions", "refers_to", "member_of"} <= {e.kind for e in formed}
    assert all(e.valid_from <= TODAY for e in formed)
    assert len(of_type(demo, "Relationship.Ended")) >= 5
    rated = of_type(demo, "Relationship.Rated")
    assert len(rated) >= 20
    assert all(len(e.trust) == 3 and len(e.value) == 3 for e in rated)


def test_twelve_meetings_over_the_last_year_were_held_with_lived_experience_attending(
    demo: CivicWeave,
) -> None:
    scheduled = of_type(demo, "Meeting.Scheduled")
    assert len(scheduled) == 12
    assert all(TODAY - timedelta(days=365) <= e.held_on < TODAY for e in scheduled)
    kinds = Counter(e.kind for e in scheduled)
    assert kinds["change_group"] > 6 and kinds["workshop"] and kinds["conversation"]
    assert len(of_type(demo, "Meeting.Held")) == 12
    assert len(of_type(demo, "Meeting.DecisionRecorded")) >= 12
    people = {
        e.originator_id
        for e in of_type(demo, "Stakeholder.Registered")
        if e.kind == "person" and e.sector == "lived_experience"
    }
    for attendance in of_type(demo, "Meeting.AttendanceRecorded"):
        assert people & set(attendance.stakeholder_ids)


def test_forty_commitments_made_at_meetings_are_in_every_state(demo: CivicWeave) -> None:
    made = of_type(demo, "Commitment.Made")
    assert len(made) == 40
    assert all(e.meeting_id is not None for e in made)
    commitments = [demo.repository.get(e.originator_id) for e in made]
    states = Counter(state_on(c, TODAY) for c in commitments)
    assert set(states) == {"open", "due_soon", "overdue", "fulfilled", "missed", "withdrawn"}
    fulfilled = [c for c in commitments if c.status == "fulfilled"]
    assert any(c.closed_on <= c.original_due for c in fulfilled)
    assert any(c.closed_on > c.original_due for c in fulfilled)
    assert len(of_type(demo, "Commitment.Renegotiated")) >= 2
    assert len(of_type(demo, "Commitment.Reassigned")) >= 1
    assert any(e.meeting_id for e in of_type(demo, "Commitment.ProgressReported"))
    assert all(c.closed_on is None or c.closed_on <= TODAY for c in commitments)


def test_an_agreed_action_plan_has_three_goals_measured_over_time(demo: CivicWeave) -> None:
    (agreed,) = of_type(demo, "Plan.Agreed")
    assert agreed.agreed_by
    assert len(of_type(demo, "Plan.GoalAdded")) == 3
    measures = of_type(demo, "Measure.Defined")
    assert {m.kind for m in measures} == {"quantitative", "qualitative"}
    assert all(
        m.unit and m.baseline is not None and m.target is not None
        for m in measures
        if m.kind == "quantitative"
    )
    assert any(m.shared_code for m in measures)
    observed = of_type(demo, "Measure.Observed")
    assert len(observed) >= 2 * len(measures)
    assert len({o.on for o in observed}) > 1


def test_loading_the_demo_again_adds_nothing(demo: CivicWeave) -> None:
    before = demo.recorder.max_notification_id()
    assert load_demo(demo, today=TODAY) is None
    assert demo.recorder.max_notification_id() == before


def test_the_summary_counts_what_was_stored(tmp_path: Path) -> None:
    with fresh(tmp_path / "again.db") as app:
        summary = load_demo(app, today=TODAY)
        assert summary is not None
        assert summary.events == app.recorder.max_notification_id()
        assert summary.relationships == len(of_type(app, "Relationship.Formed"))
        assert sum(summary.commitments.values()) == len(of_type(app, "Commitment.Made"))


def test_two_fresh_stores_get_the_same_demo(tmp_path: Path) -> None:
    loaded = []
    for name in ("one.db", "two.db"):
        with fresh(tmp_path / name) as app:
            summary = load_demo(app, today=TODAY)
            assert summary is not None
            people = [app.repository.get(e.originator_id) for e in of_type(app, "Stakeholder.Registered")]
            names = [(s.id, app.stakeholder_details(s)["name"]) for s in people]
            loaded.append((asdict(summary), names))
    assert loaded[0] == loaded[1]
