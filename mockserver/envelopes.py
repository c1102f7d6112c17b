"""Vendor error answers: a documented error example with the mock's message in it.

The spec's ``x-error-envelope`` says where an answer holds its error code and message; its
``x-validation-errors`` says which documented example answers which kind of rejected request
(see `mockserver.extensions`). The answer is that example, its message replaced by the list of
violations with their JSON pointers, its code replaced when the choice names another one.

>>> kind_of([Violation(("body",), (), "type", "x"), Violation(("body",), (), "required", "y")])
'missing'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

from generator.model import MISSING, ErrorEnvelope
from generator.runtime import Violation
from mockserver._json import clone, set_pointer
from mockserver.extensions import FAILURE_KINDS

__all__ = ["describe", "fill_envelope", "kind_of"]

_KIND_OF_KEYWORD: Final = {
    "required": "missing",
    "requestBody": "missing",
    "additionalProperties": "unknown",
    "type": "type",
    "nullable": "type",
    "content-type": "mediaType",
}
_MAX_LISTED: Final = 20


def kind_of(violations: Iterable[Violation]) -> str:
    """The kind of failure that decides the answer: the first of `FAILURE_KINDS` present."""
    kinds = {_KIND_OF_KEYWORD.get(violation.keyword, "value") for violation in violations}
    for kind in FAILURE_KINDS:
        if kind in kinds:
            return kind
    return "value"


def describe(violations: Sequence[Violation]) -> str:
    """The violations as one message: ``pointer: message`` joined by ``; ``.

    >>> describe([Violation(("body", "EndTime"), (), "type", "'x' is not of type 'integer'")])
    "/body/EndTime: 'x' is not of type 'integer'"
    """
    listed = [f"{violation.pointer or '/'}: {violation.message}" for violation in violations]
    if len(listed) > _MAX_LISTED:
        listed = [*listed[:_MAX_LISTED], f"and {len(listed) - _MAX_LISTED} more"]
    return "; ".join(listed)


def fill_envelope(
    example: Any, envelope: ErrorEnvelope | None, message: str, code: Any = MISSING
) -> Any:
    """A copy of ``example`` carrying ``message`` (and ``code``) where the envelope says."""
    body = clone(example)
    if envelope is None:
        return body
    try:
        body = set_pointer(body, envelope.message, message)
        if code is not MISSING:
            body = set_pointer(body, envelope.code, code)
    except KeyError:
        pass
    return body
