"""The runtime that generated validators import: standard library only.

Generated modules do ``from generator import runtime as _rt`` and call what this package
exports; nothing here knows about specs or the generator, and nothing here imports anything
outside the standard library (a test checks every module of the package).

* `generator.runtime.schema`: `Violation`, `violation`, JSON equality, exact ``multipleOf``,
  format predicates.
"""

from __future__ import annotations

from generator.runtime.schema import (
    Violation,
    has_duplicates,
    is_byte,
    is_date,
    is_date_time,
    is_email,
    is_hostname,
    is_ipv4,
    is_ipv6,
    is_multiple,
    is_uri,
    is_uuid,
    json_in,
    violation,
)

__all__ = [
    "Violation",
    "has_duplicates",
    "is_byte",
    "is_date",
    "is_date_time",
    "is_email",
    "is_hostname",
    "is_ipv4",
    "is_ipv6",
    "is_multiple",
    "is_uri",
    "is_uuid",
    "json_in",
    "violation",
]
