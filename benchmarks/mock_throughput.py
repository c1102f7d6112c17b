"""Throughput of the mock server against a bare Starlette app and Prism, on loopback.

    python3 benchmarks/mock_throughput.py [--duration 5] [--connections 50] [--rounds 3]
                                          [--startups 5] [--prism PATH] [--in-process]

Each server runs as one process pinned to CPU 0; the load generator (wrk, from Debian's
``wrk`` package) is pinned to CPU 1. Two requests: ``GET`` the IVC task list, and a valid
``POST`` create with 32 channels (a unique TaskName per request, so the mock's x-state
uniqueness rule lets every one succeed). The bare Starlette app reads the body and answers the
same bytes the mock answers, once on uvicorn's defaults (the peer every ratio is taken against)
and once on the mock's own uvicorn settings (the protocol of ``mockserver.transport``, no
Server header, no proxy headers: what those settings give by themselves); Prism (``npm i
@stoplight/prism-cli``, run as ``prism mock -m -v silent``) serves the same spec when it is
found. Every measurement starts a fresh server
process: a warm-up second, then ``--duration`` seconds measured, and the CPU time the server
process used per request (from ``/proc``, less disturbed by other load than req/s). The servers
take turns, ``--rounds`` times, so that each ratio to bare Starlette compares measurements
taken minutes apart at most; the table shows medians over the rounds. Also measured: the mock's
startup, from ``python -m mockserver`` to its first answer, serving every spec (``--startups``
times), and with ``--in-process`` the µs per request of the ASGI apps called directly (no
sockets, thread CPU time, best of 7 batches).

Bounded: each run has a fixed duration and every process is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing
LIST = "/ivc/record/retrievetasklsit/query"
CREATE = "/ivc/record/retrievetask/add"
REQUESTS = ("GET list", "POST create, 32 channels")


def create_body(name: str) -> dict[str, object]:
    return {
        "TaskName": name,
        "StartTime": 1662048000,
        "EndTime": 1662051600,
        "Mode": 1,
        "Expiration": 30,
        "Channels": [
            {"DeviceId": f"3402000000132000{i:04d}", "ChannelId": f"3402000000131000{i:04d}"}
            for i in range(32)
        ],
    }


LUA = """
local run = "r"
init = function(args) run = args[1] or "r" end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"},
                    PREFIX .. run .. "_" .. counter .. SUFFIX)
end
"""

BARE_APP = """
import sys
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

LIST, CREATE = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()

async def listing(request):
    return Response(LIST, media_type="application/json")

async def create(request):
    await request.body()
    return Response(CREATE, media_type="application/json")

app = Starlette(routes=[Route("@LIST@", listing), Route("@CREATE@", create, methods=["POST"])])
""".replace("@LIST@", LIST).replace("@CREATE@", CREATE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(cpu: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if shutil.which("taskset") else command


def wait_for(url: str, process: subprocess.Popen[bytes], limit: float = 30.0) -> float:
    """Seconds until ``url`` answers (polling every 5 ms)."""
    started = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:  # noqa: S310 - loopback http
                answer.read()
                return time.monotonic() - started
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited ({process.returncode})") from None
            if time.monotonic() - started > limit:
                raise RuntimeError(f"no answer from {url} within {limit} s") from None
            time.sleep(0.005)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process (Linux ``/proc``), ``None`` elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    server: str
    request: str
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us: float | None
    errors: str


def _millis(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    url: str, seconds: int, connections: int, script: Path | None, run: str
) -> tuple[float, float, float, str]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
        command += ["--", run]
    out = subprocess.run(  # noqa: S603 - fixed argv, no shell
        pinned(1, command), capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _millis(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _millis(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    problems = ", ".join(
        filter(
            None,
            [
                f"non-2xx {errors.group(1)}" if errors else "",
                socket_errors.group(1) if socket_errors else "",
            ],
        )
    )
    return rps, p50, p99, problems


def measure(
    name: str, command: list[str], port: int, args: argparse.Namespace, script: Path
) -> list[Result]:
    results = []
    for label, path, lua in ((REQUESTS[0], LIST, None), (REQUESTS[1], CREATE, script)):
        with tempfile.TemporaryFile() as log:
            results.append(_run(name, label, command, port, path, lua, args, log))
    return results


def _run(
    name: str,
    label: str,
    command: list[str],
    port: int,
    path: str,
    lua: Path | None,
    args: argparse.Namespace,
    log: IO[bytes],
) -> Result:
    process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        pinned(0, command), cwd=REPO, stdout=subprocess.DEVNULL, stderr=log
    )
    try:
        try:
            wait_for(f"http://127.0.0.1:{port}{LIST}", process)
        except RuntimeError:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-2000:])
            raise
        url = f"http://127.0.0.1:{port}{path}"
        wrk(url, 1, args.connections, lua, f"warm{os.getpid()}")
        before = cpu_seconds(process.pid)
        rps, p50, p99, errors = wrk(url, args.duration, args.connections, lua, f"run{os.getpid()}")
        after = cpu_seconds(process.pid)
        cpu = None
        if before is not None and after is not None and rps > 0:
            cpu = (after - before) / (rps * args.duration) * 1e6
        return Result(name, label, rps, p50, p99, cpu, errors or "none")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def startup(port: int) -> float:
    """Seconds from `python -m mockserver` (every spec) to its first answer."""
    command = [sys.executable, "-m", "mockserver", "--port", str(port), "--quiet"]
    process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        pinned(0, command), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        return wait_for(f"http://127.0.0.1:{port}{LIST}", process)
    finally:
        process.terminate()
        process.wait(timeout=10)


# -- in process ---------------------------------------------------------------------------------

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


async def _call(app: App, method: str, path: str, body: bytes | None) -> int:
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk")]
    if body is not None:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    messages = [{"type": "http.request", "body": body or b"", "more_body": False}]
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def per_request(app: App, label: str, batch: int = 2000, batches: int = 7) -> float:
    """µs of thread CPU time per request (best batch), answers checked to be 200."""
    prefix, suffix = json.dumps(create_body("@@"), separators=(",", ":")).encode().split(b"@@")
    counter = iter(range(10**9))

    async def loop(count: int) -> None:
        for _ in range(count):
            if label == REQUESTS[0]:
                status = await _call(app, "GET", LIST, None)
            else:
                body = prefix + b"p_%d" % next(counter) + suffix
                status = await _call(app, "POST", CREATE, body)
            if status != 200:
                raise RuntimeError(f"{label}: {status}")

    asyncio.run(loop(batch // 2))  # warm-up
    best = float("inf")
    for _ in range(batches):
        started = time.thread_time()
        asyncio.run(loop(batch))
        best = min(best, (time.thread_time() - started) / batch * 1e6)
    return best


def in_process(work: Path) -> list[tuple[str, str, float]]:
    from mockserver import Settings, create_app

    sys.argv[1:] = [str(work / "list.json"), str(work / "create.json")]
    sys.path.insert(0, str(work))
    import bare  # type: ignore[import-not-found]  # written by main()

    mock = create_app(Settings(quiet=True))
    found = []
    for name, app in (("mock", mock), ("bare Starlette", bare.app)):
        for label in REQUESTS:
            found.append((name, label, per_request(app, label)))
    mock.store.close()
    return found


# -- report -------------------------------------------------------------------------------------


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def report(results: list[list[Result]], boots: list[float], args: argparse.Namespace) -> None:
    rounds = len(results)
    cells: dict[tuple[str, str], list[Result]] = {}
    for found in results:
        for result in found:
            cells.setdefault((result.server, result.request), []).append(result)
    ratios: dict[tuple[str, str], list[float]] = {}
    for found in results:
        bare = {r.request: r.rps for r in found if r.server.startswith("bare")}
        for r in found:
            ratios.setdefault((r.server, r.request), []).append(r.rps / bare[r.request])
    print(f"medians of {rounds} round(s)\n")
    print("| server | request | req/s | vs bare | p50 ms | p99 ms | CPU µs/req | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for (server, request), found in cells.items():
        cpus = [r.cpu_us for r in found if r.cpu_us is not None]
        errors = sorted({r.errors for r in found})
        row = [
            server,
            request,
            f"{statistics.median(r.rps for r in found):,.0f}",
            f"{statistics.median(ratios[server, request]):.0%}",
            f"{statistics.median(r.p50_ms for r in found):.2f}",
            f"{statistics.median(r.p99_ms for r in found):.2f}",
            f"{statistics.median(cpus):.0f}" if cpus else "-",
            ", ".join(errors),
        ]
        print("| " + " | ".join(row) + " |")
    print("\nvs bare, each round:")
    for (server, request), values in ratios.items():
        if not server.startswith("bare"):
            print(f"  {server}, {request}: " + " ".join(f"{v:.0%}" for v in values))
    print(
        f"\nmock startup, `python -m mockserver` (4 specs) to first answer, {len(boots)} runs: "
        f"min {min(boots):.2f} s, median {statistics.median(boots):.2f} s"
    )
    load = f"wrk -t1 -c{args.connections} -d{args.duration}s"
    print(f"{load} on CPU 1, each server one process on CPU 0")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement (5)")
    parser.add_argument("--connections", type=int, default=50, help="open connections (50)")
    parser.add_argument("--rounds", type=int, default=3, help="turns of every server (3)")
    parser.add_argument("--startups", type=int, default=5, help="startups measured (5)")
    parser.add_argument("--prism", default=shutil.which("prism") or "", help="the prism command")
    parser.add_argument(
        "--in-process", action="store_true", help="also µs per request without sockets"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    print(f"load average before: {_load()}")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        template = json.dumps(create_body("@@"), separators=(",", ":"))
        prefix, suffix = template.split("@@")
        script = work / "create.lua"
        script.write_text(f"PREFIX = {json.dumps(prefix)}\nSUFFIX = {json.dumps(suffix)}\n{LUA}")
        # The bytes the mock answers, for the bare app to answer too.
        from mockserver import Settings, create_app
        from mockserver.selection import Preference
        from mockserver.stores import MemoryStore

        app = create_app(Settings(quiet=True), store=MemoryStore(limit=10))
        plans = {plan.operation_id: plan for plan in app.mock.plans.values()}
        listed = app.mock.respond(plans["listRetrieveTasks"], Preference(), {})
        created = app.mock.respond(
            plans["createRetrieveTask"], Preference(), {"body": create_body("bare")}
        )
        (work / "list.json").write_bytes(listed.raw)  # type: ignore[union-attr]
        (work / "create.json").write_bytes(created.raw)  # type: ignore[union-attr]
        (work / "bare.py").write_text(BARE_APP)

        def servers() -> list[tuple[str, list[str], int]]:
            found = []
            port = free_port()
            mock = [sys.executable, "-m", "mockserver", "--port", str(port), "--quiet"]
            found.append(("mock (python -m mockserver --quiet)", mock, port))
            port = free_port()
            bare = [
                sys.executable,
                "-c",
                "import sys, uvicorn; sys.argv = ['', sys.argv[1], sys.argv[2]]; "
                f"sys.path.insert(0, {str(work)!r}); import bare; "
                f"uvicorn.run(bare.app, host='127.0.0.1', port={port}, "
                "log_level='warning', access_log=False)",
                str(work / "list.json"),
                str(work / "create.json"),
            ]
            found.append(("bare Starlette (same bytes)", bare, port))
            port = free_port()
            tuned = [
                sys.executable,
                "-c",
                "import sys, uvicorn; sys.argv = ['', sys.argv[1], sys.argv[2]]; "
                f"sys.path[:0] = [{str(work)!r}, {str(REPO)!r}]; import bare; "
                "from mockserver.transport import CoalescingHTTPProtocol; "
                f"uvicorn.run(bare.app, host='127.0.0.1', port={port}, "
                "log_level='warning', access_log=False, http=CoalescingHTTPProtocol, "
                "server_header=False, proxy_headers=False)",
                str(work / "list.json"),
                str(work / "create.json"),
            ]
            found.append(("Starlette on the mock's uvicorn settings (same bytes)", tuned, port))
            if args.prism:
                port = free_port()
                spec = str(REPO / "specs" / "tencent-ivc.yaml")
                prism = [args.prism, "mock", "-m", "-v", "silent", "-p", str(port), spec]
                found.append(("Prism (prism mock -m -v silent)", prism, port))
            return found

        results: list[list[Result]] = []
        for _ in range(max(1, args.rounds)):
            found: list[Result] = []
            for name, command, port in servers():
                found.extend(measure(name, command, port, args, script))
            results.append(found)
        boots = [startup(free_port()) for _ in range(max(1, args.startups))]
        inside = in_process(work) if args.in_process else []

    report(results, boots, args)
    if inside:
        print("\nin process (the ASGI app called directly, thread CPU time, best of 7 batches):")
        bare_us = {label: us for name, label, us in inside if name.startswith("bare")}
        for name, label, us in inside:
            print(f"  {name}, {label}: {us:.1f} µs ({bare_us[label] / us:.0%} of bare's rate)")
    print(f"load average after: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
