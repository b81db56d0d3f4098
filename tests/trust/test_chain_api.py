"""The chain head is published through the API, and an administrator can have the chain checked."""

from __future__ import annotations

import hashlib

from projections.chain import GENESIS
from tests.trust.conftest import HOME, OTHER, Api, add_records


def _head(api: Api, slug: str = HOME, role: str = "lead") -> dict[str, object]:
    answer = api.client.get(f"/api/v1/localities/{slug}/chain/head", headers=api.as_(role))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_the_head_moves_on_with_each_event_of_its_locality_only(api: Api) -> None:
    add_records(api.runtime.app, HOME)
    api.runtime.projector.catch_up()
    before, other_before = _head(api), _head(api, OTHER, "administrator")

    created = api.client.post(
        f"/api/v1/localities/{HOME}/stakeholders",
        json={"kind": "organisation", "sector": "vcse", "name": "Repair Cafe"},
        headers=api.as_("facilitator"),
    )
    api.runtime.projector.catch_up()
    after = _head(api)

    assert after["position"] == created.json()["position"] == after["log_position"]
    assert after["events"] == before["events"] + 1  # type: ignore[operator]
    assert after["link"] != before["link"] and len(str(after["link"])) == 64
    assert _head(api, OTHER, "administrator") == {**other_before, "log_position": after["log_position"]}


def test_the_head_is_the_last_link_recomputed_from_the_stored_bytes(api: Api) -> None:
    app = api.runtime.app
    api.runtime.projector.catch_up()
    head = _head(api)
    locality_id = str(app.locality(HOME).id)
    link = GENESIS
    for notification in app.recorder.select_notifications(start=1, limit=1000):
        event = app.mapper.to_domain_event(notification)
        if str(getattr(event, "locality_id", "")) != locality_id:
            continue
        digest = hashlib.sha256()
        for part in (
            link,
            notification.id,
            notification.topic,
            notification.originator_id,
            notification.originator_version,
        ):
            digest.update(str(part).encode() + b"\x1f")
        digest.update(notification.state)
        link = digest.hexdigest()
    assert head["link"] == link and head["events"] == 1


def test_an_administrator_verifies_the_chain_and_others_may_not(api: Api) -> None:
    add_records(api.runtime.app, HOME)
    path = f"/api/v1/localities/{HOME}/chain/verify"

    answer = api.client.post(path, headers=api.as_("administrator"))

    assert answer.status_code == 200, answer.text
    events = _head(api)["events"]
    assert answer.json() == {
        "ok": True,
        "verified": events,
        "message": f"{events} events verified",
        "first_mismatch": None,
        "aggregate_id": None,
        "reason": "",
    }
    assert [
        api.client.post(path, headers=api.as_(role)).status_code for role in ("facilitator", "lead", "peer")
    ] == [
        403,
        403,
        403,
    ]
    assert api.client.post(path, headers=api.as_("other_facilitator")).status_code == 404
    assert api.client.post(path).status_code == 401


def test_a_peer_cannot_read_the_head_and_another_locality_does_not_see_it(api: Api) -> None:
    assert api.client.get(f"/api/v1/localities/{HOME}/chain/head", headers=api.as_("peer")).status_code == 403
    hidden = api.client.get(f"/api/v1/localities/{HOME}/chain/head", headers=api.as_("other_facilitator"))
    assert hidden.status_code == 404
