"""Turn schemas into generated source: the constant table, the function registry, the module.

`UnitBuilder` owns everything shared by the functions of one compilation unit: the ``$ref``
resolver, the constants (rendered only by `literal`), the compiled regexes, and one function
per (location, fast/collector), generated from a work list so recursive schemas terminate.
`emit_schema` returns an `EmittedCode`; `render_module` puts any number of them into one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from generator.emit.dialect import Draft4
from generator.emit.function import FunctionEmitter, Node
from generator.emit.openapi30 import OpenAPI30
from generator.emit.options import CompileOptions
from generator.emit.patterns import FLAGS, PatternError, translate
from generator.emit.refs import Location, Resolver, pointer
from generator.emit.writer import LiteralError, Namer, literal
from generator.errors import GenerationError

__all__ = ["CODEGEN_VERSION", "EmittedCode", "UnitBuilder", "emit_schema", "render_module"]

# Bumped whenever the generated text changes for the same input (golden files go stale).
CODEGEN_VERSION: Final = "5"

_TYPE_CHECKS = {
    "string": "type({v}) is str",
    "integer": "type({v}) is int",
    "number": "type({v}) is int or type({v}) is float",
    "boolean": "{v} is True or {v} is False",
    "null": "{v} is None",
    "array": "type({v}) is list",
    "object": "type({v}) is dict",
}
_INTEGRAL_FLOAT = "type({v}) is int or type({v}) is float and {v}.is_integer()"
assert FLAGS == re.ASCII  # rendered below as _re.ASCII


@dataclass(frozen=True, slots=True)
class EmittedCode:
    """Generated source for one or more validators, ready to be placed in a module.

    ``constants`` are ``(name, expression)`` pairs for module level, ``functions`` the text of
    the ``def`` statements; ``entries`` maps each added schema pointer to the names of its
    fast function ``(x) -> bool`` and its collector ``(x, path, out) -> None``.
    """

    constants: tuple[tuple[str, str], ...]
    functions: str
    entries: tuple[tuple[str, str, str], ...]

    @property
    def is_valid(self) -> str:
        """The fast function of the first entry."""
        return self.entries[0][1]

    @property
    def errors(self) -> str:
        """The collector of the first entry."""
        return self.entries[0][2]


class UnitBuilder:
    """Compiles schemas of one document into functions sharing constants and ``$ref`` targets.

    >>> unit = UnitBuilder({"type": "string"}, CompileOptions(), prefix="s")
    >>> unit.add("")
    ('_s__v1', '_s__e2')
    """

    def __init__(
        self, document: object, options: CompileOptions, *, prefix: str, file: str = "<schema>"
    ) -> None:
        self.options = options
        self.file = file
        self.dialect = (
            OpenAPI30(options.direction) if options.dialect == "openapi-3.0" else Draft4()
        )
        self.keywords = self.dialect.keywords()
        self.resolver = Resolver(document, file)
        self._namer = Namer(prefix)
        self._constants: dict[str, str] = {}
        self._functions: dict[tuple[Location, bool], str] = {}
        self._queue: list[tuple[Location, bool]] = []
        self._sources: list[str] = []
        self._calls: dict[Location, set[Location]] = {}
        self._entries: list[tuple[str, str, str]] = []

    # -- used by emitters -----------------------------------------------------------------

    def const(self, value: object) -> str:
        """A module-level constant for ``value``; equal renderings share one name."""
        try:
            expression = literal(value)
        except LiteralError as exc:
            raise GenerationError(self.file, "", f"cannot embed a value: {exc}") from exc
        return self._named(expression)

    def regex(self, pattern: object, loc: Location) -> str:
        """A module-level compiled regex for the ECMA-262 ``pattern`` found at ``loc``."""
        if type(pattern) is not str:
            raise GenerationError(self.file, pointer(loc), "a pattern must be a string")
        try:
            translated = translate(pattern)
        except PatternError as exc:
            raise GenerationError(
                self.file, pointer(loc), f"unusable pattern {pattern!r:.80}: {exc}"
            ) from exc
        return self._named(f"_re.compile({literal(translated)}, _re.ASCII)", kind="r")

    def _named(self, expression: str, kind: str = "c") -> str:
        if expression not in self._constants:
            self._constants[expression] = self._namer.ident(kind)
        return self._constants[expression]

    def function(self, loc: Location, *, fast: bool) -> str:
        """The name of the function for the schema at ``loc``, generated later if new."""
        key = (loc, fast)
        if key not in self._functions:
            self._functions[key] = self._namer.ident("v" if fast else "e")
            self._queue.append(key)
        return self._functions[key]

    def schema_at(self, loc: Location) -> dict[str, object]:
        """The schema object at ``loc``; anything else there is a `GenerationError`."""
        node = self.resolver.node(loc)
        if type(node) is not dict:
            raise GenerationError(self.file, pointer(loc), "a schema must be an object")
        return node

    def type_check(self, name: str, var: str) -> str:
        """The expression testing that ``var`` is of JSON type ``name``."""
        if name == "integer" and self.options.integral_floats_are_integers:
            return _INTEGRAL_FLOAT.format(v=var)
        return _TYPE_CHECKS[name].format(v=var)

    def same_instance_call(self, caller: Location, callee: Location) -> None:
        """Record that ``caller`` validates its own instance against ``callee``."""
        self._calls.setdefault(caller, set()).add(callee)

    def fresh_name(self, kind: str) -> str:
        """A new identifier of this unit, for a function the caller adds with `add_source`."""
        return self._namer.ident(kind)

    def add_source(self, source: str) -> None:
        """Add generated source (a ``def`` built from this unit's names) to the unit's output."""
        self._sources.append(source)

    # -- building -------------------------------------------------------------------------

    def add(self, schema_pointer: str) -> tuple[str, str]:
        """Compile the schema at ``schema_pointer``; return its (fast, collector) names."""
        # A fragment is URI text: percent-encode the pointer so no character (a newline in a
        # path template, say) is dropped by URL parsing on the way.
        fragment = quote(schema_pointer, safe="/~")
        root = self.resolver.resolve("#" + fragment, self.resolver.root_base, ())
        self.schema_at(root)
        self.resolver.index(root)
        target = self.resolver.target(root)
        names = (self.function(target, fast=True), self.function(target, fast=False))
        while self._queue:
            self._generate(*self._queue.pop(0))
        self._check_recursion()
        self._entries.append((schema_pointer, *names))
        return names

    def _generate(self, loc: Location, fast: bool) -> None:
        emitter = FunctionEmitter(self, loc, fast=fast)
        try:
            emitter.emit(Node(self.schema_at(loc), loc, self.resolver.base_of(loc), "x"))
        except RecursionError as exc:
            raise GenerationError(self.file, pointer(loc), "schema nested too deeply") from exc
        name = self._functions[(loc, fast)]
        body = emitter.w.text()
        if fast:
            header, body = f"def {name}(x):\n", body + "    return True\n"
        else:
            header, body = f"def {name}(x, p, out):\n", body or "    pass\n"
        self._sources.append(header + body)

    def _check_recursion(self) -> None:
        """Refuse schemas that would recurse on one instance forever (``{"$ref": "#"}``)."""
        state: dict[Location, int] = {}
        for start in sorted(self._calls, key=repr):
            stack = [(start, iter(sorted(self._calls.get(start, ()), key=repr)))]
            if state.get(start):
                continue
            state[start] = 1
            while stack:
                loc, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[loc] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    raise GenerationError(
                        self.file, pointer(child), "schema refers to itself for the same value"
                    )
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(sorted(self._calls.get(child, ()), key=repr))))

    def emitted(self) -> EmittedCode:
        constants = tuple((name, expr) for expr, name in self._constants.items())
        return EmittedCode(constants, "\n\n".join(self._sources), tuple(self._entries))


def emit_schema(
    schema: object,
    name: str,
    options: CompileOptions | None = None,
    *,
    file: str = "<schema>",
) -> EmittedCode:
    """Generate the functions validating ``schema``; identifiers start with ``_<name>__``.

    >>> code = emit_schema({"type": "integer"}, "age", CompileOptions(dialect="draft4"))
    >>> code.is_valid, code.errors
    ('_age__v1', '_age__e2')
    """
    unit = UnitBuilder(schema, options or CompileOptions(), prefix=name, file=file)
    unit.add("")
    return unit.emitted()


def render_module(codes: list[EmittedCode], *, sha256: str | None = None) -> str:
    """A complete, importable module holding ``codes``; headed "do not edit".

    ``sha256`` (hex digits only) records the input the module was generated from.
    """
    if sha256 is not None and not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("sha256 must be 64 lowercase hex digits")
    lines = [
        f"# Generated by the specpact schema compiler (codegen {CODEGEN_VERSION}) - do not edit.",
        *([f"# Source sha256: {sha256}"] if sha256 else []),
        "import re as _re",
        "",
        "from generator import runtime as _rt",
        "",
    ]
    lines += [f"{name} = {expression}" for code in codes for name, expression in code.constants]
    text = "\n".join(lines) + "\n"
    for code in codes:
        text += "\n\n" + code.functions
    return text
