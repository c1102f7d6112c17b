"""Which answer the caller asks for: Prism's ``Prefer`` header and ``__`` query fallback.

Pure functions over strings. ``Prefer: code=409, example=TaskNameTaken, dynamic=true,
delay=300`` (RFC 7240: comma-separated preferences, ``;`` parameters ignored, names without
regard to case, values optionally quoted); the query parameters ``__code``, ``__example``,
``__dynamic`` and ``__delay`` are used for a preference the header does not state.

>>> preference("code=404, example=\\"Not Found\\"", [("__dynamic", "true")])
Preference(code='404', example='Not Found', dynamic=True, delay_ms=None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["CONTROL_QUERY", "NONE", "Preference", "parse_prefer", "preference", "strip_controls"]

CONTROL_QUERY: Final = frozenset({"__code", "__example", "__dynamic", "__delay"})
"""Query parameters that steer the mock; they are not part of the request the API sees."""

_KEYS: Final = ("code", "example", "dynamic", "delay")


@dataclass(frozen=True, slots=True)
class Preference:
    """What the caller asked for; ``None``: not asked."""

    code: str | None = None
    example: str | None = None
    dynamic: bool | None = None
    delay_ms: int | None = None

    @property
    def forced(self) -> bool:
        """True when the caller picked a documented answer (a status or an example)."""
        return self.code is not None or self.example is not None

    def applied(self) -> str:
        """The ``Preference-Applied`` header value (RFC 7240) for the honoured preferences."""
        parts = []
        if self.code is not None:
            parts.append(f"code={self.code}")
        if self.example is not None:
            parts.append(f'example="{self.example}"')
        if self.dynamic is not None:
            parts.append(f"dynamic={'true' if self.dynamic else 'false'}")
        if self.delay_ms is not None:
            parts.append(f"delay={self.delay_ms}")
        return ", ".join(parts)


NONE: Final = Preference()


def _split(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside double quotes."""
    parts, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\" and quoted:
            current.append(char)
            escaped = True
        elif char == '"':
            quoted = not quoted
            current.append(char)
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        result, escaped = [], False
        for char in inner:
            if escaped or char != "\\":
                result.append(char)
                escaped = False
            else:
                escaped = True
        return "".join(result)
    return value


def parse_prefer(header: str) -> dict[str, str]:
    """The preferences of a ``Prefer`` header: lower-cased name -> value (``""`` if bare).

    >>> parse_prefer('code=200; x=1, Example="a, b", dynamic')
    {'code': '200', 'example': 'a, b', 'dynamic': ''}
    """
    found: dict[str, str] = {}
    for preference in _split(header, ","):
        head = _split(preference, ";")[0]
        name, sep, value = head.partition("=")
        name = name.strip().lower()
        if name and name not in found:
            found[name] = _unquote(value) if sep else ""
    return found


def _boolean(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in ("", "true"):
        return True
    if lowered == "false":
        return False
    return None


def _milliseconds(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def preference(header: str | None, query: Sequence[tuple[str, str]]) -> Preference:
    """The caller's preference from the ``Prefer`` header, then the ``__`` query parameters."""
    if not header and not any(name in CONTROL_QUERY for name, _ in query):
        return NONE
    stated = parse_prefer(header) if header else {}
    for name, value in query:
        if name in CONTROL_QUERY:
            stated.setdefault(name[2:], value)
    code = stated.get("code")
    example = stated.get("example")
    dynamic = stated.get("dynamic")
    delay = stated.get("delay")
    return Preference(
        code=code.strip().upper() if code is not None else None,
        example=example if example else None,
        dynamic=_boolean(dynamic) if dynamic is not None else None,
        delay_ms=_milliseconds(delay) if delay is not None else None,
    )


def strip_controls(query: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The query without the mock's ``__`` control parameters."""
    return [(name, value) for name, value in query if name not in CONTROL_QUERY]
