"""Compile one schema into an in-memory validator, through the same generated source as files.

>>> v = compile_schema({"type": "object", "required": ["id"]}, CompileOptions(dialect="draft4"))
>>> v.is_valid({"id": 1}), [e.message for e in v.errors({})]
(True, ["'id' is a required property"])
"""

from __future__ import annotations

import hashlib
import json
import linecache
from collections.abc import Callable

from generator.emit import CompileOptions, emit_schema, render_module
from generator.errors import GenerationError
from generator.runtime import Violation

__all__ = ["CompileOptions", "Validator", "compile_schema"]

FastFunction = Callable[[object], bool]
Collector = Callable[[object, tuple[str | int, ...], list[Violation]], None]


class Validator:
    """A compiled schema: `is_valid` (fast) and `errors` (every violation)."""

    __slots__ = ("_collect", "_fast", "source")

    def __init__(self, fast: FastFunction, collect: Collector, source: str) -> None:
        self._fast = fast
        self._collect = collect
        self.source = source
        """The generated Python source of this validator."""

    def is_valid(self, instance: object) -> bool:
        """Whether ``instance`` (JSON data: dict, list, str, int, float, bool, None) is valid."""
        return self._fast(instance)

    def errors(self, instance: object) -> list[Violation]:
        """Every violation, in schema order; ``[]`` when valid (checked by the fast path first)."""
        if self._fast(instance):
            return []
        out: list[Violation] = []
        self._collect(instance, (), out)
        return out


def _digest(schema: object) -> str:
    try:
        text = json.dumps(schema, sort_keys=True, ensure_ascii=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise GenerationError("<schema>", "", f"the schema is not plain JSON data: {exc}") from exc
    return hashlib.sha256(text.encode()).hexdigest()


def compile_schema(schema: object, options: CompileOptions | None = None) -> Validator:
    """Generate, compile and load a validator for ``schema``.

    The source is registered in `linecache`, so tracebacks through it show the generated lines.
    Raises `GenerationError` (or its `RefResolutionError` sibling) for an unusable schema.
    """
    digest = _digest(schema)
    code = emit_schema(schema, "schema", options or CompileOptions())
    source = render_module([code], sha256=digest)
    filename = f"<specpact-schema-{digest[:16]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, object] = {"__name__": "specpact_generated"}
    # The text is generator output: spec data only appears in it as literal() renderings.
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    fast: FastFunction = namespace[code.is_valid]  # type: ignore[assignment]
    collect: Collector = namespace[code.errors]  # type: ignore[assignment]
    return Validator(fast, collect, source)
