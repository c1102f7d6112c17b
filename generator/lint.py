"""``python -m generator lint``: check that every spec is usable and true to its examples.

Checks, each finding naming file, JSON pointer and reason:

1. the document is valid OpenAPI 3.0.x (openapi-spec-validator) and declares 3.0.3;
2. every ``$ref`` resolves (locally or in a relative file; never over the network);
3. no schema uses a keyword OpenAPI 3.0 does not allow (``const``, ``patternProperties``, ...);
4. every operation has a unique operationId, a success example and an error example, where an
   error is a non-2xx answer or a 2xx answer the spec's ``x-error-envelope`` marks as an error;
5. every example (parameters, bodies, answers, schema ``example``) validates against its schema
   with the reference validator (openapi-schema-validator), in its direction;
6. every ``x-rules`` entry parses as CEL and holds on every success example (evaluated with
   cel-python at the example's ``x-now``, or the current clock);
7. ``x-state`` names fields the request declares and error examples that exist; links name
   operations that exist; the spec declares its ``x-error-envelope``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator

from generator.errors import SpecError
from generator.model import Example, MediaType, Operation, Spec
from generator.parse import load_spec, parse_rules
from generator.reference import ReferenceValidator
from generator.resolver import Resolver, iter_refs, join_pointer
from generator.rules import check_rules, compile_rule, iter_schema_rules

__all__ = ["Finding", "lint_paths", "lint_spec"]

# fmt: off
OAS30_SCHEMA_KEYWORDS = frozenset(
    (
        "title",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "required",
        "enum",
        "type",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "items",
        "properties",
        "additionalProperties",
        "description",
        "format",
        "default",
        "nullable",
        "discriminator",
        "readOnly",
        "writeOnly",
        "xml",
        "externalDocs",
        "example",
        "deprecated",
        "$ref",
    )
)
# fmt: on
_SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf")
_SUBSCHEMA_SINGLE = ("not", "items", "additionalProperties")


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem in one spec: ``file: pointer: reason``."""

    file: str
    pointer: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.reason}"


def lint_paths(paths: list[Path]) -> list[Finding]:
    """Lint several spec files; operationIds must also be unique across them."""
    findings: list[Finding] = []
    owners: dict[str, str] = {}
    for path in paths:
        spec, found = _lint_one(path)
        findings.extend(found)
        for operation in spec.operations if spec else ():
            if operation.operation_id in owners and owners[operation.operation_id] != str(path):
                findings.append(
                    Finding(
                        str(path),
                        join_pointer(operation.pointer, "operationId"),
                        f"operationId {operation.operation_id!r} is also used by "
                        f"{owners[operation.operation_id]}",
                    )
                )
            elif operation.operation_id:
                owners[operation.operation_id] = str(path)
    return sorted(findings)


def lint_spec(path: Path) -> list[Finding]:
    """Lint one spec file; an empty list means it is clean."""
    return sorted(_lint_one(path)[1])


def _lint_one(path: Path) -> tuple[Spec | None, list[Finding]]:
    try:
        spec = load_spec(path)
    except SpecError as exc:
        return None, [Finding(exc.file, exc.pointer, exc.reason)]
    linter = _SpecLinter(spec)
    return spec, list(linter.run())


class _SpecLinter:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.file = str(spec.file)
        self.resolver = Resolver(spec.file, dict(spec.document))
        self.reference = ReferenceValidator(spec.file, spec.document)
        self.clock = int(time.time())

    def finding(self, pointer: str, reason: str) -> Finding:
        return Finding(self.file, pointer, reason)

    def run(self) -> Iterator[Finding]:
        yield from self.check_document()
        yield from self.check_refs()
        yield from self.check_keywords()
        if self.spec.error_envelope is None:
            yield self.finding("/x-error-envelope", "the spec declares no x-error-envelope")
        seen: set[str] = set()
        ids = {op.operation_id for op in self.spec.operations}
        for operation in self.spec.operations:
            yield from self.check_operation(operation, seen, ids)

    def check_document(self) -> Iterator[Finding]:
        if self.spec.openapi != "3.0.3":
            yield self.finding("/openapi", f"expected OpenAPI 3.0.3, found {self.spec.openapi!r}")
        validator = OpenAPIV30SpecValidator(
            dict(self.spec.document), base_uri=self.spec.file.resolve().as_uri()
        )
        for error in validator.iter_errors():
            pointer = join_pointer("", *getattr(error, "absolute_path", ()))
            yield self.finding(pointer, f"not valid OpenAPI 3.0: {error.message}")

    def check_refs(self) -> Iterator[Finding]:
        for pointer, ref in iter_refs(self.spec.document):
            try:
                self.resolver.resolve(ref, self.spec.file, pointer)
            except SpecError as exc:
                yield self.finding(pointer, exc.reason)

    def check_keywords(self) -> Iterator[Finding]:
        for pointer, schema in self.iter_schemas():
            for key in schema:
                if key not in OAS30_SCHEMA_KEYWORDS and not key.startswith("x-"):
                    yield self.finding(
                        join_pointer(pointer, key),
                        f"{key!r} is not a keyword of an OpenAPI 3.0 Schema Object",
                    )
            if "example" in schema and "$ref" not in schema:
                for error in self.reference.errors(pointer, schema["example"], "response"):
                    yield self.finding(join_pointer(pointer, "example"), f"example: {error}")
            if "x-rules" in schema:
                try:
                    for rule in parse_rules(
                        schema["x-rules"], self.file, join_pointer(pointer, "x-rules")
                    ):
                        compile_rule(rule, self.file)
                except SpecError as exc:
                    yield self.finding(exc.pointer, exc.reason)

    def iter_schemas(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Every schema of the document (entry points, then their subschemas), once."""
        roots: list[tuple[str, Any]] = []

        def find(node: Any, pointer: str) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("example", "examples") or key.startswith("x-"):
                        continue
                    where = join_pointer(pointer, key)
                    if key == "schema" or pointer == "/components/schemas":
                        roots.append((where, value))
                    else:
                        find(value, where)
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    find(value, join_pointer(pointer, index))

        find(self.spec.document, "")
        stack = list(reversed(roots))
        while stack:
            pointer, schema = stack.pop()
            if not isinstance(schema, dict):
                continue
            yield pointer, schema
            for key in _SUBSCHEMA_LISTS:
                for index, sub in enumerate(schema.get(key) or []):
                    stack.append((join_pointer(pointer, key, index), sub))
            for key in _SUBSCHEMA_SINGLE:
                if isinstance(schema.get(key), dict):
                    stack.append((join_pointer(pointer, key), schema[key]))
            for name, sub in (schema.get("properties") or {}).items():
                stack.append((join_pointer(pointer, "properties", name), sub))

    # -- operations -------------------------------------------------------------------------

    def check_operation(
        self, op: Operation, seen: set[str], ids: set[str | None]
    ) -> Iterator[Finding]:
        if not op.operation_id:
            yield self.finding(op.pointer, "the operation has no operationId")
        elif op.operation_id in seen:
            yield self.finding(join_pointer(op.pointer, "operationId"), "operationId is not unique")
        else:
            seen.add(op.operation_id)
        yield from self.check_request_examples(op)
        success = error = False
        for response in op.responses:
            for link in response.links:
                if link.operation_id not in ids:
                    yield self.finding(
                        link.pointer, f"link to unknown operationId {link.operation_id!r}"
                    )
            for media in response.content:
                for example in media.examples:
                    yield from self.check_example(media, example, "response")
                    is_error = not response.is_success or (
                        self.spec.error_envelope is not None
                        and self.spec.error_envelope.is_error(example.value)
                    )
                    error = error or is_error
                    success = success or not is_error
                    if not is_error:
                        yield from self.check_schema_rules(media, example)
        if not success:
            yield self.finding(join_pointer(op.pointer, "responses"), "no success example")
        if not error:
            yield self.finding(join_pointer(op.pointer, "responses"), "no error example")
        if op.state is not None:
            yield from self.check_state(op)

    def check_example(
        self, media: MediaType, example: Example, direction: str
    ) -> Iterator[Finding]:
        if media.schema is None:
            return
        for error in self.reference.errors(media.schema_pointer, example.value, direction):  # type: ignore[arg-type]
            yield self.finding(example.pointer, f"example {example.name!r} is invalid at {error}")

    def check_schema_rules(self, media: MediaType, example: Example) -> Iterator[Finding]:
        def deref(schema: Mapping[str, Any], pointer: str) -> tuple[Mapping[str, Any], str]:
            value, where = self.resolver.deref(schema, self.spec.file, pointer)
            return value, where

        def branch_valid(pointer: str, instance: Any) -> bool:
            return self.reference.is_valid(pointer, instance, "response")

        try:
            sites = list(
                iter_schema_rules(
                    media.schema, example.value, schema_pointer=media.schema_pointer,
                    deref=deref, branch_valid=branch_valid, file=self.file,
                )
            )  # fmt: skip
            for rules, instance, where in sites:
                now = example.now if example.now is not None else self.clock
                for failure in check_rules(rules, instance, now=now, file=self.file, pointer=where):
                    yield self.finding(
                        failure.rule.pointer,
                        f"rule does not hold on example {example.name!r} at "
                        f"{failure.instance_pointer or '/'}: {failure.reason}",
                    )
        except SpecError as exc:
            yield self.finding(exc.pointer, exc.reason)

    def check_request_examples(self, op: Operation) -> Iterator[Finding]:
        requests: dict[str, dict[str, Any]] = {}
        clocks: dict[str, int] = {}
        for parameter in op.parameters:
            for example in parameter.examples:
                if parameter.schema is not None:
                    for error in self.reference.errors(
                        parameter.schema_pointer, example.value, "request"
                    ):
                        yield self.finding(
                            example.pointer, f"example {example.name!r} is invalid at {error}"
                        )
                request = requests.setdefault(example.name, {})
                request.setdefault(parameter.location, {})[parameter.name] = example.value
                if example.now is not None:
                    clocks[example.name] = example.now
        if op.request_body is not None:
            for media in op.request_body.content:
                for example in media.examples:
                    yield from self.check_example(media, example, "request")
                    yield from self.check_schema_rules(media, example)
                    requests.setdefault(example.name, {})["body"] = example.value
                    if example.now is not None:
                        clocks[example.name] = example.now
            if not any(media.examples for media in op.request_body.content):
                yield self.finding(op.request_body.pointer, "the request body has no example")
        for rule in op.rules:
            try:
                compile_rule(rule, self.file)
            except SpecError as exc:
                yield self.finding(exc.pointer, exc.reason)
                return
        if op.rules and not requests:
            yield self.finding(
                join_pointer(op.pointer, "x-rules"), "no request example to check the rules on"
            )
        for name, request in requests.items():
            instance = {"path": {}, "query": {}, "header": {}, "cookie": {}, **request}
            now = clocks.get(name, self.clock)
            for failure in check_rules(op.rules, instance, now=now, file=self.file):
                yield self.finding(
                    failure.rule.pointer,
                    f"rule does not hold on request example {name!r}: {failure.reason}",
                )

    def check_state(self, op: Operation) -> Iterator[Finding]:
        state = op.state
        assert state is not None
        fields = self.request_fields(op)
        named = [("unique", state.unique), ("lookup", state.lookup), ("immutable", state.immutable)]
        if state.select:
            named.append(("select", (state.select,)))
        for key, names in named:
            for name in names:
                if name not in fields:
                    yield self.finding(
                        join_pointer(state.pointer, key),
                        f"{name!r} is not a field of the request body",
                    )
        for key, ref in (("notFound", state.not_found), ("conflict", state.conflict)):
            if ref is None:
                continue
            examples = {
                example.name
                for response in op.responses
                if response.status == ref.status
                for media in response.content
                for example in media.examples
            }
            if ref.example not in examples:
                yield self.finding(
                    join_pointer(state.pointer, key),
                    f"no example {ref.example!r} in the {ref.status} answer",
                )
        if state.action == "create" and not state.id:
            yield self.finding(state.pointer, "a create names the record's id field (`id`)")
        if state.action == "update" and not state.lookup:
            yield self.finding(state.pointer, "an update names its lookup fields (`lookup`)")

    def request_fields(self, op: Operation) -> set[str]:
        fields: set[str] = set()
        if op.request_body is None:
            return fields
        stack = [(media.schema, media.schema_pointer) for media in op.request_body.content]
        while stack:
            schema, pointer = stack.pop()
            if not isinstance(schema, Mapping):
                continue
            try:
                schema, pointer = self.resolver.deref(schema, self.spec.file, pointer)
            except SpecError:
                continue
            fields.update((schema.get("properties") or {}).keys())
            for index, sub in enumerate(schema.get("allOf") or []):
                stack.append((sub, join_pointer(pointer, "allOf", index)))
        return fields
