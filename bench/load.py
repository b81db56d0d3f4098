"""Load generators, on loopback only, bounded in requests and in time, stopping by themselves.

``wrk`` (Debian's package) is the load generator of record: written in C, it leaves the
server the CPU. Without it the HTTP scenarios are skipped, unless the Python generator
is asked for (``--load python``, as the smoke test does): an asyncio client of the
same shape, good enough to show the scenario works, but it takes CPU from the server,
so its figures are not comparable with wrk's.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CONNECTIONS = 16


class LoadUnavailableError(RuntimeError):
    """No load generator to run (wrk is not installed)."""


@dataclass(frozen=True)
class Request:
    url: str
    method: str = "GET"
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Load:
    """What a load run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run(
    request: Request,
    *,
    tool: str,
    seconds: float,
    max_requests: int,
    connections: int = CONNECTIONS,
) -> Load:
    """Send ``request`` over ``connections`` keep-alive connections until ``max_requests``
    answers or ``seconds`` have passed, whichever comes first."""
    host = urlsplit(request.url).hostname
    if host != "127.0.0.1":
        raise ValueError(f"load is generated on loopback only, not on {host}")
    if tool == "wrk":
        if shutil.which("wrk") is None:
            raise LoadUnavailableError("wrk is not installed (apt-get install -y wrk); scenario skipped")
        return _wrk(request, seconds, max_requests, connections)
    return asyncio.run(_python(request, seconds, max_requests, connections))


#: The request cap is counted as requests are sent, not as answers come back: a script with
#: a ``response`` function has wrk copy every answer's body into Lua, which for the 1 MB
#: network answer cost the load generator more than the server (1,360 against 2,280 req/s).
_LUA = """
wrk.method = {method}
wrk.body = {body}
{headers}
local limit = {limit}
local count = 0
local formatted = nil
function request()
  count = count + 1
  if count > limit then wrk.thread:stop() end
  if formatted == nil then formatted = wrk.format() end
  return formatted
end
"""
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for this text


def _wrk(request: Request, seconds: float, max_requests: int, connections: int) -> Load:
    threads = 2
    headers = "\n".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in request.headers)
    script = _LUA.format(
        method=_lua_string(request.method),
        body=_lua_string(request.body.decode()),
        headers=headers,
        limit=max(1, max_requests // threads),
    )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "load.lua"
        path.write_text(script)
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(path),
            request.url,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> Load:
    """The figures of wrk's report (run with --latency)."""
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if total is None:
        raise RuntimeError(f"wrk's report has no request count:\n{output}")
    percentiles = {
        int(p): float(v) * _UNITS[u]
        for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Load(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * _UNITS[total.group(3)] / 1000,
        p50_ms=percentiles.get(50, float("nan")),
        p99_ms=percentiles.get(99, float("nan")),
        errors=errors,
        tool="wrk",
    )


async def _python(request: Request, seconds: float, max_requests: int, connections: int) -> Load:
    parts = urlsplit(request.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    head = [f"{request.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    head += [f"{k}: {v}" for k, v in request.headers]
    head.append(f"Content-Length: {len(request.body)}")
    message = ("\r\n".join(head) + "\r\n\r\n").encode() + request.body
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    issued = 0

    async def client() -> None:
        nonlocal errors, issued
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while issued < max_requests and time.monotonic() < deadline:
                issued += 1
                sent = time.perf_counter()
                writer.write(message)
                await writer.drain()
                status = await _read_response(reader)
                latencies.append((time.perf_counter() - sent) * 1000)
                if not 200 <= status < 400:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(connections))), seconds + 60)
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")
    return Load(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=statistics.median(ordered) if ordered else float("nan"),
        p99_ms=p99,
        errors=errors,
        tool="python",
    )


async def _read_response(reader: asyncio.StreamReader) -> int:
    header = await reader.readuntil(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if fields.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(fields.get("content-length", "0")))
    return status
