"""Limits: bodies over the size limit get 413 (declared or streamed); very long strings and
huge pages get 422; every answer carries the security headers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.limits import NOTHING_POLICY
from service.settings import Settings
from tests.trust.conftest import HOME, Api, add_records

STAKEHOLDERS = f"/api/v1/localities/{HOME}/stakeholders"
LIMIT = 2_000


@pytest.fixture
def small(api: Api) -> Iterator[Api]:
    """The same store served with a request limit of 2,000 bytes."""
    settings = Settings(database_url=api.runtime.settings.database_url, request_limit_bytes=LIMIT)
    with TestClient(create_app(settings, runtime=api.runtime)) as client:
        yield Api(client, api.runtime, api.tokens)


def _count(api: Api) -> int:
    return int(api.client.get(STAKEHOLDERS, headers=api.as_("lead")).json()["count"])


def _body(size: int) -> bytes:
    """A valid stakeholder of exactly ``size`` bytes of JSON (padding in the notes)."""
    empty = json.dumps({"kind": "group", "sector": "vcse", "name": "Padded", "notes": ""}).encode()
    return empty.replace(b'"notes": ""', b'"notes": "' + b"x" * (size - len(empty)) + b'"')


def _chunks(body: bytes, size: int = 500) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(small: Api) -> None:
    headers = small.as_("facilitator", **{"Content-Type": "application/json"})

    refused = small.client.post(STAKEHOLDERS, content=_body(LIMIT + 1), headers=headers)
    accepted = small.client.post(STAKEHOLDERS, content=_body(LIMIT), headers=headers)

    assert refused.status_code == 413
    assert refused.json() == {
        "detail": f"the request body is larger than the limit of {LIMIT} bytes",
        "error": "too_large",
    }
    assert accepted.status_code == 201, accepted.text
    assert _count(small) == 1


def test_a_streamed_body_without_a_length_is_counted_and_refused(small: Api) -> None:
    headers = small.as_("facilitator", **{"Content-Type": "application/json"})

    refused = small.client.post(STAKEHOLDERS, content=_chunks(_body(LIMIT + 1)), headers=headers)
    accepted = small.client.post(STAKEHOLDERS, content=_chunks(_body(LIMIT - 10)), headers=headers)

    assert "content-length" not in refused.request.headers
    assert refused.status_code == 413 and refused.json()["error"] == "too_large"
    assert accepted.status_code == 201, accepted.text
    assert _count(small) == 1


def test_an_upload_over_the_limit_is_refused_and_writes_nothing(small: Api) -> None:
    rows = "name,kind,sector\n" + "".join(f"Group {n:04d},group,vcse\n" for n in range(200))
    answer = small.client.post(
        f"/api/v1/localities/{HOME}/import/stakeholders?commit=true",
        files={"files": ("groups.csv", rows.encode(), "text/csv")},
        headers=small.as_("facilitator"),
    )
    assert answer.status_code == 413
    assert _count(small) == 0


def test_the_default_limit_is_the_settings_one(api: Api) -> None:
    limit = Settings().request_limit_bytes
    answer = api.client.post(
        STAKEHOLDERS,
        content=_body(limit + 1),
        headers=api.as_("facilitator", **{"Content-Type": "application/json"}),
    )
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("field", "length"),
    [("name", 201), ("contact", 401), ("notes", 4001), ("sector", 61)],
)
def test_very_long_strings_are_invalid(api: Api, field: str, length: int) -> None:
    body = {"kind": "person", "sector": "vcse", "name": "Ann", field: "é" * length}
    answer = api.client.post(STAKEHOLDERS, json=body, headers=api.as_("facilitator"))
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == field
    assert _count(api) == 0


def test_very_long_wording_of_a_commitment_is_invalid(api: Api) -> None:
    records = add_records(api.runtime.app, HOME)
    body = {"promisor_id": str(records.council), "what": "w" * 4001, "due": "2030-01-01"}
    answer = api.client.post(
        f"/api/v1/localities/{HOME}/commitments", json=body, headers=api.as_("facilitator")
    )
    assert answer.status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        "stakeholders?limit=501",
        "stakeholders?limit=1000000000",
        "stakeholders?offset=1000000001",
        "stakeholders?limit=-1",
        f"stakeholders?q={'a' * 201}",
        "commitments?limit=100000",
        "meetings?limit=100000",
        "plans?limit=100000",
        "measures?limit=100000",
        "relationships?limit=100000",
        "events?limit=100000",
    ],
)
def test_huge_pages_and_queries_are_invalid(api: Api, query: str) -> None:
    answer = api.client.get(f"/api/v1/localities/{HOME}/{query}", headers=api.as_("lead"))
    assert answer.status_code == 422, answer.text


def _assert_security_headers(headers: dict[str, str] | object) -> None:
    assert headers["x-content-type-options"] == "nosniff"  # type: ignore[index]
    assert headers["x-frame-options"] == "DENY"  # type: ignore[index]
    assert headers["referrer-policy"] in ("no-referrer", "same-origin")  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "role", "status"),
    [
        (f"/api/v1/localities/{HOME}", "lead", 200),
        (f"/api/v1/localities/{HOME}", None, 401),
        (f"/api/v1/localities/{HOME}", "peer", 403),
        ("/api/v1/localities/nowhere", "administrator", 404),
        (f"{STAKEHOLDERS}?limit=0", "lead", 422),
        (f"/api/v1/localities/{HOME}/export/edges-csv", "lead", 200),
        ("/health", None, 200),
        ("/metrics", None, 200),
    ],
)
def test_every_answer_that_is_not_a_page_forbids_everything_in_its_policy(
    api: Api, path: str, role: str | None, status: int
) -> None:
    answer = api.client.get(path, headers=api.as_(role) if role else {})
    assert answer.status_code == status
    _assert_security_headers(answer.headers)
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["content-security-policy"] == NOTHING_POLICY


def test_pages_keep_their_own_policy_which_never_allows_eval_or_framing(api: Api) -> None:
    answer = api.client.get("/signin")
    policy = answer.headers["content-security-policy"]
    assert answer.status_code == 200
    _assert_security_headers(answer.headers)
    assert "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy and "'nonce-" in policy


def test_a_413_carries_the_security_headers_too(small: Api) -> None:
    answer = small.client.post(STAKEHOLDERS, content=b"x" * (LIMIT + 1), headers=small.as_("facilitator"))
    assert answer.status_code == 413
    _assert_security_headers(answer.headers)
    assert answer.headers["content-security-policy"] == NOTHING_POLICY
