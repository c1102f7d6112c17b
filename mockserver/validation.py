"""The one seam between HTTP and the generated validators.

`read_request` turns an ASGI request (scope + body stream) into a `generator.runtime.Request`:
raw strings for the path, query, headers and cookies, the body read with a size limit and
parsed as JSON (`mockserver.payload`). `validate` runs the operation's validator on it, its
``x-rules`` included (time rules against the server clock).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

from generator.runtime import Operation as Validator
from generator.runtime import Request, RequestResult
from mockserver.payload import Receive, media_type_of, parse_body, read_body
from mockserver.selection import strip_controls

__all__ = ["Incoming", "headers_of", "read_request", "validate"]

Scope = Mapping[str, Any]


class Incoming(NamedTuple):
    """The parts of a request the mock reads before validating (a named tuple: one is built
    per request)."""

    headers: dict[str, str]
    query: list[tuple[str, str]]


def headers_of(scope: Scope) -> dict[str, str]:
    """Header names (lower case, as ASGI gives them) to values; repeated headers joined."""
    raw = scope["headers"]
    headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in raw}
    if len(headers) == len(raw):
        return headers
    headers = {}  # a header repeated: its values joined, in order
    for raw_name, raw_value in raw:
        name = raw_name.decode("latin-1")
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def incoming(scope: Scope) -> Incoming:
    query_string = scope.get("query_string", b"")
    query = (
        parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
        if query_string
        else []
    )
    return Incoming(headers_of(scope), query)


def _cookies(header: str | None) -> dict[str, str]:
    if not header:
        return {}
    cookies = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            cookies[name] = value
    return cookies


async def read_request(
    scope: Scope,
    receive: Receive,
    seen: Incoming,
    declared_media: tuple[str, ...] | None,
    *,
    max_body: int,
    max_depth: int,
) -> Request:
    """The request as the validators take it (`mockserver.payload.BadInput` if unusable)."""
    headers = seen.headers
    media_type = media_type_of(headers.get("content-type"))
    raw = await read_body(receive, headers.get("content-length"), max_body)
    body = parse_body(raw, media_type, declared_media, max_depth=max_depth)
    return Request(
        path=scope.get("path_params") or {},
        query=strip_controls(seen.query),
        headers=headers,
        cookies=_cookies(headers.get("cookie")),
        body=body,
        media_type=media_type,
    )


def validate(validator: Validator, request: Request, *, now: int | None = None) -> RequestResult:
    """Every violation of ``request`` (parameters, body, ``x-rules``) and its typed values."""
    return validator.validate_request(request, now=now)
