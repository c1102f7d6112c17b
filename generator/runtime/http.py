"""Requests and responses of one operation: parameter deserialisation, bodies, statuses.

A generated module describes each operation as data (`Operation`, `Parameter`, `Body`,
`Answer`) around its generated schema functions; this module does the HTTP part. Parameters
arrive as strings and are deserialised by their OpenAPI ``style``/``explode`` and the shape of
their schema (``"5"`` becomes ``5`` for an integer, ``"3,4"`` a list for an array) before the
schema sees them; a string that does not read as the type stays a string, so the schema reports
it. Violations are located from the request's root: ``/query/EndTime``, ``/body/Channels/0``.

>>> age = Parameter("age", "query", True, "form", True, ("integer",), lambda v: v >= 0, None, ())
>>> op = Operation("get", "get", "/p", (age,), None, {})
>>> op.validate_request(Request(query=[("age", "42")])).values["query"]
{'age': 42}
>>> [v.message for v in op.validate_request(Request()).violations]
["'age' is a required property"]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from generator.runtime.schema import Path, Violation, violation

__all__ = [
    "ABSENT",
    "Answer",
    "Body",
    "Operation",
    "Parameter",
    "Request",
    "RequestResult",
    "deserialize",
]

Fast = Callable[[Any], bool]
Collect = Callable[[Any, Path, list[Violation]], None]
Schema = tuple[Fast, Collect] | None
# What a parameter's schema expects, enough to turn strings into values:
# ("string",) ("integer",) ("number",) ("boolean",) ("any",)
# ("array", item_shape) ("object", {name: shape}, shape_of_other_properties)
Shape = tuple[Any, ...]


class _Absent:
    """No body (distinct from a JSON ``null`` body)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Final[Any] = _Absent()
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")


_NOTHING: Final[Mapping[str, str]] = MappingProxyType({})


class Request(NamedTuple):
    """One HTTP request as the validators see it.

    ``path``, ``query``, ``headers`` and ``cookies`` hold the raw (percent-decoded) strings;
    ``query`` is a sequence of ``(name, value)`` pairs or a mapping to a value or a list of
    values; header names are matched without regard to case. ``body`` is the parsed JSON value
    (`ABSENT` when there is none) and ``media_type`` the Content-Type without parameters.
    (A named tuple, built with keywords: a server builds one per request, and a frozen
    dataclass takes three times as long to build.)
    """

    path: Mapping[str, str] = _NOTHING
    query: Sequence[tuple[str, str]] | Mapping[str, str | Sequence[str]] = ()
    headers: Mapping[str, str] = _NOTHING
    cookies: Mapping[str, str] = _NOTHING
    body: Any = ABSENT
    media_type: str | None = None


class RequestResult(NamedTuple):
    """Every violation of a request, and its deserialised values.

    ``values`` is ``{"path": {...}, "query": {...}, "header": {...}, "cookie": {...},
    "body": ...}`` (``body`` only when one was sent) - what an operation's ``x-rules`` see as
    ``self``, and what a server may echo back.
    """

    violations: list[Violation]
    values: dict[str, Any]

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter (or a response header): where it is, how it is spelled, its schema."""

    name: str
    location: str
    required: bool
    style: str
    explode: bool
    shape: Shape
    is_valid: Fast | None
    collect: Collect | None
    schema_path: Path


@dataclass(frozen=True, slots=True)
class Body:
    """A request body: required or not, and a schema per media type (``None``: any value)."""

    required: bool
    media: Mapping[str, Schema]
    schema_path: Path


@dataclass(frozen=True, slots=True)
class Answer:
    """A declared response: a schema per media type, and its headers."""

    media: Mapping[str, Schema]
    headers: tuple[Parameter, ...]
    schema_path: Path


# -- deserialisation --------------------------------------------------------------------------


def _scalar(text: str, shape: Shape) -> Any:
    kind = shape[0]
    if kind == "integer":
        return int(text) if _INTEGER.match(text) else text
    if kind == "number":
        if _INTEGER.match(text):
            return int(text)
        return float(text) if _NUMBER.match(text) else text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


def _items(parts: Sequence[str], shape: Shape) -> list[Any]:
    item = shape[1]
    return [_scalar(part, item) for part in parts]


def _pairs(parts: Sequence[str], shape: Shape) -> dict[str, Any] | None:
    """``["a", "1", "b", "2"]`` -> ``{"a": 1, "b": 2}`` (``None`` for an odd count)."""
    if len(parts) % 2:
        return None
    return {
        parts[i]: _scalar(parts[i + 1], _property(shape, parts[i])) for i in range(0, len(parts), 2)
    }


def _assignments(parts: Sequence[str], shape: Shape) -> dict[str, Any] | None:
    """``["a=1", "b=2"]`` -> ``{"a": 1, "b": 2}`` (``None`` when a part has no ``=``)."""
    result = {}
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep:
            return None
        result[name] = _scalar(value, _property(shape, name))
    return result


def _property(shape: Shape, name: str) -> Shape:
    properties: Mapping[str, Shape] = shape[1]
    return properties.get(name) or shape[2]


def _split(text: str, shape: Shape, explode: bool, separator: str = ",") -> Any:
    kind = shape[0]
    if kind == "array":
        return _items(text.split(separator) if text else [], shape)
    if kind == "object":
        parts = text.split(separator) if text else []
        found = _assignments(parts, shape) if explode else _pairs(parts, shape)
        return text if found is None else found
    return _scalar(text, shape)


def deserialize(text: str, name: str, style: str, explode: bool, shape: Shape) -> Any:
    """One path or header value (``simple``, ``label``, ``matrix``) as its schema's type.

    >>> deserialize("3,4", "id", "simple", False, ("array", ("integer",)))
    [3, 4]
    >>> deserialize(";id=role=admin;id=x", "id", "matrix", True, ("string",))
    ';id=role=admin;id=x'
    >>> deserialize(".a.b", "id", "label", True, ("array", ("string",)))
    ['a', 'b']
    """
    if style == "label":
        if not text.startswith("."):
            return text
        separator = "." if explode else ","
        return _split(text[1:], shape, explode, separator)
    if style == "matrix":
        return _matrix(text, name, explode, shape)
    return _split(text, shape, explode)


def _matrix(text: str, name: str, explode: bool, shape: Shape) -> Any:
    prefix = f";{name}="
    if shape[0] == "array" and explode:
        parts = text.split(";")[1:]
        if not text.startswith(";") or not all(part.startswith(f"{name}=") for part in parts):
            return text
        return _items([part[len(name) + 1 :] for part in parts], shape)
    if shape[0] == "object" and explode:
        return _split(text[1:], shape, True, ";") if text.startswith(";") else text
    if text == f";{name}" and shape[0] not in ("array", "object"):
        return ""
    if not text.startswith(prefix):
        return text
    return _split(text[len(prefix) :], shape, explode)


def _query_value(
    parameter: Parameter, query: Mapping[str, list[str]], declared: frozenset[str]
) -> Any:
    """The value of a query (or cookie) parameter; ABSENT when it was not sent."""
    name, shape, style, explode = (
        parameter.name,
        parameter.shape,
        parameter.style,
        parameter.explode,
    )
    kind = shape[0]
    if kind == "object" and style == "deepObject":
        prefix = name + "["
        found = {
            key[len(prefix) : -1]: _scalar(values[0], _property(shape, key[len(prefix) : -1]))
            for key, values in query.items()
            if key.startswith(prefix) and key.endswith("]")
        }
        return found if found else ABSENT
    if kind == "object" and explode:  # form: every property is a parameter of its own
        found = {
            key: _scalar(values[0], _property(shape, key))
            for key, values in query.items()
            if key not in declared and (key in shape[1] or shape[2] != ("none",))
        }
        return found if found else ABSENT
    values = query.get(name)
    if values is None:
        return ABSENT
    if kind == "array" and explode:
        return _items(values, shape)
    return _split(values[0], shape, False, _SEPARATORS.get(style, ","))


_SEPARATORS: Final = {"spaceDelimited": " ", "pipeDelimited": "|"}


def _query_dict(query: Sequence[tuple[str, str]] | Mapping[str, Any]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    if isinstance(query, Mapping):
        for name, value in query.items():
            result[name] = [value] if isinstance(value, str) else list(value)
        return result
    for name, value in query:
        result.setdefault(name, []).append(value)
    return result


def _media_schema(media: Mapping[str, Schema], media_type: str) -> tuple[bool, Schema]:
    """The schema declared for ``media_type`` (exact, then ``type/*``, then ``*/*``)."""
    for candidate in (media_type, media_type.split("/")[0] + "/*", "*/*"):
        if candidate in media:
            return True, media[candidate]
    return False, None


_NO_BODY: Final = "a request body is required"


def _media_violation(
    schema_path: Path, media_type: str | None, media: Mapping[str, Schema]
) -> Violation:
    declared = ", ".join(sorted(media))
    given = f"media type {media_type!r} is" if media_type else "a body without Content-Type is"
    return Violation(
        ("body",), schema_path, "content-type", f"{given} not accepted (declared: {declared})"
    )


def _check_value(value: Any, schema: Schema, path: Path, out: list[Violation]) -> None:
    if schema is not None and not schema[0](value):
        schema[1](value, path, out)


def _check_parameter(
    parameter: Parameter, value: Any, location: str, values: dict[str, Any], out: list[Violation]
) -> None:
    if value is ABSENT:
        if parameter.required:
            out.append(
                violation((location,), parameter.schema_path, "required", None, parameter.name)
            )
        return
    values[parameter.name] = value
    if parameter.is_valid is not None and not parameter.is_valid(value):
        assert parameter.collect is not None
        parameter.collect(value, (location, parameter.name), out)


# -- operations -------------------------------------------------------------------------------


class Operation:
    """One operation of a spec: validates its requests and its responses.

    Built by generated modules; ``rules`` is the pair of generated functions checking the
    operation's own ``x-rules`` (over ``RequestResult.values``), run only when everything else
    in the request is valid.
    """

    __slots__ = (
        "_declared_query",
        "body",
        "method",
        "operation_id",
        "parameters",
        "path",
        "responses",
        "rules",
    )

    def __init__(
        self,
        operation_id: str,
        method: str,
        path: str,
        parameters: tuple[Parameter, ...],
        body: Body | None,
        responses: Mapping[str, Answer],
        rules: tuple[Fast, Collect] | None = None,
    ) -> None:
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.parameters = parameters
        self.body = body
        self.responses = responses
        self.rules = rules
        self._declared_query = frozenset(p.name for p in parameters if p.location == "query")

    def __repr__(self) -> str:
        return f"<Operation {self.operation_id} {self.method.upper()} {self.path}>"

    def validate_request(self, request: Request, *, now: int | None = None) -> RequestResult:
        """Check every parameter, the body and the operation's ``x-rules``.

        ``now`` (Unix seconds) is the clock of time rules; default: the current time.
        """
        if now is not None:
            with _clock(now):
                return self._validate_request(request)
        return self._validate_request(request)

    def _validate_request(self, request: Request) -> RequestResult:
        out: list[Violation] = []
        values: dict[str, Any] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
        self._parameters(request, values, out)
        if self.body is not None:
            self._body(request, values, out)
        elif request.body is not ABSENT:
            values["body"] = request.body
        if not out and self.rules is not None and not self.rules[0](values):
            self.rules[1](values, (), out)
        return RequestResult(out, values)

    def _parameters(self, request: Request, values: dict[str, Any], out: list[Violation]) -> None:
        if not self.parameters:
            return
        query = _query_dict(request.query)
        headers = {name.lower(): value for name, value in request.headers.items()}
        cookies = {name: [value] for name, value in request.cookies.items()}
        for parameter in self.parameters:
            location = parameter.location
            if location == "query":
                value = _query_value(parameter, query, self._declared_query)
            elif location == "cookie":
                value = _query_value(parameter, cookies, frozenset())
            else:
                source = request.path if location == "path" else headers
                key = parameter.name if location == "path" else parameter.name.lower()
                text = source.get(key)
                value = (
                    ABSENT
                    if text is None
                    else deserialize(
                        text, parameter.name, parameter.style, parameter.explode, parameter.shape
                    )
                )
            _check_parameter(parameter, value, location, values[location], out)

    def _body(self, request: Request, values: dict[str, Any], out: list[Violation]) -> None:
        body = self.body
        assert body is not None
        if request.body is ABSENT:
            if body.required:
                out.append(Violation(("body",), body.schema_path, "requestBody", _NO_BODY))
            return
        values["body"] = request.body
        found, schema = _media_schema(body.media, request.media_type or "")
        if not found:
            out.append(_media_violation(body.schema_path, request.media_type, body.media))
            return
        _check_value(request.body, schema, ("body",), out)

    def answer(self, status: int | str) -> Answer | None:
        """The response declared for ``status``: exact, then ``2XX``-style, then ``default``."""
        text = str(status)
        return (
            self.responses.get(text)
            or self.responses.get(text[:1] + "XX")
            or self.responses.get("default")
        )

    def validate_response(
        self,
        status: int | str,
        body: Any = ABSENT,
        *,
        media_type: str | None = "application/json",
        headers: Mapping[str, str] | None = None,
        now: int | None = None,
    ) -> list[Violation]:
        """Check a response: its status is declared, its body and headers match the spec."""
        out: list[Violation] = []
        answer = self.answer(status)
        if answer is None:
            declared = ", ".join(sorted(self.responses))
            message = f"status {status} is not declared (declared: {declared})"
            out.append(Violation((), (), "status", message))
            return out
        if answer.headers:
            lowered = {name.lower(): value for name, value in (headers or {}).items()}
            found: dict[str, Any] = {}
            for header in answer.headers:
                text = lowered.get(header.name.lower())
                value = (
                    ABSENT
                    if text is None
                    else deserialize(text, header.name, "simple", header.explode, header.shape)
                )
                _check_parameter(header, value, "header", found, out)
        if not answer.media:
            if body is not ABSENT:
                message = f"status {status} declares no body"
                out.append(Violation(("body",), answer.schema_path, "content", message))
            return out
        if body is ABSENT:
            missing = f"status {status} declares a body, none was given"
            out.append(Violation(("body",), answer.schema_path, "content", missing))
            return out
        accepted, schema = _media_schema(answer.media, (media_type or "").lower())
        if not accepted:
            out.append(_media_violation(answer.schema_path, media_type, answer.media))
            return out
        if now is None:
            _check_value(body, schema, ("body",), out)
        else:
            with _clock(now):
                _check_value(body, schema, ("body",), out)
        return out


def _clock(now: int) -> Any:
    from generator.runtime.cel import clock

    return clock(now)
