"""Request bodies: read with a size limit, check the media type, parse JSON defensively.

Every way a body can be unusable is a `BadInput` naming its kind of failure (the kinds of
``x-validation-errors``): ``tooLarge`` (more bytes than allowed), ``mediaType`` (a
Content-Type the operation does not declare, or none), ``malformed`` (not UTF-8, not JSON, a
number JSON cannot hold, nesting deeper than allowed). None of them is ever a 5xx.

JSON is read by msgspec when it is installed: it gives the json module's values (integers of
any size stay exact ints, unlike orjson's, which turns those beyond 64 bits into floats); what
msgspec refuses is read again by the json module, which accepts what it accepts (a lone
surrogate escape) and words every error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any, Final

from generator.runtime import ABSENT

try:  # an accelerator: the same values, three times faster
    import msgspec
except ImportError:  # pragma: no cover - depends on the environment
    msgspec = None  # type: ignore[assignment]

__all__ = ["BadInput", "is_json_media", "media_type_of", "parse_json", "read_body"]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

_STRUCTURE: Final = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class BadInput(Exception):
    """A request that cannot be validated at all: ``kind`` and a message saying why."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def media_type_of(content_type: str | None) -> str | None:
    """The media type of a Content-Type value, lower-cased, without parameters.

    >>> media_type_of("Application/JSON; charset=utf-8")
    'application/json'
    """
    if content_type is None:
        return None
    media = content_type.partition(";")[0].strip().lower()
    return media or None


def is_json_media(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


async def read_body(receive: Receive, declared_length: str | None, limit: int) -> bytes:
    """The request body, at most ``limit`` bytes (else `BadInput` ``tooLarge``)."""
    if declared_length is not None:
        length = declared_length.strip()
        if length.isdigit() and int(length) > limit:
            raise BadInput("tooLarge", f"the body has {length} bytes, at most {limit} are accepted")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise BadInput("tooLarge", f"the body exceeds {limit} bytes")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _depth(raw: bytes) -> int:
    deepest = depth = 0
    for match in _STRUCTURE.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


_decode: Final = msgspec.json.Decoder().decode if msgspec is not None else None
# What msgspec raises on a body it does not read: the json module reads it again.
_REFUSED: Final = (msgspec.DecodeError, UnicodeDecodeError) if msgspec is not None else ()
_SURELY_DEEPER: Final = 200
"""A RecursionError of msgspec means at least this many levels (the recursion limit, 1,000 by
default, less the frames below the parser)."""


_NOT_OPENING: Final = bytes(byte for byte in range(256) if byte not in b"[{")


def _openings(raw: bytes) -> int:
    """How many ``[`` and ``{`` bytes ``raw`` holds: no value nests deeper than that. (One C
    pass deleting every other byte; two ``bytes.count`` passes took half as long again.)"""
    return len(raw.translate(None, _NOT_OPENING))


def _nesting(value: Any, limit: int) -> int:
    """How deeply arrays and objects nest in a parsed value (counting stops past ``limit``)."""
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level and depth <= limit:
        depth += 1
        inner = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                if type(child) is dict or type(child) is list:
                    inner.append(child)
        level = inner
    return depth


def parse_json(raw: bytes, *, max_depth: int) -> Any:
    """Parse a JSON body (RFC 8259: UTF-8, no NaN/Infinity); `BadInput` ``malformed`` if not.

    >>> parse_json(b'{"a": [1, 2]}', max_depth=8)
    {'a': [1, 2]}
    """
    if _decode is not None:
        try:
            value = _decode(raw)
        except RecursionError:
            # msgspec recurses per level, so the body nests about as deep as Python's
            # recursion limit, far beyond any sane limit: no need to scan it level by level.
            if max_depth <= _SURELY_DEEPER:
                raise BadInput(
                    "malformed", f"the body nests deeper than {max_depth} levels"
                ) from None
        except _REFUSED:  # msgspec.ValidationError (a number out of range) is a DecodeError
            pass
        else:
            if _openings(raw) > max_depth and _nesting(value, max_depth) > max_depth:
                raise BadInput("malformed", f"the body nests deeper than {max_depth} levels")
            return value
    return _parse_with_json(raw, max_depth=max_depth)


def _parse_with_json(raw: bytes, *, max_depth: int) -> Any:
    if _openings(raw) > max_depth and _depth(raw) > max_depth:
        raise BadInput("malformed", f"the body nests deeper than {max_depth} levels")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(
            "malformed",
            f"the body is not UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})",
        ) from None
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise BadInput(
            "malformed", f"the body is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise BadInput("malformed", f"the body is not usable JSON: {exc}") from None


def parse_body(
    raw: bytes, media_type: str | None, declared: Iterable[str] | None, *, max_depth: int
) -> Any:
    """The body as the validators take it: parsed JSON, or `ABSENT` when there is none.

    ``declared``: the media types the operation accepts (``None``: it declares no body, and a
    body sent anyway is ignored).
    """
    if not raw or declared is None:
        return ABSENT
    accepted = tuple(declared)
    if media_type is None:
        if "*/*" not in accepted:
            raise BadInput(
                "mediaType", f"the body has no Content-Type (accepted: {', '.join(accepted)})"
            )
        media_type = "application/json"
    elif not _accepts(accepted, media_type):
        raise BadInput(
            "mediaType",
            f"Content-Type {media_type} is not accepted (accepted: {', '.join(accepted)})",
        )
    if is_json_media(media_type):
        return parse_json(raw, max_depth=max_depth)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("malformed", "the body is not UTF-8 text") from None


def _accepts(accepted: tuple[str, ...], media_type: str) -> bool:
    return (
        media_type in accepted
        or media_type.split("/", 1)[0] + "/*" in accepted
        or "*/*" in accepted
    )
