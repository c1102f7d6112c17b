"""The typed, frozen model of a spec that every later stage reads instead of raw dicts.

Each record carries ``pointer``, its JSON pointer in the spec file, so any finding or error can
name where it comes from. Schemas stay JSON (``Schema`` is a mapping) with their ``$ref``
values; ``Spec.document`` and the resolver give them meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "MISSING",
    "ErrorEnvelope",
    "ErrorRef",
    "Example",
    "Header",
    "Link",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "Rule",
    "Schema",
    "Spec",
    "StateRule",
]

Schema = Mapping[str, Any]
Location = Literal["path", "query", "header", "cookie"]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class _Missing:
    """Marks a value that is absent (distinct from ``None``, which is JSON ``null``)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __copy__(self) -> _Missing:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Missing:
        return self

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class Example:
    """A named example: the value, and ``now``, the clock (Unix seconds) it was written for."""

    name: str
    value: Any
    pointer: str
    now: int | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``x-rules`` entry: a CEL expression over ``self`` (and ``now``) that must hold."""

    rule: str
    message: str
    path: str
    pointer: str


@dataclass(frozen=True, slots=True)
class ErrorRef:
    """An error answer named by ``x-state``: a response status and one of its examples."""

    status: str
    example: str


@dataclass(frozen=True, slots=True)
class StateRule:
    """An operation's ``x-state`` declaration (see specs/README.md)."""

    resource: str
    action: Literal["create", "list", "update"]
    pointer: str
    id: str | None = None
    unique: tuple[str, ...] = ()
    lookup: tuple[str, ...] = ()
    immutable: tuple[str, ...] = ()
    set: Mapping[str, Any] = field(default_factory=dict)
    select: str | None = None
    not_found: ErrorRef | None = None
    conflict: ErrorRef | None = None


@dataclass(frozen=True, slots=True)
class ErrorEnvelope:
    """The spec's ``x-error-envelope``: how to tell a vendor's error answer from a success."""

    code: str
    message: str
    pointer: str
    success: Any = MISSING

    def is_error(self, body: Any) -> bool:
        """True when ``body`` is an error answer in this vendor's envelope.

        >>> ErrorEnvelope("/Code", "/Message", "", success=0).is_error({"Code": 500})
        True
        """
        from generator.resolver import resolve_pointer

        try:
            code = resolve_pointer(body, self.code)
        except KeyError:
            return False
        if self.success is MISSING:
            return True
        return bool(code != self.success or type(code) is not type(self.success))


@dataclass(frozen=True, slots=True)
class MediaType:
    media_type: str
    schema: Schema | None
    schema_pointer: str
    examples: tuple[Example, ...]
    pointer: str


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: Location
    required: bool
    schema: Schema | None
    schema_pointer: str
    style: str
    explode: bool
    examples: tuple[Example, ...]
    pointer: str


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool
    content: tuple[MediaType, ...]
    pointer: str


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    operation_id: str | None
    pointer: str


@dataclass(frozen=True, slots=True)
class Header:
    """A response header (style ``simple``, like a header parameter)."""

    name: str
    required: bool
    schema: Schema | None
    schema_pointer: str
    explode: bool
    pointer: str


@dataclass(frozen=True, slots=True)
class Response:
    status: str
    description: str
    content: tuple[MediaType, ...]
    links: tuple[Link, ...]
    pointer: str
    headers: tuple[Header, ...] = ()

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2") or self.status == "2XX"


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str | None
    method: str
    path: str
    summary: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    rules: tuple[Rule, ...]
    state: StateRule | None
    pointer: str


@dataclass(frozen=True, slots=True)
class Spec:
    """One spec file: its operations and the spec-wide declarations."""

    file: Path
    name: str
    title: str
    openapi: str
    sha256: str
    document: Mapping[str, Any]
    operations: tuple[Operation, ...]
    error_envelope: ErrorEnvelope | None

    def operation(self, operation_id: str) -> Operation:
        """The operation with this operationId (``KeyError`` when there is none)."""
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(operation_id)
