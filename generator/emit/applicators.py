"""Emitters for object, array and combinator keywords (part of the keyword table).

Every emitter here runs inside its group's type guard, so ``node.var`` already holds a ``dict``
(object keywords) or a ``list`` (array keywords) when the code it writes executes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.emit.writer import literal

if TYPE_CHECKING:
    from generator.emit.function import FunctionEmitter, Node

# Up to this many names are tested inline (``"a" not in x or "b" not in x``), more in a loop.
INLINE_NAMES = 8


def count(f: FunctionEmitter, node: Node, keyword: str, value: object) -> int:
    """``value`` if it is a non-negative integer (``2.0`` allowed), else a `GenerationError`."""
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is int and value >= 0:
        return value
    raise f.error(
        (*node.loc, keyword), f"{keyword} must be a non-negative integer, not {value!r:.60}"
    )


def length_range(
    f: FunctionEmitter, node: Node, low_keyword: str, low: int | None, high_keyword: str
) -> bool:
    """In the fast path, one ``if not 1 <= len(x) <= 32`` for a minimum and a maximum length.

    Called by the minimum's emitter with its (non-zero) ``low``, which writes the test, and by
    the maximum's with ``low=None``; True if the caller has nothing more to write.
    """
    if not f.fast or high_keyword not in node.schema:
        return False
    if low is None:
        minimum = node.schema.get(low_keyword)
        return minimum is not None and count(f, node, low_keyword, minimum) > 0
    high = count(f, node, high_keyword, node.schema[high_keyword])
    with f.w.block(f"if not {low} <= len({node.var}) <= {high}:"):
        f.fail(node, low_keyword)
    return True


def _names(f: FunctionEmitter, node: Node, keyword: str, value: object) -> list[str]:
    if type(value) is not list or any(type(name) is not str for name in value):
        raise f.error((*node.loc, keyword), f"{keyword} must be an array of strings")
    return list(dict.fromkeys(value))


def _schema_map(
    f: FunctionEmitter, node: Node, keyword: str, value: object
) -> Mapping[str, object]:
    if type(value) is not dict or any(type(name) is not str for name in value):
        raise f.error((*node.loc, keyword), f"{keyword} must be an object with string keys")
    return value


def _schema_list(f: FunctionEmitter, node: Node, keyword: str, value: object) -> int:
    if type(value) is not list or not value:
        raise f.error((*node.loc, keyword), f"{keyword} must be a non-empty array of schemas")
    return len(value)


def enforced_required(f: FunctionEmitter, node: Node) -> list[str]:
    """The ``required`` names this schema enforces (OpenAPI drops readOnly/writeOnly ones)."""
    if "required" not in node.schema:
        return []
    names = _names(f, node, "required", node.schema["required"])
    return [name for name in names if not f.unit.dialect.required_skipped(f, node, name)]


def _missing(
    f: FunctionEmitter, node: Node, names: list[str], schema_path: tuple[str | int, ...]
) -> None:
    """Fail for each name of ``names`` that ``node.var`` (a dict) lacks."""
    v, keyword = node.var, str(schema_path[0])
    if f.fast and len(names) <= INLINE_NAMES:
        test = " or ".join(f"{literal(name)} not in {v}" for name in names)
        with f.w.block(f"if {test}:"):
            f.fail(node, keyword)
        return
    k = f.local("k")
    with f.w.block(f"for {k} in {f.const(tuple(names))}:"), f.w.block(f"if {k} not in {v}:"):
        f.fail(node, keyword, k, schema_path=schema_path)


def emit_required(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"required": ["id", "name"]}``: ``if 'id' not in x or 'name' not in x: return False``.

    The fast path fetches the required properties that have a schema, for
    `emit_properties`, all at once: ``try: v1 = x['id']; v2 = x['name']`` / ``except
    KeyError: return False``.
    """
    names = enforced_required(f, node)
    if not names:
        return
    properties = node.schema.get("properties")
    fetched = {}
    if f.fast and type(properties) is dict:
        fetched = {
            name: f.local("v")
            for name in names
            if type(properties.get(name)) is dict and properties[name] != {}
        }
    if fetched:
        # Free in CPython 3.11+ when nothing is raised: one lookup per property, no test.
        with f.w.block("try:"):
            for name, item in fetched.items():
                f.w.line(f"{item} = {node.var}[{literal(name)}]")
        with f.w.block("except KeyError:"):
            f.fail(node, "required")
        f.fetched[node.loc, node.var] = fetched
        f.held[node.loc, node.var] = (f.w.depth, fetched)
    rest = [name for name in names if name not in fetched]
    if rest:
        _missing(f, node, rest, ("required",))


def emit_min_properties(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"minProperties": 1}``: ``if len(x) < 1: return False``."""
    limit = count(f, node, "minProperties", value)
    if limit and not length_range(f, node, "minProperties", limit, "maxProperties"):
        with f.w.block(f"if len({node.var}) < {limit}:"):
            f.fail(node, "minProperties", literal(limit))


def emit_max_properties(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"maxProperties": 3}``: ``if len(x) > 3: return False``."""
    limit = count(f, node, "maxProperties", value)
    if length_range(f, node, "minProperties", None, "maxProperties"):
        return
    with f.w.block(f"if len({node.var}) > {limit}:"):
        f.fail(node, "maxProperties", literal(limit))


def emit_properties(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"properties": {"id": {"type": "integer"}}}``.

    ``if 'id' in x: v1 = x['id']`` then the subschema on ``v1``; a property the fast path has
    already found ``required`` is read without the membership test.
    """
    properties = _schema_map(f, node, "properties", value)
    present = set(enforced_required(f, node)) if f.fast else set()
    fetched = f.fetched.pop((node.loc, node.var), {})
    for name in properties:
        if f.unit.schema_at((*node.loc, "properties", name)) == {}:
            continue
        if name in fetched:
            f.child(node, ("properties", name), fetched[name], ((False, name),))
            continue
        item = f.local("v")
        key = literal(name)
        if name in present:
            f.w.line(f"{item} = {node.var}[{key}]")
            f.child(node, ("properties", name), item, ((False, name),))
            continue
        with f.w.block(f"if {key} in {node.var}:"):
            f.w.line(f"{item} = {node.var}[{key}]")
            f.child(node, ("properties", name), item, ((False, name),))


def emit_pattern_properties(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"patternProperties": {"^x-": {"type": "string"}}}``.

    ``for k1, v1 in x.items(): if _r1.search(k1) is not None:`` then the subschema on ``v1``.
    """
    patterns = _schema_map(f, node, "patternProperties", value)
    if not patterns:
        return
    key, item = f.local("k"), f.local("v")
    with f.w.block(f"for {key}, {item} in {node.var}.items():"):
        for pattern in patterns:
            regex = f.regex(pattern, (*node.loc, "patternProperties", pattern))
            with f.w.block(f"if {regex}.search({key}) is not None:"):
                f.child(node, ("patternProperties", pattern), item, ((True, key),))


def emit_additional_properties(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"properties": {"a": {}}, "additionalProperties": false}``.

    ``if not _c1.issuperset(x): return False``; with patterns or a schema, a loop that skips
    declared and pattern-matched names.
    """
    if value is True or value == {}:
        return
    if value is not False and type(value) is not dict:
        raise f.error((*node.loc, "additionalProperties"), "must be a boolean or a schema")
    names = frozenset(_schema_map(f, node, "properties", node.schema.get("properties", {})))
    patterns = _schema_map(f, node, "patternProperties", node.schema.get("patternProperties", {}))
    regexes = [f.regex(p, (*node.loc, "patternProperties", p)) for p in patterns]
    v = node.var
    if value is False and not regexes and f.fast:
        with f.w.block(f"if not {f.const(names)}.issuperset({v}):" if names else f"if {v}:"):
            f.fail(node, "additionalProperties")
        return
    key, item = f.local("k"), f.local("v")
    loop = f"for {key} in {v}:" if value is False else f"for {key}, {item} in {v}.items():"
    with f.w.block(loop):
        skips = [f"{key} in {f.const(names)}"] if names else []
        skips += [f"{regex}.search({key}) is not None" for regex in regexes]
        if skips:
            with f.w.block(f"if {' or '.join(skips)}:"):
                f.w.line("continue")
        if value is False:
            f.fail(node, "additionalProperties", key, path=((True, key),))
        else:
            f.child(node, ("additionalProperties",), item, ((True, key),))


def emit_dependencies(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"dependencies": {"card": ["billing"], "vip": {"required": ["tier"]}}}``.

    ``if 'card' in x: if 'billing' not in x: return False``; a schema applies to ``x`` itself.
    """
    for name, dependency in _schema_map(f, node, "dependencies", value).items():
        with f.w.block(f"if {literal(name)} in {node.var}:"):
            if type(dependency) is dict:
                f.child(node, ("dependencies", name), node.var)
            else:
                names = _names(f, node, "dependencies", dependency)
                if names:
                    _missing(f, node, names, ("dependencies", name))


def emit_min_items(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"minItems": 1}``: ``if len(x) < 1: return False``."""
    limit = count(f, node, "minItems", value)
    if limit and not length_range(f, node, "minItems", limit, "maxItems"):
        with f.w.block(f"if len({node.var}) < {limit}:"):
            f.fail(node, "minItems", literal(limit))


def emit_max_items(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"maxItems": 3}``: ``if len(x) > 3: return False``."""
    limit = count(f, node, "maxItems", value)
    if length_range(f, node, "minItems", None, "maxItems"):
        return
    with f.w.block(f"if len({node.var}) > {limit}:"):
        f.fail(node, "maxItems", literal(limit))


def emit_unique_items(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"uniqueItems": true}`` (``1`` equals ``1.0``, not ``true``): ``_rt.has_duplicates(x)``."""
    if value is not True and value is not False:
        raise f.error((*node.loc, "uniqueItems"), "uniqueItems must be a boolean")
    if value and not _hashable_items(f, node):
        with f.w.block(f"if _rt.has_duplicates({node.var}):"):
            f.fail(node, "uniqueItems")


def _hashable_items(f: FunctionEmitter, node: Node) -> bool:
    """Whether the fast path checks ``uniqueItems`` after ``items``, with a frozenset: the items
    then are all strings, all numbers or all booleans, whose Python equality is JSON's."""
    items = node.schema.get("items")
    if not f.fast or node.schema.get("uniqueItems") is not True or type(items) is not dict:
        return False
    if not items:
        return False
    target = f.unit.schema_at(f.unit.resolver.target((*node.loc, "items")))
    return f.unit.dialect.known_type(target, f.unit) in ("string", "integer", "number", "boolean")


def emit_items(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"items": {"type": "string"}}``: ``for v1 in x:`` then the subschema on ``v1``;
    ``{"items": [{}, {}]}`` (draft 4 only): one subschema per position.
    """
    v = node.var
    if type(value) is dict:
        if not value:
            return
        item = f.local("v")
        if f.fast:
            with f.w.block(f"for {item} in {v}:"):
                f.child(node, ("items",), item)
            if _hashable_items(f, node):
                with f.w.block(f"if len(frozenset({v})) != len({v}):"):
                    f.fail(node, "uniqueItems")
            return
        index = f.local("i")
        with f.w.block(f"for {index}, {item} in enumerate({v}):"):
            f.child(node, ("items",), item, ((True, index),))
        return
    if type(value) is not list or not f.unit.dialect.tuple_items:
        raise f.error((*node.loc, "items"), f"items must be {f.unit.dialect.items_shape}")
    for position in range(len(value)):
        item = f.local("v")
        with f.w.block(f"if len({v}) > {position}:"):
            f.w.line(f"{item} = {v}[{position}]")
            f.child(node, ("items", position), item, ((False, position),))


def emit_additional_items(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"items": [{}], "additionalItems": false}``: ``if len(x) > 1: return False``."""
    items = node.schema.get("items")
    if type(items) is not list or value is True or value == {}:
        return
    v = node.var
    if value is False:
        with f.w.block(f"if len({v}) > {len(items)}:"):
            f.fail(node, "additionalItems")
        return
    if type(value) is not dict:
        raise f.error((*node.loc, "additionalItems"), "must be a boolean or a schema")
    index, item = f.local("i"), f.local("v")
    with f.w.block(f"for {index} in range({len(items)}, len({v})):"):
        f.w.line(f"{item} = {v}[{index}]")
        f.child(node, ("additionalItems",), item, ((True, index),))


def emit_all_of(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"allOf": [{"$ref": "#/definitions/base"}, {"required": ["id"]}]}``: each inline."""
    for index in range(_schema_list(f, node, "allOf", value)):
        f.child(node, ("allOf", index), node.var)


def emit_any_of(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"anyOf": [{"type": "string"}, {"minimum": 0}]}``: ``if not (_v2(x) or _v3(x))``."""
    calls = [
        f"{f.branch(node, ('anyOf', i))}({node.var})"
        for i in range(_schema_list(f, node, "anyOf", value))
    ]
    with f.w.block(f"if not ({' or '.join(calls)}):"):
        f.fail(node, "anyOf")


def emit_one_of(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"oneOf": [{"type": "integer"}, {"minimum": 2}]}``: ``if _v2(x) + _v3(x) != 1``."""
    calls = [
        f"{f.branch(node, ('oneOf', i))}({node.var})"
        for i in range(_schema_list(f, node, "oneOf", value))
    ]
    if f.fast:
        with f.w.block(f"if {' + '.join(calls)} != 1:"):
            f.fail(node, "oneOf")
        return
    matches = f.local("n")
    f.w.line(f"{matches} = {' + '.join(calls)}")
    with f.w.block(f"if {matches} != 1:"):
        f.fail(node, "oneOf", f"{matches} > 1")


def emit_not(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"not": {"type": "null"}}``: ``if _v2(x): return False``."""
    if type(value) is not dict:
        raise f.error((*node.loc, "not"), "not must be a schema")
    with f.w.block(f"if {f.branch(node, ('not',))}({node.var}):"):
        f.fail(node, "not")
