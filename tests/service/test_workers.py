"""service.workers: the address claimed alone first, then bound by each API process with
SO_REUSEPORT (the processes themselves: tests/e2e/test_workers.py)."""

from __future__ import annotations

import socket

import pytest

from service.workers import claim, listening_socket, reuse_port_supported

pytestmark = pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT is not offered here")


def test_claim_gives_the_port_and_a_free_one_for_port_0() -> None:
    port = claim("127.0.0.1", 0)
    assert port > 0
    assert claim("127.0.0.1", port) == port  # let go: the address is free again


def test_claim_refuses_an_address_served_even_by_a_socket_that_would_share_it() -> None:
    first = listening_socket("127.0.0.1", 0)
    try:
        first.listen()
        with pytest.raises(OSError):
            claim("127.0.0.1", first.getsockname()[1])
    finally:
        first.close()


def test_processes_bind_one_address_together_as_tcp_sockets() -> None:
    first = listening_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = listening_socket("127.0.0.1", port)
    try:
        first.listen()
        second.listen()
        # asyncio turns Nagle off only where the socket says TCP (else 40 ms stalls)
        assert first.proto == second.proto == socket.IPPROTO_TCP
        with socket.create_connection(("127.0.0.1", port)):
            pass
    finally:
        first.close()
        second.close()
