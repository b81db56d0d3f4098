"""Over HTTP, against a real ``civicweave serve`` process on a free loopback port: one
command (make a commitment) from 16 concurrent clients, on SQLite and on PostgreSQL
with two API processes, and reading a locality's figures and network JSON."""

from __future__ import annotations

import json
import shutil
import threading
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg

from bench import load, servers
from bench.context import Context, application, postgres_available, postgres_database
from bench.generate import write_locality
from bench.report import Figure, Target, skipped

API = "/api/v1/localities"


def _copy_store(ctx: Context, url: str) -> str:
    """A copy of a SQLite store (events and views), for a scenario that changes it."""
    source = url.removeprefix("sqlite:///")
    copy = ctx.fresh_sqlite_url("copy")
    target = copy.removeprefix("sqlite:///")
    for suffix in ("", "-wal"):
        for origin, destination in ((source, target), (_views(source), _views(target))):
            if _exists(origin + suffix):
                shutil.copyfile(origin + suffix, destination + suffix)
    return copy


def _views(path: str) -> str:
    return path.removesuffix(".db") + "-views.db"


def _exists(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def _commitment(ctx: Context, stakeholders: int, base_url: str, token: str) -> load.Request:
    plan = ctx.plan(stakeholders)
    body = {
        "promisor_id": str(plan.stakeholders[0].id),
        "promisee_ids": [str(plan.stakeholders[1].id)],
        "what": "Share the referral figures before the next Change Group",
        "due": (ctx.today + timedelta(days=30)).isoformat(),
    }
    return load.Request(
        f"{base_url}{API}/{plan.slug}/commitments",
        method="POST",
        body=json.dumps(body).encode(),
        headers=(("Content-Type", "application/json"), ("Authorization", f"Bearer {token}")),
    )


def _bare_write(base_url: str, command: load.Request) -> load.Request:
    """The trivial server's ``POST /write`` with the command's body."""
    return load.Request(
        f"{base_url}/write", method="POST", body=command.body, headers=(("Content-Type", "application/json"),)
    )


def _against_bare(name: str, where: str) -> Figure:
    return Figure(
        f"{name}: requests/s against a bare write",
        "req/s",
        baseline_name=f"bare write endpoint: validated body, one {where} insert a transaction",
    )


def _bare_note(figure: Figure, bare: list[load.Load]) -> None:
    p99 = sorted(result.p99_ms for result in bare)[len(bare) // 2]
    errors = sum(result.errors for result in bare)
    figure.note = (
        f"the least a durable write over HTTP does here (bench/trivial.py; p99 {p99:.1f} ms, "
        f"errors {errors}): no authentication, log, version check or views"
    )


def _run(ctx: Context, request: load.Request) -> load.Load:
    return load.run(
        request, tool=ctx.load, seconds=ctx.sizes.http_seconds, max_requests=ctx.sizes.http_requests
    )


def _unavailable(ctx: Context) -> str | None:
    if ctx.load == "wrk" and shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install -y wrk), so the HTTP scenarios are skipped"
    return None


def _figures(name: str, baseline: str, target: Target, p99: Target | None) -> tuple[Figure, Figure]:
    rate = Figure(f"{name}: requests/s", "req/s", baseline_name=baseline, target=target)
    latency = Figure(f"{name}: p99 latency", "ms", baseline_name=baseline, target=p99)
    return rate, latency


def _beside(rate: Figure, latency: Figure, result: load.Load, base: load.Load) -> load.Load:
    """Record a run's rate and p99 beside the baseline's of the same moment; the run."""
    rate.runs.append(result.per_second)
    rate.baseline_runs.append(base.per_second)
    latency.runs.append(result.p99_ms)
    latency.baseline_runs.append(base.p99_ms)
    return result


def _note(figure: Figure, loads: list[load.Load], limit: int) -> None:
    errors = sum(result.errors for result in loads)
    total = sum(result.requests for result in loads)
    figure.note = f"{total:,} requests by {loads[0].tool}, 16 connections; errors {errors}"
    if any(result.requests >= limit for result in loads):
        figure.note += "; REQUEST CAP REACHED: the rate is a lower bound"


def command_sqlite(ctx: Context) -> list[Figure]:
    name = "one command over HTTP (make a commitment), SQLite, 16 clients"
    if reason := _unavailable(ctx):
        return [skipped(name, reason)]
    url = _copy_store(ctx, ctx.locality_store(ctx.sizes.command_stakeholders))
    token = servers.administrator_token(url)
    rate, latency = _figures(name, "trivial async endpoint", Target("ratio>=", 0.25), Target("value<=", 50))
    against_bare = _against_bare(name, "SQLite")
    loads, bare = [], []
    with ExitStack() as stack:
        trivial = stack.enter_context(servers.trivial(ctx.workdir))
        server = stack.enter_context(servers.civicweave(url, ctx.workdir))
        command = _commitment(ctx, ctx.sizes.command_stakeholders, server.base_url, token)
        ping = load.Request(f"{trivial.base_url}/ping")
        write = _bare_write(trivial.base_url, command)
        for _ in range(ctx.runs):
            base = _run(ctx, ping)
            loads.append(_beside(rate, latency, _run(ctx, command), base))
            bare.append(_run(ctx, write))
            against_bare.runs.append(loads[-1].per_second)
            against_bare.baseline_runs.append(bare[-1].per_second)
    _note(rate, loads, ctx.sizes.http_requests)
    _bare_note(against_bare, bare)
    return [rate, latency, against_bare]


def _insert_transactions(url: str, seconds: float, max_transactions: int, clients: int = 16) -> float:
    """Transactions/s of single-row inserts (an event-sized row each) from ``clients`` threads."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS raw_inserts (id uuid PRIMARY KEY, version bigint, topic text, state bytea)"
        )
    state = b'{"actor":"bench","what":"Share the referral figures before the next Change Group"}' * 4
    done = [0] * clients
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            while time.monotonic() < deadline and sum(done) < max_transactions:
                connection.execute(
                    "INSERT INTO raw_inserts VALUES (%s, 1, 'bench:Event', %s)", (uuid4(), state)
                )
                done[number] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return sum(done) / (time.perf_counter() - started)


def command_postgres(ctx: Context) -> list[Figure]:
    name = "one command over HTTP, PostgreSQL, 2 API processes, 16 clients"
    if reason := _unavailable(ctx) or postgres_available():
        return [skipped(name, reason)]
    rate, latency = _figures(name, "single-row psycopg insert txn/s", Target("ratio>=", 0.5), None)
    latency.baseline_name = ""
    against_bare = _against_bare(name, "PostgreSQL")
    against_bare.baseline_name += ", 2 processes"
    loads, bare = [], []
    with postgres_database() as url:
        with application(url) as app:
            write_locality(app, ctx.plan(ctx.sizes.command_stakeholders))
        token = servers.administrator_token(url)
        with (
            servers.civicweave(url, ctx.workdir, workers=2) as server,
            servers.trivial(ctx.workdir, workers=2, write_to=url) as trivial,
        ):
            command = _commitment(ctx, ctx.sizes.command_stakeholders, server.base_url, token)
            write = _bare_write(trivial.base_url, command)
            _caught_up(server.base_url)
            for _ in range(ctx.runs):
                rate.baseline_runs.append(
                    _insert_transactions(url, ctx.sizes.http_seconds, ctx.sizes.http_requests)
                )
                result = _run(ctx, command)
                loads.append(result)
                rate.runs.append(result.per_second)
                latency.runs.append(result.p99_ms)
                bare.append(_run(ctx, write))
                against_bare.runs.append(result.per_second)
                against_bare.baseline_runs.append(bare[-1].per_second)
    _note(rate, loads, ctx.sizes.http_requests)
    _bare_note(against_bare, bare)
    return [rate, latency, against_bare]


def _caught_up(base_url: str, timeout: float = 600) -> None:
    """Wait until the views include every event (the projector catches up on start)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if httpx.get(f"{base_url}/ready", timeout=10).json().get("lag") == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the views did not catch up within {timeout:.0f} s")


def reads(ctx: Context) -> list[Figure]:
    stakeholders = ctx.sizes.read_stakeholders
    name = f"read over HTTP, {stakeholders:,}-stakeholder locality"
    if reason := _unavailable(ctx):
        return [skipped(name, reason)]
    url = ctx.locality_store(stakeholders)
    token = servers.administrator_token(url)
    slug = ctx.plan(stakeholders).slug
    auth = ("Authorization", f"Bearer {token}")
    network = f"{API}/{slug}/network"
    paths = {  # what, path, the Accept-Encoding sent
        "figures JSON": (f"{network}/figures", BROWSER),
        "network JSON": (network, BROWSER),
        "network JSON, a client without brotli": (network, WITHOUT_BROTLI),
    }
    figures: list[Figure] = []
    with ExitStack() as stack:
        trivial = stack.enter_context(servers.trivial(ctx.workdir))
        ready = paths["figures JSON"][0]
        server = stack.enter_context(
            servers.civicweave(url, ctx.workdir, ready_path=ready, headers=dict([auth]))
        )
        ping = load.Request(f"{trivial.base_url}/ping")
        for what, (path, accepted) in paths.items():
            request = load.Request(f"{server.base_url}{path}", headers=(auth, ("Accept-Encoding", accepted)))
            # The steady state is measured: the first read's encoding (once per state) is not.
            answer, coding = _answer_bytes(ctx, request, what)
            with servers.trivial(ctx.workdir, answer=answer, coding=coding) as sender:
                same_bytes = load.Request(f"{sender.base_url}/bytes")
                figures += _read(ctx, f"{name}: {what}", request, ping, same_bytes, accepted)
            figures[-1].note = (
                f"the trivial endpoint sending this answer's {answer.stat().st_size / 1e6:.2f} MB "
                f"({coding}) as it is: the most a server does with an answer this size on this machine"
            )
    return figures


#: What Chromium sends; civicweave answers brotli.
BROWSER = "gzip, deflate, br, zstd"
#: What httpx and requests send without the brotli package; civicweave answers gzip.
WITHOUT_BROTLI = "gzip, deflate"


def _answer_bytes(ctx: Context, request: load.Request, what: str) -> tuple[Path, str]:
    """Our answer to ``request`` as sent (compressed), kept in a file; its content coding."""
    with httpx.stream("GET", request.url, headers=dict(request.headers), timeout=600) as answer:
        answer.raise_for_status()
        coding = answer.headers.get("content-encoding", "")
        if coding not in ("br", "gzip"):
            raise RuntimeError(f"the {what} answer was sent as {coding or 'identity'}, not compressed")
        sent = b"".join(answer.iter_raw())
    path = ctx.workdir / f"answer-{what.replace(' ', '-').replace(',', '')}"
    path.write_bytes(sent)
    return path, coding


def _read(
    ctx: Context,
    name: str,
    request: load.Request,
    ping: load.Request,
    same_bytes: load.Request,
    accepted: str,
) -> list[Figure]:
    """Requests/s and p99 against the ping; requests/s against the same bytes sent trivially."""
    rate, latency = _figures(name, "trivial async endpoint", Target("ratio>=", 0.5), Target("value<=", 30))
    against_bytes = Figure(
        f"{name}: requests/s against the same bytes",
        "req/s",
        baseline_name="its bytes, sent by the trivial endpoint",
    )
    loads = []
    for _ in range(ctx.runs):
        base = _run(ctx, ping)
        result = _beside(rate, latency, _run(ctx, request), base)
        sent = _run(ctx, same_bytes)
        loads.append(result)
        against_bytes.runs.append(result.per_second)
        against_bytes.baseline_runs.append(sent.per_second)
    _note(rate, loads, ctx.sizes.http_requests)
    rate.note += f"; Accept-Encoding: {accepted}"
    return [rate, latency, against_bytes]
