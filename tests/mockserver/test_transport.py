"""`mockserver.transport`: writes gathered per pass of the loop, nothing else changed.

The unit tests hold the transport to its contract (order, one send per pass, close sends
first, abort drops). The differential test runs uvicorn twice on loopback, once with its own
HTTP protocol and once with `CoalescingHTTPProtocol`, sends both the same pipelined requests
and compares every byte that comes back (the Date header aside).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
import uvicorn
from hypothesis import given, settings
from hypothesis import strategies as st
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mockserver.transport import CoalescingHTTPProtocol, CoalescingTransport


class Recorder(asyncio.Transport):
    """A transport that records what is done to it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any]] = []
        self.closing = False

    def write(self, data: Any) -> None:
        self.calls.append(("write", bytes(data)))

    def writelines(self, lines: Any) -> None:
        self.calls.append(("writelines", [bytes(line) for line in lines]))

    def close(self) -> None:
        self.closing = True
        self.calls.append(("close", None))

    def abort(self) -> None:
        self.closing = True
        self.calls.append(("abort", None))

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return 7

    def pause_reading(self) -> None:
        self.calls.append(("pause_reading", None))

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else default


async def _one_pass() -> None:
    await asyncio.sleep(0)


def test_writes_of_one_pass_leave_together_in_order() -> None:
    asyncio.run(_test_writes_of_one_pass_leave_together_in_order())


async def _test_writes_of_one_pass_leave_together_in_order() -> None:
    real = Recorder()
    transport = CoalescingTransport(real, asyncio.get_running_loop())
    buffer = bytearray(b"head ")
    transport.write(buffer)
    buffer[:] = b"XXXXX"  # the caller reuses its buffer: what was written stays written
    transport.write(b"")
    transport.writelines([b"body", memoryview(b" tail")])
    assert real.calls == []
    assert transport.get_write_buffer_size() == 7 + len(b"head body tail")
    await _one_pass()
    assert real.calls == [("writelines", [b"head ", b"body", b" tail"])]
    transport.write(b"next")
    await _one_pass()
    assert real.calls[-1] == ("write", b"next")


def test_close_sends_what_is_held_and_abort_drops_it() -> None:
    asyncio.run(_test_close_sends_what_is_held_and_abort_drops_it())


async def _test_close_sends_what_is_held_and_abort_drops_it() -> None:
    real = Recorder()
    transport = CoalescingTransport(real, asyncio.get_running_loop())
    transport.write(b"last words")
    transport.close()
    assert real.calls == [("write", b"last words"), ("close", None)]
    await _one_pass()
    assert len(real.calls) == 2

    real = Recorder()
    transport = CoalescingTransport(real, asyncio.get_running_loop())
    transport.write(b"never sent")
    transport.abort()
    await _one_pass()
    assert real.calls == [("abort", None)]


def test_nothing_is_written_to_a_closed_connection() -> None:
    asyncio.run(_test_nothing_is_written_to_a_closed_connection())


async def _test_nothing_is_written_to_a_closed_connection() -> None:
    real = Recorder()
    transport = CoalescingTransport(real, asyncio.get_running_loop())
    transport.write(b"late")
    real.closing = True  # the peer went away before the end of the pass
    await _one_pass()
    assert real.calls == []


def test_everything_else_is_the_wrapped_transports() -> None:
    real = Recorder()
    loop = asyncio.new_event_loop()
    try:
        transport = CoalescingTransport(real, loop)
        transport.pause_reading()
        assert transport.get_extra_info("peername") == ("127.0.0.1", 1)
        assert real.calls == [("pause_reading", None)]
        assert not transport.is_closing()
    finally:
        loop.close()


# -- the same bytes on the wire ------------------------------------------------------------------


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers ``/?parts=N&size=S&chunked=0|1`` with the request body's length and ``N``
    parts of ``S`` bytes, sent as separate ``http.response.body`` messages."""
    if scope["type"] != "http":
        return
    received = 0
    while True:
        message = await receive()
        received += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    query = {k: int(v[0]) for k, v in parse_qs(scope["query_string"].decode()).items()}
    parts = [bytes([65 + i]) * query["size"] for i in range(query["parts"])]
    head = [(b"x-received", str(received).encode())]
    if not query["chunked"]:
        head.append((b"content-length", str(sum(map(len, parts))).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": head})
    for index, part in enumerate(parts):
        more = index < len(parts) - 1
        await send({"type": "http.response.body", "body": part, "more_body": more})
        await asyncio.sleep(0)  # let the loop turn between parts, now and then
    if not parts:
        await send({"type": "http.response.body", "body": b""})


@contextlib.contextmanager
def serving(protocol: type[asyncio.Protocol]) -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, http=protocol, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])))
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def ports() -> Iterator[tuple[int, int]]:
    with serving(HttpToolsProtocol) as stock, serving(CoalescingHTTPProtocol) as coalescing:
        yield stock, coalescing


def exchange(port: int, raw: bytes) -> bytes:
    """Send ``raw`` (pipelined requests, the last one closing) and read to the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(raw)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return re.sub(rb"date: [^\r]*\r\n", b"date: -\r\n", received)


REQUESTS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),  # parts
        st.integers(min_value=1, max_value=3000),  # size of each
        st.booleans(),  # chunked
        st.binary(max_size=2000),  # request body
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=25, deadline=None)
@given(REQUESTS)
def test_the_bytes_on_the_wire_are_uvicorns_own(ports: tuple[int, int], requests: Any) -> None:
    raw = b""
    for number, (parts, size, chunked, body) in enumerate(requests, start=1):
        close = b"connection: close\r\n" if number == len(requests) else b""
        raw += (
            f"POST /?parts={parts}&size={size}&chunked={int(chunked)} HTTP/1.1\r\n"
            f"host: 127.0.0.1\r\ncontent-length: {len(body)}\r\n".encode()
            + close
            + b"\r\n"
            + body
        )
    stock, coalescing = (exchange(port, raw) for port in ports)
    assert stock.count(b"HTTP/1.1 200 OK") == len(requests)
    assert coalescing == stock
