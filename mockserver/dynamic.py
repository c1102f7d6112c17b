"""Dynamic answers: JSON data generated from an OpenAPI 3.0 schema with a seeded `random.Random`.

Valid by construction for the keywords the specs use (types, enums, bounds, lengths, patterns,
formats, ``allOf`` merged, one branch of ``oneOf``/``anyOf``, ``not: {enum}``, ``nullable``),
``writeOnly`` properties left out of answers and ``readOnly`` ones out of requests. The caller
still checks the result with the generated validator (`mockserver.plans`), and falls back to
the documented example if a schema says something this generator cannot honour.

>>> import random
>>> Generator(lambda schema: schema, random.Random(1)).value(
...     {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer",
...      "minimum": 1, "maximum": 1}}})
{'n': 1}
"""

from __future__ import annotations

import base64
import importlib
import random
import re
import string
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

__all__ = ["CannotGenerate", "Generator"]

Schema = Mapping[str, Any]
Deref = Callable[[Any], Any]

_MAX_DEPTH: Final = 12
_INT64: Final = (-(2**63), 2**63 - 1)
_INT32: Final = (-(2**31), 2**31 - 1)
_ALPHABET: Final = string.ascii_letters + string.digits
_sre: Any = importlib.import_module("re._parser")
_sre_constants: Any = importlib.import_module("re._constants")


class CannotGenerate(Exception):
    """The schema asks for something this generator cannot produce."""


def _merge(schemas: list[Schema]) -> dict[str, Any]:
    """The conjunction of ``allOf`` branches as one schema (properties merged by ``allOf``)."""
    merged: dict[str, Any] = {}
    properties: dict[str, list[Any]] = {}
    excluded: list[Any] = []
    for schema in schemas:
        for key, value in schema.items():
            if key == "properties":
                for name, sub in value.items():
                    properties.setdefault(name, []).append(sub)
            elif key == "required":
                merged["required"] = sorted(set(merged.get("required", [])) | set(value))
            elif key == "enum":
                before = merged.get("enum")
                merged["enum"] = value if before is None else [v for v in before if v in value]
            elif key == "not" and isinstance(value, Mapping) and "enum" in value:
                excluded.extend(value["enum"])
            elif key in ("minimum", "minLength", "minItems"):
                merged[key] = max(merged.get(key, value), value)
            elif key in ("maximum", "maxLength", "maxItems"):
                merged[key] = min(merged.get(key, value), value)
            elif key == "nullable":
                merged[key] = merged.get(key, True) and value
            elif key not in merged:
                merged[key] = value
    if properties:
        merged["properties"] = {
            name: subs[0] if len(subs) == 1 else {"allOf": subs}
            for name, subs in properties.items()
        }
    if excluded:
        merged["x-excluded"] = excluded
    return merged


class Generator:
    """Generates instances of schemas; ``deref`` follows a ``$ref`` (returns the target)."""

    def __init__(self, deref: Deref, rng: random.Random, *, direction: str = "response") -> None:
        self.deref = deref
        self.rng = rng
        self.skip = "writeOnly" if direction == "response" else "readOnly"

    def value(self, schema: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise CannotGenerate("the schema nests too deeply")
        schema = self._flatten(schema)
        if not schema:
            return self.rng.choice(["mock", 0, True])
        if schema.get("nullable") and self.rng.random() < 0.1:
            return None
        excluded = schema.get("x-excluded", [])
        if "enum" in schema:
            choices = [value for value in schema["enum"] if value not in excluded]
            if not choices:
                raise CannotGenerate("no enum value is allowed")
            return self.rng.choice(choices)
        kind = schema.get("type") or self._infer(schema)
        for _ in range(20):
            value = getattr(self, "_" + kind)(schema, depth)
            if value not in excluded:
                return value
        raise CannotGenerate("every generated value is excluded by `not`")

    def _flatten(self, schema: Any) -> dict[str, Any]:
        schema = self.deref(schema)
        if not isinstance(schema, Mapping):
            return {}
        if "allOf" in schema:
            parts = [self._flatten(sub) for sub in schema["allOf"]]
            rest = {key: value for key, value in schema.items() if key != "allOf"}
            schema = _merge([rest, *parts])
        for key in ("oneOf", "anyOf"):
            if key in schema:
                branch = self._flatten(self.rng.choice(schema[key]))
                rest = {k: v for k, v in schema.items() if k != key}
                schema = _merge([rest, branch])
        return dict(schema)

    @staticmethod
    def _infer(schema: Schema) -> str:
        if "properties" in schema or "required" in schema:
            return "object"
        if "items" in schema:
            return "array"
        return "string"

    def _object(self, schema: Schema, depth: int) -> dict[str, Any]:
        required = set(schema.get("required", []))
        result = {}
        for name, sub in (schema.get("properties") or {}).items():
            target = self._flatten(sub)
            if target.get(self.skip):
                continue
            if name in required or self.rng.random() < 0.6:
                result[name] = self.value(target, depth + 1)
        for name in required - set(result) - set(schema.get("properties") or {}):
            result[name] = "mock"
        return result

    def _array(self, schema: Schema, depth: int) -> list[Any]:
        low = schema.get("minItems", 0)
        high = min(schema.get("maxItems", low + 3), low + 3)
        items: list[Any] = []
        for _ in range(self.rng.randint(low, max(low, high)) * 5):
            if len(items) >= max(low, high) or (len(items) >= low and self.rng.random() < 0.3):
                break
            item = self.value(schema.get("items", {}), depth + 1)
            if schema.get("uniqueItems") and item in items:
                continue
            items.append(item)
        if len(items) < low:
            raise CannotGenerate("cannot find enough distinct items")
        return items

    def _boolean(self, schema: Schema, depth: int) -> bool:
        return self.rng.random() < 0.5

    def _bounds(self, schema: Schema, step: float) -> tuple[float, float]:
        low, high = _INT32 if schema.get("format") == "int32" else _INT64
        low = max(low, schema.get("minimum", 0 if "maximum" not in schema else low))
        high = min(high, schema.get("maximum", low + 10_000))
        if schema.get("exclusiveMinimum") is True:
            low += step
        if schema.get("exclusiveMaximum") is True:
            high -= step
        if low > high:
            raise CannotGenerate("the bounds leave no value")
        return low, high

    def _integer(self, schema: Schema, depth: int) -> int:
        low, high = self._bounds(schema, 1)
        multiple = schema.get("multipleOf")
        if isinstance(multiple, int) and multiple > 0:
            first, last = -(-int(low) // multiple), int(high) // multiple
            if first > last:
                raise CannotGenerate("no multiple in the bounds")
            return self.rng.randint(first, last) * multiple
        return self.rng.randint(int(-(-low // 1)), int(high // 1))

    def _number(self, schema: Schema, depth: int) -> float | int:
        if isinstance(schema.get("multipleOf"), int):
            return self._integer(schema, depth)
        low, high = self._bounds(schema, 0.01)
        return round(self.rng.uniform(low, high), 2)

    def _string(self, schema: Schema, depth: int) -> str:
        low = schema.get("minLength", 0)
        high = schema.get("maxLength", max(low, 12))
        pattern = schema.get("pattern")
        for _ in range(50):
            text = self._text(schema, pattern, low, high)
            if low <= len(text) <= high and (pattern is None or re.search(pattern, text)):
                return text
        raise CannotGenerate(f"cannot generate a string of {schema!r}")

    def _text(self, schema: Schema, pattern: str | None, low: int, high: int) -> str:
        if pattern is not None:
            return _from_regex(pattern, self.rng)
        format_ = schema.get("format")
        rng = self.rng
        moment = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 10**9))
        if format_ == "date-time":
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if format_ == "date":
            return moment.strftime("%Y-%m-%d")
        if format_ == "uuid":
            return "%08x-%04x-4%03x-a%03x-%012x" % (  # noqa: UP031
                rng.getrandbits(32),
                rng.getrandbits(16),
                rng.getrandbits(12),
                rng.getrandbits(12),
                rng.getrandbits(48),
            )
        if format_ == "email":
            return f"user{rng.randint(1, 999)}@example.com"
        if format_ in ("uri", "url"):
            return f"https://example.com/{rng.randint(1, 999)}"
        if format_ == "hostname":
            return f"host{rng.randint(1, 999)}.example.com"
        if format_ == "ipv4":
            return ".".join(str(rng.randint(0, 255)) for _ in range(4))
        if format_ == "ipv6":
            return ":".join(f"{rng.getrandbits(16):x}" for _ in range(8))
        if format_ == "byte":
            return base64.b64encode(rng.randbytes(rng.randint(1, 12))).decode()
        size = rng.randint(low, min(high, low + 16))
        return "".join(rng.choice(_ALPHABET) for _ in range(size))


def _from_regex(pattern: str, rng: random.Random) -> str:
    """A string matching ``pattern`` (a subset: literals, classes, groups, alternation,
    repeats; anchors ignored)."""
    try:
        parsed = _sre.parse(pattern)
    except re.error as exc:
        raise CannotGenerate(f"pattern {pattern!r}: {exc}") from exc
    out: list[str] = []
    _emit(parsed, rng, out)
    return "".join(out)


def _class_chars(items: Any) -> tuple[list[tuple[int, int]], bool]:
    c = _sre_constants
    ranges: list[tuple[int, int]] = []
    negate = False
    categories = {
        c.CATEGORY_DIGIT: [(48, 57)],
        c.CATEGORY_WORD: [(48, 57), (65, 90), (97, 122), (95, 95)],
        c.CATEGORY_SPACE: [(32, 32)],
    }
    for op, value in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            ranges.append((value, value))
        elif op is c.RANGE:
            ranges.append(value)
        elif op is c.CATEGORY and value in categories:
            ranges.extend(categories[value])
        else:
            raise CannotGenerate(f"unsupported class item {op}")
    return ranges, negate


def _pick(ranges: list[tuple[int, int]], negate: bool, rng: random.Random) -> str:
    if negate:
        for _ in range(100):
            char = rng.choice(_ALPHABET)
            if not any(low <= ord(char) <= high for low, high in ranges):
                return char
        raise CannotGenerate("negated class excludes every letter")
    low, high = rng.choice(ranges)
    return chr(rng.randint(low, high))


def _emit(parsed: Any, rng: random.Random, out: list[str]) -> None:
    c = _sre_constants
    for op, value in parsed:
        if op is c.LITERAL:
            out.append(chr(value))
        elif op is c.NOT_LITERAL:
            out.append(_pick([(value, value)], True, rng))
        elif op is c.ANY:
            out.append(rng.choice(_ALPHABET))
        elif op is c.IN:
            out.append(_pick(*_class_chars(value), rng))
        elif op is c.AT:
            continue
        elif op is c.SUBPATTERN:
            _emit(value[-1], rng, out)
        elif op is c.BRANCH:
            _emit(rng.choice(value[1]), rng, out)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, sub = value
            high = min(high, low + 8) if high is not c.MAXREPEAT else low + 8
            for _ in range(rng.randint(low, max(low, high))):
                _emit(sub, rng, out)
        elif op is c.CATEGORY:
            out.append(_pick(*_class_chars([(op, value)]), rng))
        else:
            raise CannotGenerate(f"unsupported pattern element {op}")
