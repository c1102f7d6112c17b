"""The two spec extensions the mock reads: ``x-validation-errors`` and ``x-echo``.

Both sit at the document root (see ``specs/README.md``). They are checked for shape here, as
they are read; a malformed one is a `generator.errors.RuleError` naming the file and pointer.

``x-validation-errors`` says which documented error answer a rejected request gets, per kind
of failure::

    x-validation-errors:
      missing:   {example: MissingParameter}
      tooLarge:  {example: InvalidParameter, code: RequestSizeLimitExceeded}

``x-echo`` says, per operationId, which values of the request (or of the stored record) replace
values of the answer::

    x-echo:
      createRetrieveTask: {/Data: $record}
      listRetrieveTasks: {/Data: $records}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from generator.errors import RuleError
from generator.model import MISSING
from generator.resolver import join_pointer

__all__ = [
    "FAILURE_KINDS",
    "EchoEntry",
    "ErrorChoice",
    "parse_echo",
    "parse_validation_errors",
]

FAILURE_KINDS: Final = ("missing", "unknown", "type", "value", "malformed", "mediaType", "tooLarge")
"""Kinds of rejected request, in the order that decides the answer when several apply."""

Source = Literal["request", "record", "records", "id"]
_LOCATIONS: Final = ("body", "path", "query", "header", "cookie")
_SOURCE: Final = re.compile(
    r"\$(?:(?P<request>request)\.(?P<location>body|path|query|header|cookie)"
    r"(?:\.(?P<name>[^#]+))?|(?P<record>record)|(?P<records>records)|(?P<id>id))"
    r"(?:#(?P<pointer>/.*))?\Z"
)


@dataclass(frozen=True, slots=True)
class ErrorChoice:
    """The answer to one kind of rejected request: an example of the operation's responses
    (``status``: only in that response), optionally with another error ``code``."""

    example: str
    status: str | None
    pointer: str
    code: Any = MISSING


@dataclass(frozen=True, slots=True)
class EchoEntry:
    """One ``x-echo`` entry: the answer's value at ``target`` comes from ``source``.

    ``request``: the validated request (``location``, parameter ``name``, ``pointer`` into the
    value); ``record``: the record the operation's ``x-state`` created or updated;
    ``records``: the records a list answers; ``id``: a fresh id.
    """

    target: str
    source: Source
    pointer: str
    where: str
    location: str | None = None
    name: str | None = None


def parse_validation_errors(document: Mapping[str, Any], file: str) -> dict[str, ErrorChoice]:
    """Read ``x-validation-errors`` (``{}`` when the spec has none)."""
    where = "/x-validation-errors"
    value = document.get("x-validation-errors")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RuleError(file, where, "x-validation-errors maps a kind of failure to an answer")
    unknown = sorted(set(value) - set(FAILURE_KINDS))
    if unknown:
        raise RuleError(
            file,
            join_pointer(where, unknown[0]),
            f"unknown kind of failure {unknown[0]!r} (kinds: {', '.join(FAILURE_KINDS)})",
        )
    choices = {}
    for kind, entry in value.items():
        pointer = join_pointer(where, kind)
        if not isinstance(entry, dict) or not isinstance(entry.get("example"), str):
            raise RuleError(file, pointer, "an answer is {example, status?, code?}")
        extra = sorted(set(entry) - {"example", "status", "code"})
        if extra:
            raise RuleError(file, join_pointer(pointer, extra[0]), f"unknown field {extra[0]!r}")
        status = entry.get("status")
        if status is not None and not isinstance(status, str | int):
            raise RuleError(file, join_pointer(pointer, "status"), "status is a response status")
        choices[kind] = ErrorChoice(
            example=entry["example"],
            status=None if status is None else str(status),
            pointer=pointer,
            code=entry.get("code", MISSING),
        )
    return choices


def parse_echo(document: Mapping[str, Any], file: str) -> dict[str, tuple[EchoEntry, ...]]:
    """Read ``x-echo``: operationId -> its entries (``{}`` when the spec has none)."""
    where = "/x-echo"
    value = document.get("x-echo")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RuleError(file, where, "x-echo maps an operationId to {answer pointer: source}")
    result = {}
    for operation_id, entries in value.items():
        pointer = join_pointer(where, operation_id)
        if not isinstance(entries, dict):
            raise RuleError(file, pointer, "an x-echo entry is {answer pointer: source}")
        result[operation_id] = tuple(
            _echo_entry(target, source, join_pointer(pointer, target), file)
            for target, source in entries.items()
        )
    return result


def _echo_entry(target: Any, source: Any, where: str, file: str) -> EchoEntry:
    if not isinstance(target, str) or (target and not target.startswith("/")):
        raise RuleError(file, where, "the key is a JSON pointer into the answer")
    match = _SOURCE.match(source) if isinstance(source, str) else None
    if match is None:
        raise RuleError(
            file,
            where,
            "the source is $request.body[#/ptr], $request.<path|query|header|cookie>.NAME, "
            "$record[#/ptr], $records or $id",
        )
    pointer = match["pointer"] or ""
    if match["request"]:
        location, name = match["location"], match["name"]
        if (location == "body") != (name is None):
            raise RuleError(file, where, "$request.body has no name; a parameter needs one")
        return EchoEntry(target, "request", pointer, where, location=location, name=name)
    kind: Source = "record" if match["record"] else "records" if match["records"] else "id"
    if kind in ("records", "id") and pointer:
        raise RuleError(file, where, f"${kind} takes no #pointer")
    return EchoEntry(target, kind, pointer, where)
