"""Build the frozen model (``generator.model``) from a loaded OpenAPI 3.0 document.

Reference Objects (parameters, request bodies, responses, examples) are followed here, once;
schemas keep their ``$ref`` values. The specpact extensions are checked for shape as they are
read, so a malformed ``x-rules``, ``x-state`` or ``x-error-envelope`` is a ``RuleError`` that
names the file and the pointer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from generator.errors import RuleError, SpecError
from generator.loader import load_document
from generator.model import (
    HTTP_METHODS,
    MISSING,
    ErrorEnvelope,
    ErrorRef,
    Example,
    Header,
    Link,
    Location,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Rule,
    Spec,
    StateRule,
)
from generator.resolver import Resolver, join_pointer

__all__ = ["load_spec", "parse_rules"]

_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
_STATE_ACTIONS = ("create", "list", "update")
_STATE_KEYS = {
    "resource", "action", "id", "unique", "lookup", "immutable", "set", "select", "notFound",
    "conflict",
}  # fmt: skip


def load_spec(path: Path) -> Spec:
    """Load, resolve and model one spec file.

    >>> spec = load_spec(Path("specs/tencent-ivc.yaml"))  # doctest: +SKIP
    >>> [op.operation_id for op in spec.operations]  # doctest: +SKIP
    ['createRetrieveTask', 'listRetrieveTasks']
    """
    document, digest = load_document(path)
    return _Parser(path, document).spec(digest)


def parse_rules(value: Any, file: str, pointer: str) -> tuple[Rule, ...]:
    """Read an ``x-rules`` list: ``[{rule, message, path?}]`` (path: a JSON pointer)."""
    if not isinstance(value, list):
        raise RuleError(file, pointer, "x-rules must be a list of {rule, message, path} objects")
    rules = []
    for index, entry in enumerate(value):
        where = join_pointer(pointer, index)
        if not isinstance(entry, dict):
            raise RuleError(file, where, "an x-rules entry must be an object")
        unknown = set(entry) - {"rule", "message", "path"}
        if unknown:
            raise RuleError(file, where, f"unknown x-rules field(s): {', '.join(sorted(unknown))}")
        rule, message, path = entry.get("rule"), entry.get("message"), entry.get("path", "")
        if not isinstance(rule, str) or not rule.strip():
            raise RuleError(file, join_pointer(where, "rule"), "rule must be a CEL expression")
        if not isinstance(message, str) or not message:
            raise RuleError(file, join_pointer(where, "message"), "message must be a string")
        if not isinstance(path, str) or (path and not path.startswith("/")):
            raise RuleError(file, join_pointer(where, "path"), "path must be a JSON pointer")
        rules.append(Rule(rule=rule, message=message, path=path, pointer=where))
    return tuple(rules)


class _Parser:
    def __init__(self, path: Path, document: dict[str, Any]) -> None:
        self.path = path
        self.file = str(path)
        self.document = document
        self.resolver = Resolver(path, document)

    def fail(self, pointer: str, reason: str) -> SpecError:
        return SpecError(self.file, pointer, reason)

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        return self.resolver.deref(node, self.path, pointer)

    def spec(self, digest: str) -> Spec:
        info = self.document.get("info")
        paths = self.document.get("paths")
        if not isinstance(info, dict) or not isinstance(paths, dict):
            raise self.fail("", "an OpenAPI document needs `info` and `paths` objects")
        operations = []
        for path, item in paths.items():
            item_pointer = join_pointer("/paths", path)
            item, item_pointer = self.deref(item, item_pointer)
            if not isinstance(item, dict):
                raise self.fail(item_pointer, "a Path Item must be an object")
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method in item:
                    operations.append(
                        self.operation(path, method, item[method], shared, item_pointer)
                    )
        return Spec(
            file=self.path,
            name=self.path.stem,
            title=str(info.get("title", self.path.stem)),
            openapi=str(self.document.get("openapi", "")),
            sha256=digest,
            document=self.document,
            operations=tuple(operations),
            error_envelope=self.envelope(),
        )

    def envelope(self) -> ErrorEnvelope | None:
        value = self.document.get("x-error-envelope")
        pointer = "/x-error-envelope"
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) - {"code", "message", "success"}:
            raise RuleError(self.file, pointer, "x-error-envelope is {code, message, success?}")
        code, message = value.get("code"), value.get("message")
        for key, text in (("code", code), ("message", message)):
            if not isinstance(text, str) or not text.startswith("/"):
                raise RuleError(self.file, join_pointer(pointer, key), "must be a JSON pointer")
        return ErrorEnvelope(
            code=cast(str, code),
            message=cast(str, message),
            pointer=pointer,
            success=value.get("success", MISSING),
        )

    def operation(
        self, path: str, method: str, node: Any, shared: Any, item_pointer: str
    ) -> Operation:
        pointer = join_pointer(item_pointer, method)
        if not isinstance(node, dict):
            raise self.fail(pointer, "an Operation must be an object")
        parameters: dict[tuple[str, str], Parameter] = {}
        for base, entries in ((item_pointer, shared), (pointer, node.get("parameters", []))):
            for index, entry in enumerate(entries or []):
                parameter = self.parameter(entry, join_pointer(base, "parameters", index))
                parameters[(parameter.name, parameter.location)] = parameter
        body = node.get("requestBody")
        responses = node.get("responses", {})
        rules = node.get("x-rules")
        state = node.get("x-state")
        operation_id = node.get("operationId")
        return Operation(
            operation_id=operation_id if isinstance(operation_id, str) else None,
            method=method,
            path=path,
            summary=str(node.get("summary", "")),
            tags=tuple(str(tag) for tag in node.get("tags", [])),
            parameters=tuple(parameters.values()),
            request_body=(
                self.request_body(body, join_pointer(pointer, "requestBody")) if body else None
            ),
            responses=tuple(
                self.response(status, value, join_pointer(pointer, "responses", status))
                for status, value in responses.items()
            ),
            rules=(
                parse_rules(rules, self.file, join_pointer(pointer, "x-rules"))
                if rules is not None
                else ()
            ),
            state=(
                self.state(state, join_pointer(pointer, "x-state")) if state is not None else None
            ),
            pointer=pointer,
        )

    def parameter(self, node: Any, pointer: str) -> Parameter:
        node, pointer = self.deref(node, pointer)
        if not isinstance(node, dict) or not isinstance(node.get("name"), str):
            raise self.fail(pointer, "a Parameter needs a string `name`")
        location = node.get("in")
        if location not in _DEFAULT_STYLE:
            raise self.fail(join_pointer(pointer, "in"), f"unknown parameter location {location!r}")
        style = node.get("style", _DEFAULT_STYLE[location])
        return Parameter(
            name=node["name"],
            location=cast(Location, location),
            required=bool(node.get("required", False)),
            schema=node.get("schema"),
            schema_pointer=join_pointer(pointer, "schema"),
            style=str(style),
            explode=bool(node.get("explode", style == "form")),
            examples=self.examples(node, pointer),
            pointer=pointer,
        )

    def examples(self, node: dict[str, Any], pointer: str) -> tuple[Example, ...]:
        found = []
        if "example" in node:
            found.append(Example("example", node["example"], join_pointer(pointer, "example")))
        for name, entry in (node.get("examples") or {}).items():
            entry, where = self.deref(entry, join_pointer(pointer, "examples", name))
            if not isinstance(entry, dict) or "value" not in entry:
                raise self.fail(where, "an Example Object needs an inline `value`")
            now = entry.get("x-now")
            if now is not None and (type(now) is not int or now < 0):
                raise RuleError(self.file, join_pointer(where, "x-now"), "x-now is Unix seconds")
            found.append(
                Example(
                    name=str(name),
                    value=entry["value"],
                    pointer=join_pointer(where, "value"),
                    now=now,
                    summary=str(entry.get("summary", "")),
                )
            )
        return tuple(found)

    def media_types(self, content: Any, pointer: str) -> tuple[MediaType, ...]:
        result = []
        for media_type, node in (content or {}).items():
            where = join_pointer(pointer, "content", media_type)
            result.append(
                MediaType(
                    media_type=media_type,
                    schema=node.get("schema"),
                    schema_pointer=join_pointer(where, "schema"),
                    examples=self.examples(node, where),
                    pointer=where,
                )
            )
        return tuple(result)

    def request_body(self, node: Any, pointer: str) -> RequestBody:
        node, pointer = self.deref(node, pointer)
        return RequestBody(
            required=bool(node.get("required", False)),
            content=self.media_types(node.get("content"), pointer),
            pointer=pointer,
        )

    def response(self, status: str, node: Any, pointer: str) -> Response:
        node, pointer = self.deref(node, pointer)
        links = []
        for name, link in (node.get("links") or {}).items():
            link, where = self.deref(link, join_pointer(pointer, "links", name))
            target = link.get("operationId")
            links.append(Link(str(name), target if isinstance(target, str) else None, where))
        headers = []
        for name, header in (node.get("headers") or {}).items():
            header, where = self.deref(header, join_pointer(pointer, "headers", name))
            if not isinstance(header, dict):
                raise self.fail(where, "a Header Object must be an object")
            headers.append(
                Header(
                    name=str(name),
                    required=bool(header.get("required", False)),
                    schema=header.get("schema"),
                    schema_pointer=join_pointer(where, "schema"),
                    explode=bool(header.get("explode", False)),
                    pointer=where,
                )
            )
        return Response(
            status=str(status),
            description=str(node.get("description", "")),
            content=self.media_types(node.get("content"), pointer),
            links=tuple(links),
            pointer=pointer,
            headers=tuple(headers),
        )

    def state(self, node: Any, pointer: str) -> StateRule:
        if not isinstance(node, dict):
            raise RuleError(self.file, pointer, "x-state must be an object")
        unknown = set(node) - _STATE_KEYS
        if unknown:
            raise RuleError(self.file, pointer, f"unknown x-state field(s): {sorted(unknown)}")
        resource, action = node.get("resource"), node.get("action")
        if not isinstance(resource, str) or not resource:
            raise RuleError(self.file, join_pointer(pointer, "resource"), "must be a name")
        if action not in _STATE_ACTIONS:
            raise RuleError(
                self.file, join_pointer(pointer, "action"), f"must be one of {_STATE_ACTIONS}"
            )

        def names(key: str) -> tuple[str, ...]:
            value = node.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise RuleError(self.file, join_pointer(pointer, key), "must be a list of names")
            return tuple(value)

        def error(key: str) -> ErrorRef | None:
            value = node.get(key)
            if value is None:
                return None
            if not isinstance(value, dict) or set(value) != {"status", "example"}:
                raise RuleError(self.file, join_pointer(pointer, key), "must be {status, example}")
            return ErrorRef(status=str(value["status"]), example=str(value["example"]))

        for key in ("id", "select"):
            if key in node and not isinstance(node[key], str):
                raise RuleError(self.file, join_pointer(pointer, key), "must be a field name")
        if not isinstance(node.get("set", {}), dict):
            raise RuleError(self.file, join_pointer(pointer, "set"), "must be an object")
        return StateRule(
            resource=resource,
            action=action,
            pointer=pointer,
            id=node.get("id"),
            unique=names("unique"),
            lookup=names("lookup"),
            immutable=names("immutable"),
            set=dict(node.get("set", {})),
            select=node.get("select"),
            not_found=error("notFound"),
            conflict=error("conflict"),
        )
