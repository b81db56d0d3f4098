"""Erasure leaves nothing: once a person is erased, their name, contact and notes (and the
key that unsealed them) are in no answer, view, export, backup or database file; the
erasure is itself an event, and the chain still verifies."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from domain.application import CivicWeave
from domain.persistence import environment
from domain.stakeholder import Stakeholder
from projections.projector import open_projector
from service.io.backup import backup
from service.io.export import ExportFormat
from tests.pages.conftest import sign_in
from tests.trust.conftest import HOME, Api, Records, add_records
from tests.trust.routes import endpoints

NAME, RENAMED = "Zebedee Quixotic", "Zebedee Quixotic-Marlowe"
CONTACT, NOTES = "zeb.quixotic@example.net", "Walks with a stick; ask about the Tuesday bus"
#: Any of these in any answer or file would give the person away.
PERSONAL = ("Zebedee", "Quixotic", "zeb.quixotic", "Tuesday bus")
#: Query parameters some reads need (others ignore them).
QUERY = {"from": "2020-01-01", "locality": HOME}
STAKEHOLDERS = f"/api/v1/localities/{HOME}/stakeholders"


@pytest.fixture
def erased(api_on: Api) -> Iterator[tuple[Api, Records, dict[str, Any]]]:
    """A person, renamed once, in ties, a meeting and a commitment, then erased through the
    API; with what the store showed of them (and their key) just before."""
    api, app = api_on, api_on.runtime.app
    app.register_locality("eastfield", "Eastfield", actor="setup")
    records = add_records(app, HOME, name=NAME, contact=CONTACT, notes=NOTES)
    renamed = api.client.patch(
        f"/api/v1/localities/{HOME}/stakeholders/{records.person}",
        json={"name": RENAMED},
        headers=api.as_("facilitator"),
    )
    assert renamed.status_code == 200, renamed.text
    app.create_peer_network("north", "The North", actor="setup")
    app.join_peer_network("north", HOME, actor="setup")
    api.runtime.projector.catch_up()
    before = {
        "moment": datetime.now(UTC).isoformat(),
        "key": app.personal.keys.get(records.person),
        "shown": _stakeholder(api, records.person).text,
        "files": _leaks_in_files(api),
    }
    erasure = api.client.post(
        f"/api/v1/localities/{HOME}/stakeholders/{records.person}/erase",
        json={"reason": "Subject access request SAR-118"},
        headers=api.as_("administrator"),
    )
    assert erasure.status_code == 200, erasure.text
    yield api, records, before


def _stakeholder(api: Api, person: UUID) -> httpx.Response:
    path = f"/api/v1/localities/{HOME}/stakeholders/{person}"
    answer: httpx.Response = api.client.get(path, headers=api.as_("administrator"))
    return answer


def _leaks(text: str | bytes, *extra: str) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [word for word in (*PERSONAL, *extra) if word.encode().lower() in data.lower()]


def _eventually(check: Callable[[], list[str]], seconds: float = 30) -> list[str]:
    """The leaks ``check`` finds once they stop shrinking (the projector works in a thread,
    and on a loaded machine its VACUUM of the scrubbed tables has taken over 10 s)."""
    deadline = time.monotonic() + seconds
    while (found := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def _leaks_in_files(api: Api, *extra: str) -> dict[str, list[str]]:
    """What each database file holds of the person, searched as bytes."""
    url = api.runtime.settings.database_url
    if url.startswith("sqlite"):
        directory = Path(url.removeprefix("sqlite:///")).parent
        files = {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}
    else:
        files = _postgres_files(url)
    return {name: found for name, data in files.items() if (found := _leaks(data, *extra))}


def _postgres_files(url: str) -> dict[str, bytes]:
    """The files of every table, index and TOAST table of the store's database, after a
    checkpoint has written the shared buffers out to them."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")
        directory = Path(str(connection.execute("SHOW data_directory").fetchone()[0]))  # type: ignore[index]
        relations = connection.execute(
            "SELECT c.relname, pg_relation_filepath(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'i', 't')"
        ).fetchall()
    try:
        return {
            f"{name} ({path})": b"".join(part.read_bytes() for part in sorted(directory.glob(f"{path}*")))
            for name, path in relations
            if path
        }
    except PermissionError as error:
        pytest.skip(f"the PostgreSQL data files are not readable by this user: {error}")


def test_the_scans_find_the_person_before_the_erasure(erased: tuple[Api, Records, dict[str, Any]]) -> None:
    """Without this, a scan that saw nothing would prove nothing."""
    _, _, before = erased
    assert _leaks(before["shown"]) == list(PERSONAL)
    assert any(before["files"].values())


def test_an_erased_person_is_in_no_answer_of_the_api(erased: tuple[Api, Records, dict[str, Any]]) -> None:
    api, records, before = erased
    values = _path_values(records)
    answers: dict[str, list[str]] = {}
    for endpoint in endpoints(api.client.app):  # type: ignore[arg-type]
        if endpoint.method != "GET" or not endpoint.path.startswith("/api/"):
            continue
        for values_now in _variants(endpoint.path, values):
            # As the record stands, and as it stood just before the erasure (system time).
            for query in ({**QUERY}, {**QUERY, "recorded_at": before["moment"]}):
                path = endpoint.filled(values_now)
                answer = api.client.get(path, params=query, headers=api.as_("administrator"))
                assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text}"
                if found := _leaks(answer.content, before["key"]):
                    answers[f"{path} {query}"] = found
    assert answers == {}
    shown = _stakeholder(api, records.person).json()
    assert (shown["name"], shown["contact"], shown["notes"], shown["erased"]) == (
        "erased person",
        "",
        "",
        True,
    )


def test_an_erased_person_is_on_no_page(erased: tuple[Api, Records, dict[str, Any]]) -> None:
    api, records, _ = erased
    client = TestClient(api.client.app, follow_redirects=False)
    sign_in(client, api.tokens["administrator"])
    base = f"/l/{HOME}"
    pages = [
        base,
        f"{base}/stakeholders",
        f"{base}/stakeholders/{records.person}",
        f"{base}/stakeholders/{records.person}/edit",
        f"{base}/stakeholders/{records.council}",
        f"{base}/meetings/{records.meeting}",
        f"{base}/commitments",
        f"{base}/commitments/{records.commitment}",
        f"{base}/assets",
        f"{base}/network",
        f"{base}/report",
    ]
    shown = {page: client.get(page) for page in pages}
    assert {page: answer.status_code for page, answer in shown.items() if answer.status_code != 200} == {}
    assert {page: found for page, answer in shown.items() if (found := _leaks(answer.text))} == {}


def test_an_erased_person_is_in_no_database_file(erased: tuple[Api, Records, dict[str, Any]]) -> None:
    api, _, before = erased
    assert before["files"], "the person was in the files before the erasure"
    leaks = _eventually(
        lambda: [f"{name}: {words}" for name, words in _leaks_in_files(api, before["key"]).items()]
    )
    assert leaks == []


def test_an_erased_person_is_in_no_backup_or_export(erased: tuple[Api, Records, dict[str, Any]]) -> None:
    api, _, before = erased
    out = io.StringIO()
    backup(api.runtime.app, out)
    exports = {
        fmt.value: api.client.get(
            f"/api/v1/localities/{HOME}/export/{fmt.value}", headers=api.as_("lead")
        ).content
        for fmt in ExportFormat
    }
    assert _leaks(out.getvalue(), before["key"]) == []
    assert {fmt: found for fmt, data in exports.items() if (found := _leaks(data))} == {}


def test_the_erasure_is_an_event_and_the_chain_still_verifies(
    erased: tuple[Api, Records, dict[str, Any]],
) -> None:
    api, records, _ = erased
    history = api.client.get(
        f"/api/v1/localities/{HOME}/stakeholders/{records.person}/history", headers=api.as_("lead")
    ).json()
    verified = api.client.post(
        f"/api/v1/localities/{HOME}/chain/verify", headers=api.as_("administrator")
    ).json()

    erasure = [entry for entry in history["data"] if entry["event"].endswith("PersonErased")]
    assert len(erasure) == 1
    assert (erasure[0]["changes"]["reason"], erasure[0]["actor"]) == (
        "Subject access request SAR-118",
        "Ada Admin",
    )
    assert verified["ok"] is True and verified["message"].endswith("events verified")
    council = _stakeholder(api, records.council).json()
    assert council["name"] == f"{HOME.title()} Council"  # the non-personal facts stay


def test_the_projector_destroys_the_key_if_the_erasure_stopped_before_it(database_url: str) -> None:
    """An erasure recorded by a process that died before it destroyed the key."""
    app = CivicWeave(environment(database_url))
    app.register_locality(HOME, "Riverside", actor="setup")
    records = add_records(app, HOME, name=NAME, contact=CONTACT, notes=NOTES)
    person = app.load(Stakeholder, records.person)
    person.record_erasure("Subject access request SAR-119", actor="admin")
    app.commit(person)  # and then the process died: the key is still there
    assert app.personal.keys.get(records.person) is not None

    projector = open_projector(app, database_url)
    projector.catch_up()

    assert app.personal.keys.get(records.person) is None
    assert app.stakeholder_details(app.load(Stakeholder, records.person))["name"] == "erased person"
    with projector.views.transaction() as cursor:
        cursor.execute("SELECT name FROM view_stakeholders WHERE id = ?", (str(records.person),))
        assert cursor.fetchone()[0] == "erased person"
    projector.close()
    app.close()


def _path_values(records: Records) -> dict[str, Any]:
    return {
        "slug": HOME,
        "stakeholder_id": records.person,
        "commitment_id": records.commitment,
        "meeting_id": records.meeting,
        "relationship_id": records.relationship,
        "plan_id": records.plan,
        "measure_id": records.measure,
        "fmt": ExportFormat.JSON.value,
    }


def _variants(path: str, values: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each export format and both peer networks paths; otherwise the values as they are."""
    if path.startswith("/api/v1/peer-networks/"):
        yield {**values, "slug": "north"}
    elif "{fmt}" in path:
        yield from ({**values, "fmt": fmt.value} for fmt in ExportFormat)
    else:
        yield values


def test_an_erased_person_imported_with_an_idempotency_key_leaves_no_bytes(api: Api) -> None:
    rows = f"name,kind,sector,contact\n{NAME},person,lived_experience,{CONTACT}\n".encode()
    imported = api.client.post(
        f"/api/v1/localities/{HOME}/import/stakeholders?commit=true",
        files={"files": ("people.csv", rows, "text/csv")},
        headers=api.as_("facilitator", **{"Idempotency-Key": "import-people-1"}),
    )
    assert imported.status_code == 200, imported.text
    found = api.client.get(f"{STAKEHOLDERS}", params={"q": "Zebedee"}, headers=api.as_("lead")).json()["data"]
    erased = api.client.post(
        f"{STAKEHOLDERS}/{found[0]['id']}/erase", json={"reason": "Asked"}, headers=api.as_("administrator")
    )
    assert erased.status_code == 200
    leaks = _eventually(
        lambda: [f"{name}: {words}" for name, words in _leaks_in_files(api).items()], seconds=3
    )
    assert leaks == []


def test_a_retried_import_is_done_once_and_its_report_is_not_kept(api: Api) -> None:
    rows = b"name,kind,sector\nRiverside Mending Circle,group,community_group\n"
    headers = api.as_("facilitator", **{"Idempotency-Key": "import-groups-1"})

    def send() -> Any:
        return api.client.post(
            f"/api/v1/localities/{HOME}/import/stakeholders?commit=true",
            files={"files": ("groups.csv", rows, "text/csv")},
            headers=headers,
        )

    first, retried = send(), send()
    assert first.status_code == retried.status_code == 200
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json()["error"] == "replayed" and "Mending" not in retried.text
    found = api.client.get(STAKEHOLDERS, params={"q": "Mending"}, headers=api.as_("lead")).json()
    assert found["count"] == 1
