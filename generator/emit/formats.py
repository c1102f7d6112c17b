"""The ``format`` values the compiler knows, and how each one is checked at run time.

A format applies to one kind of instance and ignores every other kind, as JSON Schema says.
The checks live in `generator.runtime`; this table only names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DRAFT4_FORMATS", "OPENAPI30_FORMATS", "FormatSpec"]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """How to check one format: a runtime function for strings, or integer bounds.

    ``function`` is the name of a ``generator.runtime`` predicate; ``bounds`` are
    inclusive limits for integers (other numbers pass). Neither: known, accepts every value.
    """

    applies_to: Literal["string", "number"]
    function: str | None = None
    bounds: tuple[int, int] | None = None


_ANY_STRING = FormatSpec("string")

DRAFT4_FORMATS: dict[str, FormatSpec] = {
    "date-time": FormatSpec("string", "is_date_time"),
    "date": FormatSpec("string", "is_date"),
    "email": FormatSpec("string", "is_email"),
    "hostname": FormatSpec("string", "is_hostname"),
    "ipv4": FormatSpec("string", "is_ipv4"),
    "ipv6": FormatSpec("string", "is_ipv6"),
    "uri": FormatSpec("string", "is_uri"),
    "uuid": FormatSpec("string", "is_uuid"),
    "regex": _ANY_STRING,
}

OPENAPI30_FORMATS: dict[str, FormatSpec] = {
    **DRAFT4_FORMATS,
    "int32": FormatSpec("number", bounds=(-(2**31), 2**31 - 1)),
    "int64": FormatSpec("number", bounds=(-(2**63), 2**63 - 1)),
    "float": FormatSpec("number"),
    "double": FormatSpec("number"),
    "byte": FormatSpec("string", "is_byte"),
    "binary": _ANY_STRING,
    "password": _ANY_STRING,
}
