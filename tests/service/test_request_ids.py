"""Every answer names its request (``X-Request-ID``), as the log line of that request does:
the client's own id when it sent one, else a new one, never the same twice."""

from __future__ import annotations

import os

from service import observability
from tests.service.conftest import Api


def test_each_answer_gets_an_id_of_its_own(api: Api) -> None:
    ids = [api.client.get("/health").headers["X-Request-ID"] for _ in range(50)]
    assert len(set(ids)) == 50
    assert all(len(each) == 32 and int(each, 16) >= 0 for each in ids)


def test_a_client_id_is_kept(api: Api) -> None:
    answer = api.client.get("/health", headers={"X-Request-ID": "trace-42"})
    assert answer.headers["X-Request-ID"] == "trace-42"


def test_a_forked_worker_does_not_repeat_its_parents_ids() -> None:
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.write(write, observability._new_request_id().encode())
        os._exit(0)
    os.waitpid(child, 0)
    in_child = os.read(read, 64).decode()
    in_parent = observability._new_request_id()
    assert in_child[:16] != in_parent[:16]
