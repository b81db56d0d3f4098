"""Many clients change the same commitment at once, each sending the version it read as
If-Match: each gets 200 or 409 (never a 500), and the history holds exactly the changes
that were answered 200, once each."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from tests.trust.conftest import HOME, Api, add_records

CLIENTS = 8
ROUNDS = 4


def test_clients_racing_to_renegotiate_one_commitment_get_one_success_per_version(api_on: Api) -> None:
    api = api_on
    records = add_records(api.runtime.app, HOME)
    api.runtime.projector.catch_up()
    path = f"/api/v1/localities/{HOME}/commitments/{records.commitment}"
    start = threading.Barrier(CLIENTS)
    read_all = threading.Barrier(CLIENTS)

    def client(number: int) -> list[tuple[int, str, int]]:
        outcomes = []
        for round_ in range(ROUNDS):
            start.wait()
            version = api.client.get(path, headers=api.as_("lead")).headers["ETag"]
            read_all.wait()  # everyone has read the same version before anyone writes
            reason = f"client {number}, round {round_}"
            answer = api.client.post(
                f"{path}/renegotiations",
                json={
                    "due": str(date(2031, 1, 1) + timedelta(days=round_ * CLIENTS + number)),
                    "reason": reason,
                },
                headers=api.as_("facilitator", **{"If-Match": version}),
            )
            outcomes.append((round_, reason, answer.status_code))
        return outcomes

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = [o for result in pool.map(client, range(CLIENTS)) for o in result]

    assert Counter(status for _, _, status in outcomes).keys() <= {200, 409}
    won = [reason for _, reason, status in outcomes if status == 200]
    assert Counter(round_ for round_, _, status in outcomes if status == 200) == dict.fromkeys(
        range(ROUNDS), 1
    )
    history = api.client.get(f"{path}/history", headers=api.as_("lead")).json()["data"]
    assert sorted(e["changes"]["reason"] for e in history if e["event"].endswith("Renegotiated")) == sorted(
        won
    )
    detail = api.client.get(path, headers=api.as_("lead")).json()
    assert (detail["version"], detail["renegotiations"]) == (1 + ROUNDS, ROUNDS)


def test_clients_changing_one_commitment_freely_lose_no_change_and_double_none(api_on: Api) -> None:
    """No barrier: each client reads, then reports progress, as fast as it can."""
    api = api_on
    records = add_records(api.runtime.app, HOME)
    api.runtime.projector.catch_up()
    path = f"/api/v1/localities/{HOME}/commitments/{records.commitment}"

    def client(number: int) -> list[tuple[str, int]]:
        outcomes = []
        for attempt in range(5):
            version = api.client.get(path, headers=api.as_("lead")).headers["ETag"]
            note = f"client {number}, attempt {attempt}"
            answer = api.client.post(
                f"{path}/progress",
                json={"note": note, "percent": attempt * 10},
                headers=api.as_("facilitator", **{"If-Match": version}),
            )
            outcomes.append((note, answer.status_code))
        return outcomes

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = [o for result in pool.map(client, range(CLIENTS)) for o in result]

    assert {status for _, status in outcomes} <= {200, 409}
    won = sorted(note for note, status in outcomes if status == 200)
    detail = api.client.get(path, headers=api.as_("lead")).json()
    assert won and sorted(p["note"] for p in detail["progress"]) == won
    assert detail["version"] == 1 + len(won)
