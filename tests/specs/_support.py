"""Helpers for the spec tests: documented requests, mutations, and openapi-core's verdicts.

openapi-core is the independent reference here: a request is judged by it, never by our code.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest

from generator.model import MISSING, Operation, Spec
from generator.parse import load_spec
from generator.resolver import Resolver

SPECS = Path(__file__).resolve().parents[2] / "specs"

SERVER = "http://127.0.0.1:8000"


@cache
def spec(name: str) -> Spec:
    return load_spec(SPECS / f"{name}.yaml")


@cache
def reference_api(name: str) -> OpenAPI:
    return OpenAPI.from_file_path(str(SPECS / f"{name}.yaml"))


def operation(name: str, operation_id: str) -> Operation:
    return spec(name).operation(operation_id)


def wire(value: Any) -> str:
    """How a parameter value travels in a URL or header."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Request:
    """A request as a client sends it: parameters as strings, the body as JSON data."""

    method: str
    path: str
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    header: dict[str, str] = field(default_factory=dict)
    body: Any = MISSING

    def url_path(self) -> str:
        path = self.path
        for name, value in self.path_params.items():
            path = path.replace("{" + name + "}", value)
        return path

    def mock_request(self) -> MockRequest:
        data = None if self.body is MISSING else json.dumps(self.body)
        return MockRequest(
            SERVER,
            self.method,
            self.url_path(),
            args=self.query,
            headers=self.header,
            data=data,
            content_type="application/json" if data is not None else None,
        )


def documented_request(name: str, operation_id: str, example: str = "documented") -> Request:
    op = operation(name, operation_id)
    request = Request(op.method, op.path)
    slots = {"path": request.path_params, "query": request.query, "header": request.header}
    for parameter in op.parameters:
        for candidate in parameter.examples:
            if candidate.name == example:
                slots[parameter.location][parameter.name] = wire(candidate.value)
    if op.request_body is not None:
        for media in op.request_body.content:
            for candidate in media.examples:
                if candidate.name == example:
                    request.body = copy.deepcopy(candidate.value)
    return request


def reference_errors(name: str, request: Request) -> set[tuple[str, str, str]]:
    """openapi-core's verdict as ``{(location, pointer, keyword)}``; empty when valid.

    Parameter pointers are ``/<name>``; a value that cannot be cast to the schema's type is
    reported with keyword ``type``; a missing required parameter with ``required``.
    """
    result = reference_api(name).unmarshal_request(request.mock_request())
    found: set[tuple[str, str, str]] = set()
    for error in result.errors:
        for leaf in _leaves(error):
            found |= _classify(leaf, error)
    return found


def _leaves(error: BaseException) -> Iterator[BaseException]:
    nested = getattr(error, "errors", None)
    if nested:
        for sub in nested:
            yield from _leaves(sub)
    else:
        yield error


def _classify(leaf: BaseException, top: BaseException) -> set[tuple[str, str, str]]:
    location = getattr(leaf, "location", None) or ("body" if "Body" in type(top).__name__ else "?")
    base = f"/{leaf.name}" if getattr(leaf, "name", None) else ""
    kind = type(leaf).__name__
    if kind.startswith("MissingRequired") or kind == "MissingParameter":
        return {(location, base, "required")}
    if kind == "MissingRequestBody" or kind == "MissingRequiredRequestBody":
        return {("body", "", "required")}
    cause: BaseException | None = leaf
    while cause is not None:
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            return {item for e in schema_errors for item in _schema_error(location, base, e)}
        if type(cause).__name__ in ("CastError", "DeserializeError"):
            return {(location, base, "type")}
        if type(cause).__name__ == "EmptyQueryParameterValue":
            # openapi-core refuses `?Name=` before schema validation (allowEmptyValue is
            # false); for a string that is the same verdict as minLength >= 1.
            return {(location, base, "minLength")}
        cause = cause.__cause__
    return {(location, base, kind)}


def _schema_error(location: str, base: str, error: Any) -> Iterator[tuple[str, str, str]]:
    pointer = base + "".join(
        "/" + str(t).replace("~", "~0").replace("/", "~1") for t in error.absolute_path
    )
    if error.validator == "required" and isinstance(error.instance, dict):
        for name in error.validator_value:
            if name not in error.instance:
                yield location, f"{pointer}/{name}", "required"
    else:
        yield location, pointer, str(error.validator)
    for sub in error.context or ():
        yield from _schema_error(location, base, sub)


# -- the constraints a spec declares, found by walking its request schemas ---------------------

CONSTRAINT_KEYWORDS = (
    "type", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "format",
    "nullable", "minProperties", "maxProperties", "not",
)  # fmt: skip


def declared_constraints(name: str, operation_id: str) -> set[tuple[str, str, str]]:
    """Every constraint of an operation's request: ``{(location, pointer template, keyword)}``.

    Array items appear as ``*`` in the pointer template; ``required`` names the field.
    """
    the_spec = spec(name)
    op = the_spec.operation(operation_id)
    resolver = Resolver(the_spec.file, dict(the_spec.document))
    found: set[tuple[str, str, str]] = set()

    def walk(schema: Any, location: str, pointer: str, depth: int = 0) -> None:
        if not isinstance(schema, Mapping) or depth > 32:
            return
        schema, _ = resolver.deref(schema, the_spec.file, "")
        for keyword in CONSTRAINT_KEYWORDS:
            if keyword in schema and not (keyword == "nullable" and schema[keyword] is False):
                found.add((location, pointer, keyword))
        if schema.get("additionalProperties") is False:
            found.add((location, pointer, "additionalProperties"))
        for required in schema.get("required", []):
            found.add((location, f"{pointer}/{required}", "required"))
        for sub in schema.get("allOf", []):
            walk(sub, location, pointer, depth + 1)
        for key, sub in (schema.get("properties") or {}).items():
            walk(sub, location, f"{pointer}/{key}", depth + 1)
        if isinstance(schema.get("items"), Mapping):
            walk(schema["items"], location, f"{pointer}/*", depth + 1)

    for parameter in op.parameters:
        if parameter.required and parameter.location != "path":
            found.add((parameter.location, f"/{parameter.name}", "required"))
        walk(parameter.schema, parameter.location, f"/{parameter.name}")
    # On the wire every parameter is text, so `type: string` cannot be broken there; and a path
    # parameter is required by OpenAPI itself (a URL without it is another route).
    found = {
        (location, pointer, keyword)
        for location, pointer, keyword in found
        if location == "body" or keyword != "type" or _type_of(op, pointer) != "string"
    }
    if op.request_body is not None:
        for media in op.request_body.content:
            walk(media.schema, "body", "")
    return found


def _type_of(op: Operation, pointer: str) -> Any:
    for parameter in op.parameters:
        if f"/{parameter.name}" == pointer:
            schema = parameter.schema or {}
            if "$ref" in schema:
                the_spec = spec_of(op)
                schema, _ = Resolver(the_spec.file, dict(the_spec.document)).deref(
                    schema, the_spec.file, ""
                )
            return schema.get("type")
    return None


def spec_of(op: Operation) -> Spec:
    for name in spec_names():
        if op in spec(name).operations:
            return spec(name)
    raise KeyError(op.operation_id)


def concrete(template: str) -> str:
    return template.replace("/*", "/0")


def get_at(document: Any, pointer: str) -> Any:
    value = document
    for token in pointer.split("/")[1:]:
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


def set_at(request: Request, location: str, pointer: str, value: Any) -> Request:
    """A copy of ``request`` with the value at ``pointer`` set (``MISSING`` deletes it)."""
    changed = copy.deepcopy(request)
    if location != "body":
        slot = {"path": changed.path_params, "query": changed.query, "header": changed.header}
        params = slot[location]
        if value is MISSING:
            params.pop(pointer[1:], None)
        else:
            params[pointer[1:]] = wire(value)
        return changed
    if pointer == "":
        changed.body = value
        return changed
    parent_pointer, _, last = pointer.rpartition("/")
    parent = get_at(changed.body, parent_pointer)
    if isinstance(parent, list):
        parent[int(last)] = value
    elif value is MISSING:
        parent.pop(last, None)
    else:
        parent[last] = value
    return changed


def spec_names() -> list[str]:
    return sorted(path.stem for path in Path(SPECS).glob("*.yaml"))
