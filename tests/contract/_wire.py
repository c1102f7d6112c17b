"""What went over the wire: the request as the server received it, the answer as it came back.

The suite judges the bytes that were sent (``response.request``), not the generated `Case`:
serialisation, hooks and the transport all happen in between, and the server only ever sees
the result. `sent_request` turns a sent request into a `generator.runtime.Request` for the
validators, or says why no server could read it (a body that is not JSON, a Content-Type the
operation does not declare). `answer_of` reads a response body the same way.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from generator.model import Operation
from generator.runtime import ABSENT, Request

__all__ = ["Answer", "Sent", "answer_of", "parse_json", "sent_request"]


@dataclass(frozen=True, slots=True)
class Sent:
    """A sent request: ``request`` for the validators, or ``unreadable`` saying why none."""

    request: Request | None
    unreadable: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """A response: its status, media type and parsed JSON body (`ABSENT` when not JSON)."""

    status: int
    media_type: str | None
    body: Any
    headers: dict[str, str]

    @property
    def is_json(self) -> bool:
        return self.body is not ABSENT


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text[:20]} is out of range")
    return value


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite)


def parse_json(raw: bytes) -> Any:
    """RFC 8259 JSON (UTF-8, no NaN/Infinity, finite numbers); ``ValueError`` otherwise."""
    return _DECODER.decode(raw.decode("utf-8"))


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    value = content_type.partition(";")[0].strip().lower()
    return value or None


def _template(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", path)
    pattern = "".join(
        f"(?P<p{index}>[^/]*)" if part.startswith("{") else re.escape(part)
        for index, part in enumerate(parts)
    )
    return re.compile(pattern + r"\Z")


def _path_parameters(operation: Operation, path: str) -> dict[str, str] | None:
    names = re.findall(r"\{([^}/]+)\}", operation.path)
    if not names:
        return {}
    match = _template(operation.path).search(path)
    if match is None:
        return None
    values = [value for key, value in match.groupdict().items() if key.startswith("p")]
    return {name: unquote(value) for name, value in zip(names, values, strict=True)}


def _cookies(header: str | None) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            cookies[name] = value
    return cookies


def sent_request(operation: Operation, prepared: Any) -> Sent:
    """The request ``prepared`` (a ``requests.PreparedRequest``) as the validators take it."""
    url = urlsplit(str(prepared.url))
    path = _path_parameters(operation, url.path)
    if path is None:
        return Sent(None, f"the URL path {url.path!r} does not match {operation.path}")
    headers = {str(name): str(value) for name, value in prepared.headers.items()}
    lowered = {name.lower(): value for name, value in headers.items()}
    content_type = media_type(lowered.get("content-type"))
    raw = prepared.body
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    body: Any = ABSENT
    if raw and operation.request_body is not None:
        declared = [media.media_type for media in operation.request_body.content]
        if content_type is None or content_type not in declared:
            return Sent(None, f"Content-Type {content_type} is not declared ({declared})")
        try:
            body = parse_json(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            return Sent(None, f"the body is not JSON: {exc}")
    request = Request(
        path=path,
        query=parse_qsl(url.query, keep_blank_values=True),
        headers=headers,
        cookies=_cookies(lowered.get("cookie")),
        body=body,
        media_type=content_type,
    )
    return Sent(request)


def answer_of(response: Any) -> Answer:
    """A Schemathesis ``Response`` read as status, media type and JSON body."""
    headers = {name.lower(): ", ".join(values) for name, values in response.headers.items()}
    kind = media_type(headers.get("content-type"))
    body: Any = ABSENT
    if kind is not None and (kind == "application/json" or kind.endswith("+json")):
        try:
            body = parse_json(response.content)
        except (ValueError, UnicodeDecodeError, RecursionError):
            body = ABSENT
    return Answer(response.status_code, kind, body, headers)
