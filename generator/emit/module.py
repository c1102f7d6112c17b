"""One spec -> the source of its validator module (``validators/<spec>.py``).

Requests are compiled with ``direction="request"`` and answers with ``direction="response"``
(``readOnly``/``writeOnly`` differ), in two units sharing one constant table each. The module
describes every operation as data (`generator.runtime.Operation` and friends) around the
generated functions; spec strings appear in it only through `literal()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from generator.emit.builder import CODEGEN_VERSION, UnitBuilder
from generator.emit.options import CompileOptions
from generator.emit.writer import literal
from generator.errors import GenerationError
from generator.model import Header, MediaType, Operation, Parameter, Response, Spec
from generator.resolver import resolve_pointer

__all__ = ["generate_module", "module_name", "render_package"]

_MODULE_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_SHAPE_DEPTH: Final = 8
_SCALARS = ("string", "integer", "number", "boolean")

RuleEmitter = Callable[..., tuple[str, str]]


def module_name(spec_name: str) -> str:
    """The module a spec compiles to: ``tencent-ivc`` -> ``tencent_ivc``.

    >>> module_name("vcs-compute")
    'vcs_compute'
    """
    name = spec_name.replace("-", "_").replace(".", "_")
    if not _MODULE_NAME.match(name):
        raise ValueError(
            f"spec name {spec_name!r} does not make a module name "
            "(use lowercase letters, digits, '-' and '_', starting with a letter)"
        )
    return name


def _tokens(document: object, pointer: str) -> tuple[str | int, ...]:
    """The path tuple of ``pointer``, with list indexes as ints (like compiled schema paths)."""
    tokens: list[str | int] = []
    node = document
    for raw in pointer.split("/")[1:] if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit():
            tokens.append(int(token))
            node = node[int(token)]
        else:
            tokens.append(token)
            node = node.get(token) if isinstance(node, dict) else None
    return tuple(tokens)


class _ModuleBuilder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.file = str(spec.file)
        self.document = spec.document
        self.request = UnitBuilder(
            spec.document, CompileOptions(direction="request"), prefix="q", file=self.file
        )
        self.response = UnitBuilder(
            spec.document, CompileOptions(direction="response"), prefix="r", file=self.file
        )

    # -- shapes: how strings become values -------------------------------------------------

    def deref(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 32:
            ref = schema["$ref"]
            if not ref.startswith("#"):
                return {}
            try:
                schema = resolve_pointer(self.document, ref[1:])
            except KeyError:
                return {}
            seen += 1
        return schema

    def shape(self, schema: Any, depth: int = 0) -> tuple[Any, ...]:
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > _SHAPE_DEPTH:
            return ("any",)
        kind = schema.get("type")
        if kind is None:
            for member in schema.get("allOf", []):
                found = self.shape(member, depth + 1)
                if found != ("any",):
                    return found
            return ("any",)
        if kind in _SCALARS:
            return (kind,)
        if kind == "array":
            return ("array", self.shape(schema.get("items"), depth + 1))
        if kind == "object":
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties", True)
            other = ("none",) if extra is False else self.shape(extra, depth + 1)
            return (
                "object",
                {str(name): self.shape(value, depth + 1) for name, value in properties.items()},
                other,
            )
        return ("any",)

    # -- pieces ------------------------------------------------------------------------------

    def schema(self, unit: UnitBuilder, schema: Any, pointer: str) -> str:
        if schema is None:
            return "None"
        fast, collect = unit.add(pointer)
        return f"({fast}, {collect})"

    def parameter(self, parameter: Parameter | Header, unit: UnitBuilder) -> str:
        fast, collect = (
            unit.add(parameter.schema_pointer) if parameter.schema is not None else ("None",) * 2
        )
        if isinstance(parameter, Header):
            name, location, style = parameter.name, "header", "simple"
        else:
            name, location, style = parameter.name, parameter.location, parameter.style
        arguments = [
            literal(name),
            literal(location),
            literal(parameter.required),
            literal(style),
            literal(parameter.explode),
            unit.const(self.shape(parameter.schema)),
            fast,
            collect,
            unit.const(_tokens(self.document, parameter.pointer)),
        ]
        return f"_rt.Parameter({', '.join(arguments)})"

    def media(self, unit: UnitBuilder, content: Iterable[MediaType]) -> str:
        entries = [
            f"{literal(media.media_type.lower())}: "
            f"{self.schema(unit, media.schema, media.schema_pointer)}"
            for media in content
        ]
        return "{" + ", ".join(entries) + "}"

    def answer(self, response: Response) -> str:
        headers = [self.parameter(header, self.response) for header in response.headers]
        rendered = "(" + "".join(header + ", " for header in headers) + ")"
        path = self.response.const(_tokens(self.document, response.pointer))
        return f"_rt.Answer({self.media(self.response, response.content)}, {rendered}, {path})"

    def rules(self, operation: Operation, emit_rules: RuleEmitter) -> str:
        if not operation.rules:
            return "None"
        fast_lines, collect_lines = emit_rules(
            operation.rules,
            subject="x",
            path_expr="p",
            unit_const=self.request.const,
            file=self.file,
        )
        fast = self.request.fresh_name("o")
        collect = self.request.fresh_name("o")
        self.request.add_source(f"def {fast}(x):\n{fast_lines}    return True\n")
        self.request.add_source(f"def {collect}(x, p, out):\n{collect_lines or '    pass'}\n")
        return f"({fast}, {collect})"

    def operation(self, operation: Operation, emit_rules: RuleEmitter) -> list[str]:
        if operation.operation_id is None:
            raise GenerationError(self.file, operation.pointer, "an operation needs an operationId")
        request = self.request
        parameters = [self.parameter(parameter, request) for parameter in operation.parameters]
        body = operation.request_body
        body_text = "None"
        if body is not None:
            path = request.const(_tokens(self.document, body.pointer))
            body_text = (
                f"_rt.Body({literal(body.required)}, {self.media(request, body.content)}, {path})"
            )
        answers = [
            f"{literal(response.status)}: {self.answer(response)}"
            for response in operation.responses
        ]
        rules = self.rules(operation, emit_rules)
        return [
            f"    {literal(operation.operation_id)}: _rt.Operation(",
            f"        {literal(operation.operation_id)},",
            f"        {literal(operation.method)},",
            f"        {literal(operation.path)},",
            *(
                ["        (", *(f"            {p}," for p in parameters), "        ),"]
                if parameters
                else ["        (),"]
            ),
            f"        {body_text},",
            "        {",
            *(f"            {answer}," for answer in answers),
            "        },",
            f"        {rules},",
            "    ),",
        ]

    def render(self, emit_rules: RuleEmitter) -> str:
        table = ["OPERATIONS = {"]
        for operation in self.spec.operations:
            table += self.operation(operation, emit_rules)
        table.append("}")
        header = [
            f"# Generated by specpact {_version()} (codegen {CODEGEN_VERSION}) - do not edit.",
            f"# Source sha256: {_sha256(self.spec.sha256)}",
            '"""Validators of one spec, generated from it: see `generator.runtime.http`.',
            "",
            "``OPERATIONS`` maps each operationId to a `generator.runtime.Operation`;",
            "``operation(operation_id)`` and ``find(method, path_template)`` look them up.",
            '"""',
            "",
            "import re as _re",
            "",
            "from generator import runtime as _rt",
            "",
            f"SPEC = {literal(self.spec.name)}",
            f"SHA256 = {literal(_sha256(self.spec.sha256))}",
            f"GENERATOR = {literal(_version())}",
            "",
        ]
        units = (self.request.emitted(), self.response.emitted())
        constants = [f"{name} = {value}" for unit in units for name, value in unit.constants]
        functions = [unit.functions for unit in units if unit.functions]
        footer = [
            "ROUTES = {(op.method, op.path): op for op in OPERATIONS.values()}",
            "",
            "",
            "def operation(operation_id):",
            '    """The operation with this operationId (``KeyError`` if there is none)."""',
            "    return OPERATIONS[operation_id]",
            "",
            "",
            "def find(method, path):",
            '    """The operation at ``method`` and path template ``path``, or ``None``."""',
            "    return ROUTES.get((method.lower(), path))",
        ]
        parts = [
            "\n".join(header),
            "\n".join(constants),
            *functions,
            "\n".join(table),
            "\n".join(footer),
        ]
        return "\n\n\n".join(part.strip("\n") for part in parts if part.strip()) + "\n"


def _version() -> str:
    from generator import __version__

    return __version__


def _sha256(digest: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError("a sha256 must be 64 lowercase hex digits")
    return digest


def _default_rule_emitter() -> RuleEmitter:
    from generator.emit.celrules import emit_rule_checks

    return emit_rule_checks


def generate_module(spec: Spec, *, emit_rules: RuleEmitter | None = None) -> str:
    """The complete source of ``spec``'s validator module.

    Raises `GenerationError` (a `SpecError`: file, pointer, reason) for anything that cannot
    be compiled.
    """
    module_name(spec.name)
    try:
        return _ModuleBuilder(spec).render(emit_rules or _default_rule_emitter())
    except RecursionError as exc:
        raise GenerationError(str(spec.file), "", "the spec is nested too deeply") from exc


def render_package(modules: Mapping[str, str]) -> str:
    """``validators/__init__.py``: the spec -> module table and `load()`.

    >>> print(render_package({"vcs-compute": "vcs_compute"}).splitlines()[-1])
    MODULES = {'vcs-compute': 'vcs_compute'}
    """
    for name in modules.values():
        if not _MODULE_NAME.match(name):
            raise ValueError(f"{name!r} is not a module name")
    return (
        "\n".join(
            [
                f"# Generated by specpact {_version()} (codegen {CODEGEN_VERSION}) - do not edit.",
                '"""The generated validators: one module per spec in ``specs/``.',
                "",
                ">>> load('vcs-compute').operation('startComputeTask')  # doctest: +SKIP",
                '"""',
                "",
                "import importlib",
                "",
                "",
                "def load(spec_name):",
                '    """The validator module of the spec ``spec_name`` (``KeyError`` if none)."""',
                '    return importlib.import_module("validators." + MODULES[spec_name])',
                "",
                "",
                f"MODULES = {literal(dict(sorted(modules.items())))}",
            ]
        )
        + "\n"
    )
