"""Emit the body of one generated function: the schema walker and what emitters write with.

Every schema location compiles to two functions (each only if used):

* the *fast path* ``def _v(x) -> bool``: no allocation, ``return False`` at the first failure;
* the *collector* ``def _e(x, p, out) -> None``: appends a `Violation` per failing keyword to
  ``out``, ``p`` being the instance path of ``x``.

Subschemas are inlined into their parent; an ``anyOf``/``oneOf``/``not`` branch, or a
subschema nested too deep for Python's block limits becomes its own function. A ``$ref`` target
is inlined into the fast path too, unless it is recursive (being inlined already) or the
function has inlined `MAX_INLINED_REFS` of them; the collector calls it, only for a value its
fast function rejects.
Emitters see one `FunctionEmitter` and write through `fail`, `guard` and `child` only.

A schema's ``x-rules`` (OpenAPI dialect) are its last check: the fast path reaches them only if
every other keyword passed; the collector evaluates them only if the schema's other keywords,
nested ones included, appended no violation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.emit.applicators import enforced_required
from generator.emit.celrules import rule_statements
from generator.emit.celterms import Shape
from generator.emit.refs import Location, pointer
from generator.emit.writer import LocalNamer, SourceWriter, literal
from generator.errors import GenerationError

if TYPE_CHECKING:
    from generator.emit.builder import UnitBuilder
    from generator.model import Rule

__all__ = ["FunctionEmitter", "Node", "PathPart"]

# One step of an instance path: (True, local variable name) or (False, literal token).
PathPart = tuple[bool, str | int]

# Inline nesting beyond this many indentation levels moves a subschema into its own function,
# well below CPython's limits (100 indentation levels, 20 nested loops).
MAX_INLINE_DEPTH = 16
# A fast function inlines at most this many ``$ref`` targets and calls the others' functions:
# schemas sharing targets widely would otherwise grow exponentially.
MAX_INLINED_REFS = 32

GROUP_CHECKS = {
    "string": "type({v}) is str",
    "number": "(type({v}) is int or type({v}) is float)",
    "array": "type({v}) is list",
    "object": "type({v}) is dict",
}
# The Python type of an instance of a JSON type known from the schema (a number may be either).
PYTHON_TYPES = {"integer": int, "string": str, "boolean": bool, "array": list, "object": dict}
# How many levels of properties and items `FunctionEmitter.shape` describes.
_SHAPE_DEPTH = 4
KNOWN_SATISFIES = {"string": "string", "integer": "number", "number": "number"}
KNOWN_SATISFIES |= {"array": "array", "object": "object"}


@dataclass(frozen=True, slots=True)
class Node:
    """A schema being emitted: where it is, which variable holds the instance, what is known."""

    schema: Mapping[str, object]
    loc: Location
    base: str
    var: str
    path: tuple[PathPart, ...] = ()
    known: str | None = None


class FunctionEmitter:
    """Writes one generated function for the schema at ``loc``."""

    def __init__(self, unit: UnitBuilder, loc: Location, *, fast: bool) -> None:
        self.unit = unit
        self.loc = loc
        self.fast = fast
        self.w = SourceWriter(indent=1)
        self.names = LocalNamer()
        # The ``$ref`` targets being inlined, outermost first: reaching one again is recursion.
        self.inlining: list[Location] = [loc]
        self.inlined = 0
        # (location, variable) -> {required property: the local the fast path fetched it into}.
        self.fetched: dict[tuple[Location, str], dict[str, str]] = {}
        # The same, kept for the x-rules, with the indentation depth the locals were set at.
        self.held: dict[tuple[Location, str], tuple[int, dict[str, str]]] = {}

    # -- what emitters use ----------------------------------------------------------------

    def local(self, kind: str) -> str:
        """A fresh local variable name (``v3``)."""
        return self.names.ident(kind)

    def const(self, value: object) -> str:
        """The module-level name of a constant holding ``value`` (rendered by `literal`)."""
        return self.unit.const(value)

    def regex(self, pattern: object, loc: Location) -> str:
        """The module-level name of the compiled translation of an ECMA-262 ``pattern``."""
        return self.unit.regex(pattern, loc)

    def error(self, loc: Location, reason: str) -> GenerationError:
        """A `GenerationError` pointing at ``loc`` in the schema document."""
        return GenerationError(self.unit.file, pointer(loc), reason)

    def fail(
        self,
        node: Node,
        keyword: str,
        expected: str = "None",
        *,
        schema_path: tuple[str | int, ...] | None = None,
        instance: str | None = None,
        path: tuple[PathPart, ...] = (),
    ) -> None:
        """Write the failure statement: ``return False``, or append a violation.

        ``keyword`` is ours (a table name, never spec text); ``expected`` is Python source
        made by `literal` or a constant name; ``path`` extends the node's instance path.
        """
        if self.fast:
            self.w.line("return False")
            return
        where = self.const((*node.loc, *(schema_path if schema_path is not None else (keyword,))))
        args = ", ".join(
            (self.path_expr((*node.path, *path)), where, literal(keyword), instance or node.var)
        )
        self.w.line(f"out.append(_rt.violation({args}, {expected}))")

    def path_expr(self, parts: tuple[PathPart, ...]) -> str:
        if not parts:
            return "p"
        items = [str(value) if is_var else literal(value) for is_var, value in parts]
        return "p + (" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"

    @contextmanager
    def guard(self, node: Node, group: str | None) -> Iterator[Node]:
        """Run the body only for instances of ``group``; skipped when the type is known."""
        if group is None or KNOWN_SATISFIES.get(node.known or "") == group:
            yield node
            return
        with self.w.block(f"if {GROUP_CHECKS[group].format(v=node.var)}:"):
            yield replace(node, known=group)

    def child(
        self,
        node: Node,
        tokens: tuple[str | int, ...],
        var: str,
        path: tuple[PathPart, ...] = (),
    ) -> None:
        """Validate ``var`` against the subschema at ``node.loc + tokens``."""
        loc = (*node.loc, *tokens)
        schema = self.unit.schema_at(loc)
        if "$ref" in schema:
            self.ref(node, self.unit.resolver.target(loc), var, path)
            return
        if self.w.depth > MAX_INLINE_DEPTH:
            self.call(node, loc, var, path)
            return
        base = self.unit.resolver.base_of(loc)
        self.emit(Node(schema, loc, base, var, (*node.path, *path)))

    def ref(self, node: Node, target: Location, var: str, path: tuple[PathPart, ...]) -> None:
        """Validate ``var`` against the ``$ref`` target at ``target``: inline in the fast path
        (no call per item), a call in the collector, for recursion and past the limits."""
        if (
            not self.fast
            or target in self.inlining
            or self.w.depth > MAX_INLINE_DEPTH
            or self.inlined >= MAX_INLINED_REFS
        ):
            self.call(node, target, var, path)
            return
        self.inlined += 1
        self.inlining.append(target)
        schema, base = self.unit.schema_at(target), self.unit.resolver.base_of(target)
        self.emit(Node(schema, target, base, var, (*node.path, *path)))
        self.inlining.pop()

    def call(self, node: Node, target: Location, var: str, path: tuple[PathPart, ...]) -> None:
        """Validate ``var`` against the schema at ``target`` by calling its function."""
        if var == "x":
            self.unit.same_instance_call(self.loc, target)
        name = self.unit.function(target, fast=self.fast)
        if self.fast:
            with self.w.block(f"if not {name}({var}):"):
                self.w.line("return False")
            return
        # The collector descends only into an invalid value: the fast check is cheaper.
        fast = self.unit.function(target, fast=True)
        with self.w.block(f"if not {fast}({var}):"):
            self.w.line(f"{name}({var}, {self.path_expr((*node.path, *path))}, out)")

    def branch(self, node: Node, tokens: tuple[str | int, ...]) -> str:
        """The name of the fast function validating ``node.var`` against a subschema."""
        loc = (*node.loc, *tokens)
        schema = self.unit.schema_at(loc)
        target = self.unit.resolver.target(loc) if "$ref" in schema else loc
        if node.var == "x":
            self.unit.same_instance_call(self.loc, target)
        return self.unit.function(target, fast=True)

    # -- the schema walker ----------------------------------------------------------------

    def emit(self, node: Node) -> None:
        """Emit the checks of ``node.schema``: its keywords, then its ``x-rules``."""
        if "$ref" in node.schema:
            self.call(node, self.unit.resolver.target(node.loc), node.var, ())
            return
        rules = self.unit.dialect.rules(self, node)
        mark = self.local("n") if rules and not self.fast else ""
        if mark:
            self.w.line(f"{mark} = len(out)")
        self.keywords(node)
        if rules:
            self.rules(node, rules, mark)

    def keywords(self, node: Node) -> None:
        """Emit the keywords of ``node``, grouped under one type guard per group."""
        keywords = [k for k in self.unit.keywords if k.name in node.schema]
        index = 0
        while index < len(keywords):
            group = keywords[index].group
            end = index
            while end < len(keywords) and keywords[end].group == group and group is not None:
                end += 1
            end = max(end, index + 1)
            with self.guard(node, group) as inner:
                for keyword in keywords[index:end]:
                    keyword.emit(self, inner, node.schema[keyword.name])
            if keywords[index].name == "type" and self.fast:
                node = replace(node, known=self.unit.dialect.known_type(node.schema, self.unit))
            index = end

    def rules(self, node: Node, rules: tuple[Rule, ...], mark: str) -> None:
        """The checks of ``x-rules``; in the collector, only if nothing was appended since
        ``mark`` was taken."""
        fast, collect = rule_statements(
            rules,
            subject=node.var,
            path_expr="p" if self.fast else self.path_expr(node.path),
            unit_const=self.const,
            file=self.unit.file,
            schema_paths=[(*node.loc, "x-rules", index) for index in range(len(rules))],
            shape=self.rule_shape(node),
            local=lambda: self.local("v"),
        )
        if self.fast:
            for line in fast:
                self.w.line(line)
            return
        with self.w.block(f"if len(out) == {mark}:"):
            for line in collect:
                self.w.line(line)

    def rule_shape(self, node: Node) -> Shape | None:
        """`shape` of ``node``, with the locals holding its required properties: those the
        fast path fetched in the block the rules run in (so always, when they run)."""
        shape = self.shape(node.loc)
        depth, held = self.held.get((node.loc, node.var), (-1, {}))
        if shape is None or depth != self.w.depth:
            return shape
        return replace(shape, held={name: held[name] for name in shape.fields if name in held})

    def shape(self, loc: Location, depth: int = 0) -> Shape | None:
        """What the schema at ``loc`` guarantees about a valid instance: its Python type, the
        properties it must have (through ``allOf`` too), its items; a few levels deep."""
        loc = self.unit.resolver.target(loc)
        schema = self.unit.schema_at(loc)
        known = self.unit.dialect.known_type(schema, self.unit)
        parts = [Shape(PYTHON_TYPES[known])] if known in PYTHON_TYPES else []
        if depth < _SHAPE_DEPTH:
            members = schema.get("allOf")
            for index in range(len(members) if type(members) is list else 0):
                parts.append(self.shape((*loc, "allOf", index), depth + 1) or Shape(object))
            parts.append(self.own_shape(Node(schema, loc, "", "x"), depth))
        kinds = {part.kind for part in parts} - {object}
        if len(kinds) != 1:
            return None
        fields = {name: sub for part in parts for name, sub in part.fields.items()}
        items = next((part.items for part in parts if part.items), None)
        return Shape(kinds.pop(), fields, items)

    def own_shape(self, node: Node, depth: int) -> Shape:
        """The shapes of ``node``'s required properties and of its items (type unknown here)."""
        properties = node.schema.get("properties")
        fields = {}
        if type(properties) is dict:
            for name in enforced_required(self, node):
                if type(properties.get(name)) is dict:
                    sub = self.shape((*node.loc, "properties", name), depth + 1)
                    if sub is not None:
                        fields[name] = sub
        items = None
        if type(node.schema.get("items")) is dict:
            items = self.shape((*node.loc, "items"), depth + 1)
        return Shape(object, fields, items)
