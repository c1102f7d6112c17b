"""The OpenAPI 3.0 adapter: every difference between a Schema Object and draft 4 lives here.

* ``type`` is one name, never a list, and there is no ``"null"``; ``nullable: true`` admits
  ``null`` where a ``type`` is given (it does not reach into ``allOf``/``$ref``, per 3.0.3).
* ``readOnly`` / ``writeOnly`` follow openapi-schema-validator's OAS30WriteValidator (requests)
  and OAS30ReadValidator (responses): such a property is not ``required`` in that direction,
  and is rejected when sent. Without a direction both are simply not required. Unlike
  openapi-schema-validator, a property's flags are also found behind its ``$ref``.
* ``discriminator``: the named property must hold a known value, and the instance must be
  valid against the schema it selects (``mapping``, else a ``oneOf``/``anyOf`` ``$ref`` whose
  last pointer token is the value); ``oneOf``/``anyOf`` still apply as usual.
* ``items`` is a single schema; the OpenAPI formats (``int32``, ``byte``, ...) are known.
* ``x-rules`` (specs/README.md): CEL rules, checked once the instance satisfies the rest of
  the schema (see `generator.emit.cel`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.emit.dialect import Draft4
from generator.emit.formats import OPENAPI30_FORMATS, FormatSpec
from generator.emit.keywords import KEYWORDS, Keyword
from generator.emit.options import Direction
from generator.emit.refs import Location, pointer
from generator.emit.writer import literal
from generator.errors import GenerationError, RuleError

if TYPE_CHECKING:
    from generator.emit.function import FunctionEmitter, Node
    from generator.model import Rule

__all__ = ["OpenAPI30"]


def _flag(f: FunctionEmitter, node: Node, keyword: str) -> bool:
    value = node.schema.get(keyword, False)
    if value is not True and value is not False:
        raise f.error((*node.loc, keyword), f"{keyword} must be a boolean")
    return value


def emit_nullable(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"type": "string", "nullable": true}``: only checked here; `emit_type` applies it."""
    _flag(f, node, "nullable")


def emit_read_only(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"readOnly": true}`` in a request: any value here is a violation."""
    if _flag(f, node, "readOnly") and _flag(f, node, "writeOnly"):
        raise f.error(node.loc, "a schema cannot be both readOnly and writeOnly")
    if value is True and f.unit.dialect.direction == "request":
        f.fail(node, "readOnly")


def emit_write_only(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"writeOnly": true}`` in a response: any value here is a violation."""
    if _flag(f, node, "writeOnly") and f.unit.dialect.direction == "response":
        f.fail(node, "writeOnly")


def _last_token(ref: str) -> str:
    return ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _targets(f: FunctionEmitter, node: Node, value: Mapping[str, object]) -> dict[str, Location]:
    """Discriminator value -> location of the schema it selects."""
    mapping = value.get("mapping", {})
    if type(mapping) is not dict or any(type(t) is not str for t in mapping.values()):
        raise f.error((*node.loc, "discriminator", "mapping"), "mapping must map names to strings")
    targets: dict[str, Location] = {}
    for keyword in ("oneOf", "anyOf"):
        branches = node.schema.get(keyword)
        for index, branch in enumerate(branches if type(branches) is list else ()):
            if type(branch) is dict and type(branch.get("$ref")) is str:
                name = _last_token(branch["$ref"])
                targets.setdefault(name, f.unit.resolver.target((*node.loc, keyword, index)))
    for name, target in mapping.items():
        ref = (
            target if "/" in target or target.startswith("#") else f"#/components/schemas/{target}"
        )
        at = (*node.loc, "discriminator", "mapping", name)
        location = f.unit.resolver.resolve(ref, node.base, at)
        targets[name] = f.unit.resolver.target(location)
    return targets


def emit_discriminator(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator":
    {"propertyName": "kind", "mapping": {"cat": "Cat"}}}``.

    ``v1 = x.get('kind')`` then ``if v1 == 'cat': if not _v2(x): return False`` ... ``else:``
    fail. Without ``oneOf``/``anyOf`` only the property's presence (and mapping key) is checked.
    """
    if type(value) is not dict or type(value.get("propertyName")) is not str:
        raise f.error((*node.loc, "discriminator"), "discriminator needs a propertyName string")
    name = value["propertyName"]
    targets = _targets(f, node, value)
    dispatch = "oneOf" in node.schema or "anyOf" in node.schema
    selected = f.local("v")
    f.w.line(f"{selected} = {node.var}.get({literal(name)})")
    if not targets:
        with f.w.block(f"if type({selected}) is not str:"):
            f.fail(node, "discriminator", literal(name))
        return
    for index, (choice, target) in enumerate(targets.items()):
        with f.w.block(f"{'el' if index else ''}if {selected} == {literal(choice)}:"):
            if dispatch:
                f.call(node, target, node.var, ())
    with f.w.block("else:"):
        f.fail(node, "discriminator", literal(name))


class OpenAPI30(Draft4):
    """The OpenAPI 3.0.3 Schema Object, for requests, responses or neither."""

    name = "openapi-3.0"
    type_names_allowed = ("array", "boolean", "integer", "number", "object", "string")
    tuple_items = False
    items_shape = "a schema (OpenAPI 3.0 has no tuple form)"

    def __init__(self, direction: Direction | None) -> None:
        self.direction = direction

    @property
    def formats(self) -> Mapping[str, FormatSpec]:
        return OPENAPI30_FORMATS

    def keywords(self) -> tuple[Keyword, ...]:
        split = next(i for i, k in enumerate(KEYWORDS) if k.name == "allOf")
        return (
            Keyword("nullable", None, emit_nullable),
            Keyword("readOnly", None, emit_read_only),
            Keyword("writeOnly", None, emit_write_only),
            *KEYWORDS[:split],
            Keyword("discriminator", "object", emit_discriminator),
            *KEYWORDS[split:],
        )

    def type_names(self, f: FunctionEmitter, node: Node, value: object) -> tuple[str, ...]:
        if type(value) is not str or value not in self.type_names_allowed:
            allowed = ", ".join(self.type_names_allowed)
            raise f.error((*node.loc, "type"), f"type must be one of {allowed} (a single name)")
        return (value,)

    def admits_null(self, schema: Mapping[str, object]) -> bool:
        return schema.get("nullable") is True

    def rules(self, f: FunctionEmitter, node: Node) -> tuple[Rule, ...]:
        """``{"x-rules": [{"rule": "self.a < self.b", "message": "...", "path": "/a"}]}``."""
        value = node.schema.get("x-rules")
        if value is None:
            return ()
        from generator.parse import parse_rules

        try:
            return parse_rules(value, f.unit.file, pointer((*node.loc, "x-rules")))
        except RuleError as exc:
            raise GenerationError(exc.file, exc.pointer, exc.reason) from exc

    def required_skipped(self, f: FunctionEmitter, node: Node, name: str) -> bool:
        properties = node.schema.get("properties")
        if type(properties) is not dict or type(properties.get(name)) is not dict:
            return False
        location = (*node.loc, "properties", name)
        prop = f.unit.resolver.node(f.unit.resolver.target(location))
        if type(prop) is not dict:
            return False
        read_only, write_only = prop.get("readOnly") is True, prop.get("writeOnly") is True
        if self.direction == "request":
            return read_only
        if self.direction == "response":
            return write_only
        return read_only or write_only
