"""Answers written once per pass of the event loop: uvicorn's HTTP protocol over a transport
that gathers the writes of each connection and sends them together.

uvicorn writes a response's head and its body as they come, and uvloop sends each write at
once: two sends per answer, each waking the client. Under load the server answers several
connections in one pass of its loop; `CoalescingTransport` holds a connection's writes until
the end of that pass (``loop.call_soon``) and sends them as one. Bytes and their order are
unchanged; only when they leave moves, by at most one pass. Measured on loopback under load
(``benchmarks/README.md``, run G): a bare Starlette app answers about 1.6 times as many
creates per second with it, the mock about 1.3 times.

The protocol is chosen through uvicorn's ``http`` setting, which takes a protocol class:
``uvicorn.run(app, http=CoalescingHTTPProtocol)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

try:  # uvicorn's choice for "auto": httptools when installed, else h11
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Protocol
except ImportError:  # pragma: no cover - depends on the environment
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Protocol  # type: ignore[assignment]

__all__ = ["CoalescingHTTPProtocol", "CoalescingTransport"]


class CoalescingTransport(asyncio.Transport):
    """A transport whose writes within one pass of the event loop leave as one.

    Everything but writing and closing is the wrapped transport's own (flow control, peer
    address, ``is_closing``). Closing sends what is held first; aborting drops it, as
    aborting a transport drops its buffer.
    """

    __slots__ = ("_held", "_loop", "_scheduled", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        # A copy of what is not bytes: the caller may reuse its buffer once write() returns.
        self._held.append(data if type(data) is bytes else bytes(data))
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self.flush)

    def writelines(self, lines: Iterable[bytes | bytearray | memoryview]) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        """Send what is held now (called at the end of the loop's pass)."""
        self._scheduled = False
        held = self._held
        if not held:
            return
        self._held = []
        if self._transport.is_closing():
            return  # the connection is gone: as a closed transport drops a write
        if len(held) == 1:
            self._transport.write(held[0])
        else:
            self._transport.writelines(held)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._held))

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = []
        self._transport.abort()

    # -- the wrapped transport's own ------------------------------------------------------

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()


class CoalescingHTTPProtocol(_Protocol):
    """uvicorn's HTTP protocol (httptools, else h11) over a `CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))
