"""Undeclared request fields: tolerated, then ignored.

Where a spec lets a request carry fields it does not declare (OpenAPI's default, and what real
clients send: fields newer than the document), the mock accepts them but keeps only what the
request schema declares: the record ``x-state`` stores and the values ``x-echo`` answers with
never hold a field nobody validated. (Without this, ``Status: "x"`` sent to IVC's create came
back as the task's ``Status``, breaking the answer's schema.)

`shape_of` reads, once at startup, which fields a schema declares — ``properties`` of the schema
and of its ``allOf``/``anyOf``/``oneOf`` branches, and the same for array ``items`` — and
`keep_declared` applies it to a request value. A schema that opens its objects to other fields
on purpose (``additionalProperties`` true or a schema, ``patternProperties``) or declares no
field at all keeps everything; so does a recursive schema below its first recursion.

>>> shape = Shape.of({"Name": None, "Tags": None}, items=None)
>>> keep_declared({"Name": "a", "Status": "x", "Tags": [1]}, shape)
{'Name': 'a', 'Tags': [1]}
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.resolver import Resolver

__all__ = ["Shape", "keep_declared", "shape_of"]

_BRANCHES = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, slots=True)
class Shape:
    """What an object schema declares: its field ``names`` (``None``: any field), the shapes
    of those fields that prune further (``nested``), and the shape of array ``items``."""

    names: frozenset[str] | None
    nested: tuple[tuple[str, Shape], ...]
    items: Shape | None

    @classmethod
    def of(cls, fields: Mapping[str, Shape | None] | None, items: Shape | None) -> Shape:
        """The shape declaring ``fields`` (name -> its shape, ``None``: kept whole)."""
        if fields is None:
            return cls(None, (), items)
        nested = tuple((name, shape) for name, shape in fields.items() if shape is not None)
        return cls(frozenset(fields), nested, items)


def keep_declared(value: Any, shape: Shape | None) -> Any:
    """``value`` without the fields ``shape`` does not declare (the same object if none).

    The common case, nothing undeclared, copies nothing and costs a set comparison per object.
    """
    if shape is None:
        return value
    names = shape.names
    if names is not None and type(value) is dict:
        kept = value if value.keys() <= names else {k: v for k, v in value.items() if k in names}
        for name, inner in shape.nested:
            if name in kept:
                item = kept[name]
                new = keep_declared(item, inner)
                if new is not item:
                    kept = dict(kept) if kept is value else kept
                    kept[name] = new
        return kept
    items = shape.items
    if items is not None and type(value) is list:
        names = items.names
        if (
            names is not None
            and not items.nested
            and items.items is None
            # Both ends objects: an array of long strings is not joined character by character.
            and value
            and type(value[0]) is dict
            and type(value[-1]) is dict
        ):
            # The common case, an array of flat objects, checked at C speed: the declared
            # names joined with every item's keys are still only the declared names. Any
            # other item is kept as it is anyway, so a True is always right and a False or a
            # TypeError only means "look closer". (One union over all items: a frozenset's
            # issuperset() builds a set per call before Python 3.12.)
            with contextlib.suppress(TypeError):
                if len(names.union(*value)) == len(names):
                    return value
        kept_items = [keep_declared(item, items) for item in value]
        if any(new is not old for new, old in zip(kept_items, value, strict=True)):
            return kept_items
    return value


@dataclass
class _Parts:
    """What the nodes of one schema (its branches merged) say about fields and items."""

    fields: dict[str, list[tuple[Any, Path]]]
    items: list[tuple[Any, Path]]
    seen: set[int]
    open: bool = False


def shape_of(schema: Any, resolver: Resolver, base: Path | None = None) -> Shape | None:
    """The fields ``schema`` declares, or ``None`` when it keeps every field of a value."""
    return _shape([(schema, base or resolver.root_file)], resolver, frozenset())


def _shape(
    nodes: list[tuple[Any, Path]], resolver: Resolver, visiting: frozenset[int]
) -> Shape | None:
    parts = _Parts({}, [], set())
    for node, base in nodes:
        _collect(node, base, resolver, parts, visiting, 0)
    inside = visiting | parts.seen
    fields: dict[str, Shape | None] | None = None
    if not parts.open and parts.fields:
        fields = {name: _shape(found, resolver, inside) for name, found in parts.fields.items()}
    items = _shape(parts.items, resolver, inside) if parts.items else None
    if fields is None and items is None:
        return None
    return Shape.of(fields, items)


def _collect(
    node: Any,
    base: Path,
    resolver: Resolver,
    parts: _Parts,
    visiting: frozenset[int],
    depth: int,
) -> None:
    """Add what ``node`` (and its branches) declares to ``parts``."""
    if depth > 32:
        parts.open = True
        return
    where = ""
    for _ in range(32):  # a $ref chain; the loader refused longer ones and cycles
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        base, where, node = resolver.resolve(node["$ref"], base, where)
    if not isinstance(node, dict) or "$ref" in node:
        parts.open = parts.open or isinstance(node, dict)
        return
    if id(node) in visiting:
        parts.open = True  # a recursive schema: keep everything below its first recursion
        return
    parts.seen.add(id(node))
    additional = node.get("additionalProperties")
    if additional is True or isinstance(additional, dict) or "patternProperties" in node:
        parts.open = True
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            parts.fields.setdefault(name, []).append((sub, base))
    items = node.get("items")
    if isinstance(items, dict):
        parts.items.append((items, base))
    for keyword in _BRANCHES:
        branches = node.get(keyword)
        if isinstance(branches, list):
            for branch in branches:
                _collect(branch, base, resolver, parts, visiting, depth + 1)
