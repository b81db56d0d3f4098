"""Large reads encoded once per state of the record: compressed for clients that accept it,
304 for clients that have them, answered again before routing, and never to anyone the
route itself would refuse."""

from __future__ import annotations

import gzip
import json
import time
from datetime import timedelta
from typing import Any

import brotli
import pytest

from service import auth
from service.auth import TokenStore
from tests.service.conftest import HOME, Api

NETWORK = f"/api/v1/localities/{HOME}/network"
FIGURES = f"{NETWORK}/figures"
ROLES = {"administrator": 200, "facilitator": 200, "lead": 200, "peer": 403, "other_facilitator": 404}


def _register(api: Api, name: str) -> str:
    answer = api.client.post(
        f"/api/v1/localities/{HOME}/stakeholders",
        headers=api.as_("facilitator"),
        json={"name": name, "kind": "organisation", "sector": "vcse"},
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def _raw(api: Api, path: str, **headers: str) -> Any:
    """The answer as sent on the wire (httpx would undo the gzip)."""
    with api.client.stream("GET", path, headers=api.as_("lead", **headers)) as answer:
        body = b"".join(answer.iter_raw())
    return answer, body


def test_a_client_that_accepts_gzip_gets_the_same_json_gzipped(api: Api) -> None:
    for index in range(12):
        _register(api, f"Group {index}")
    plain, plain_body = _raw(api, NETWORK, **{"Accept-Encoding": "identity"})
    zipped, zipped_body = _raw(api, NETWORK, **{"Accept-Encoding": "gzip, deflate"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert len(zipped_body) < len(plain_body)
    assert json.loads(gzip.decompress(zipped_body)) == json.loads(plain_body)
    assert len(json.loads(plain_body)["nodes"]) == 12


def test_a_browser_gets_brotli_also_when_answered_before_routing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(12):
        _register(api, f"Group {index}")
    plain, plain_body = _raw(api, NETWORK, **{"Accept-Encoding": "identity"})
    weighed, body = _raw(api, NETWORK, **{"Accept-Encoding": "br;q=0.5, gzip"})
    assert weighed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain_body
    browser = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    first, body = _raw(api, NETWORK, **browser)  # brotli made by the route, once
    assert first.headers["content-encoding"] == "br"
    assert first.headers["etag"] == plain.headers["etag"]
    assert brotli.decompress(body) == plain_body

    def unexpected(*_: Any, **__: Any) -> Any:
        raise AssertionError("a repeated read must be sent as it was made")

    monkeypatch.setattr(api.runtime.encoded, "get", unexpected)
    again, body = _raw(api, NETWORK, **browser)
    assert again.headers["content-encoding"] == "br"
    assert brotli.decompress(body) == plain_body


def test_a_client_that_refuses_every_coding_of_ours_gets_plain_json(api: Api) -> None:
    for index in range(12):
        _register(api, f"Group {index}")
    refused, body = _raw(api, NETWORK, **{"Accept-Encoding": "br;q=0, gzip;q=0, zstd"})
    assert "content-encoding" not in refused.headers
    assert len(json.loads(body)["nodes"]) == 12


def test_a_client_that_has_the_answer_gets_304_until_the_record_changes(api: Api) -> None:
    _register(api, "Food Bank")
    first = api.client.get(FIGURES, headers=api.as_("lead"))
    etag = first.headers["etag"]
    for _ in range(2):  # the second is answered before routing
        again = api.client.get(FIGURES, headers=api.as_("lead", **{"If-None-Match": etag}))
        assert again.status_code == 304
        assert again.content == b""
    _register(api, "Tenants' Forum")
    changed = api.client.get(FIGURES, headers=api.as_("lead", **{"If-None-Match": etag}))
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.json()["nodes"] == first.json()["nodes"] + 1


def test_a_repeated_read_sees_every_new_fact(api: Api) -> None:
    for index in range(3):
        assert len(api.client.get(NETWORK, headers=api.as_("lead")).json()["nodes"]) == index
        assert len(api.client.get(NETWORK, headers=api.as_("lead")).json()["nodes"]) == index
        _register(api, f"Group {index}")


def test_a_fact_of_another_locality_does_not_change_the_answer(api: Api) -> None:
    _register(api, "Food Bank")
    first = api.client.get(NETWORK, headers=api.as_("lead"))
    answer = api.client.post(
        "/api/v1/localities/hillside/stakeholders",
        headers=api.as_("other_facilitator"),
        json={"name": "Hill Church", "kind": "organisation", "sector": "faith"},
    )
    assert answer.status_code == 201
    again = api.client.get(NETWORK, headers=api.as_("lead"))
    assert again.headers["etag"] == first.headers["etag"]
    assert again.json() == first.json()


def test_a_repeated_read_is_answered_from_memory(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _register(api, "Food Bank")
    expected = api.client.get(FIGURES, headers=api.as_("lead")).json()

    def unexpected(*_: Any, **__: Any) -> Any:
        raise AssertionError("a repeated read must not rebuild or look up its answer again")

    monkeypatch.setattr(api.runtime.reader, "state", unexpected)
    monkeypatch.setattr(api.runtime.encoded, "get", unexpected)
    assert api.client.get(FIGURES, headers=api.as_("lead")).json() == expected


@pytest.mark.parametrize("path", [NETWORK, FIGURES])
def test_a_repeated_read_is_refused_to_whom_the_route_refuses_it(api: Api, path: str) -> None:
    _register(api, "Food Bank")
    for _ in range(2):
        assert api.client.get(path, headers=api.as_("administrator")).status_code == 200
    for _ in range(2):
        for role, status in ROLES.items():
            assert api.client.get(path, headers=api.as_(role)).status_code == status, role
        assert api.client.get(path).status_code == 401
        assert api.client.get(path, headers={"Authorization": "Bearer cw_unknown"}).status_code == 401


def test_a_token_revoked_by_another_process_is_refused_within_the_recheck_time(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "RECHECK_SECONDS", 0.2)
    for _ in range(2):
        assert api.client.get(NETWORK, headers=api.as_("lead")).status_code == 200
    other_process = TokenStore(api.runtime.settings.database_url)
    try:
        assert other_process.revoke("Lee Lead") == 1
    finally:
        other_process.close()
    time.sleep(0.3)
    assert api.client.get(NETWORK, headers=api.as_("lead")).status_code == 401


def test_a_token_revoked_by_this_process_is_refused_at_once(api: Api) -> None:
    for _ in range(2):
        assert api.client.get(NETWORK, headers=api.as_("lead")).status_code == 200
    api.runtime.tokens.revoke("Lee Lead")
    assert api.client.get(NETWORK, headers=api.as_("lead")).status_code == 401


def test_an_answer_for_today_is_not_given_tomorrow(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    today = api.runtime.reader.today()
    for _ in range(2):
        assert api.client.get(NETWORK, headers=api.as_("lead")).json()["graph"]["as_of"] == today.isoformat()
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(api.runtime.reader, "today", lambda: tomorrow)
    answer = api.client.get(NETWORK, headers=api.as_("lead")).json()
    assert answer["graph"]["as_of"] == tomorrow.isoformat()


def test_repeated_reads_see_new_facts_on_sqlite_and_on_postgresql(api_on: Api) -> None:
    for index in range(2):
        for _ in range(2):
            zipped, body = _raw(api_on, NETWORK, **{"Accept-Encoding": "gzip"})
            nodes = json.loads(gzip.decompress(body) if zipped.headers.get("content-encoding") else body)
            assert len(nodes["nodes"]) == index
        _register(api_on, f"Group {index}")
