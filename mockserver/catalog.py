"""The specs the mock serves: each with its validators and its mock extensions.

`load_catalog` reads every spec (`generator.parse.load_spec`), takes its validator module from
``validators/`` when that module was generated from this very text (same sha256) and otherwise
generates it in memory, reads ``x-validation-errors`` and ``x-echo``, and refuses two specs
that claim the same method and path. `routing_document` is the one OpenAPI document Connexion
routes with: every operation of every spec, at the vendor's own path.
"""

from __future__ import annotations

import importlib
import linecache
import logging
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from generator.errors import SpecError
from generator.model import Spec
from generator.parse import load_spec
from generator.runtime import Operation as Validator
from mockserver.extensions import EchoEntry, ErrorChoice, parse_echo, parse_validation_errors

__all__ = ["ServedSpec", "load_catalog", "route_key", "routing_document"]

logger = logging.getLogger("mockserver")

_TEMPLATE = re.compile(r"\{[^}/]*\}")


@dataclass(frozen=True, slots=True)
class ServedSpec:
    """One spec as the mock serves it."""

    spec: Spec
    validators: Mapping[str, Validator]
    """Validator of each operation, by operationId."""
    validators_origin: str
    validation_errors: Mapping[str, ErrorChoice]
    echo: Mapping[str, tuple[EchoEntry, ...]]

    @property
    def name(self) -> str:
        return self.spec.name


def route_key(method: str, path: str) -> tuple[str, str]:
    """What makes two operations clash: the method and the path with its templates blanked.

    >>> route_key("post", "/a/{x}/b")
    ('POST', '/a/{}/b')
    """
    return method.upper(), _TEMPLATE.sub("{}", path)


def load_catalog(paths: Sequence[Path], *, fresh: bool = False) -> tuple[ServedSpec, ...]:
    """Load every spec; ``fresh``: generate every validator in memory (never ``validators/``).

    Raises `SpecError` for a spec that cannot be served, or for a clash between specs.
    """
    specs = [load_spec(path) for path in paths]
    _check_clashes(specs)
    return tuple(_serve(spec, fresh=fresh) for spec in specs)


def _serve(spec: Spec, *, fresh: bool) -> ServedSpec:
    file = str(spec.file)
    validation_errors = parse_validation_errors(spec.document, file)
    echo = parse_echo(spec.document, file)
    ids = {operation.operation_id for operation in spec.operations}
    for operation in spec.operations:
        if not operation.operation_id:
            raise SpecError(file, operation.pointer, "the mock needs an operationId")
    for operation_id, entries in echo.items():
        if operation_id not in ids:
            raise SpecError(
                file,
                entries[0].where if entries else "/x-echo",
                f"x-echo names an unknown operationId {operation_id!r}",
            )
    validators, origin = _validators(spec, fresh=fresh)
    missing = sorted(str(operation_id) for operation_id in ids if operation_id not in validators)
    if missing:
        raise SpecError(file, "/paths", f"no validator for {', '.join(missing)} ({origin})")
    return ServedSpec(spec, validators, origin, validation_errors, echo)


def _validators(spec: Spec, *, fresh: bool) -> tuple[Mapping[str, Validator], str]:
    """The spec's validators: its ``validators/`` module if current, else generated now."""
    if not fresh:
        module = _committed_module(spec)
        if module is not None:
            name = module.__name__.rpartition(".")[2]
            committed = cast(Mapping[str, Validator], module.OPERATIONS)
            if getattr(module, "SHA256", None) == spec.sha256:
                return committed, f"validators/{name}.py"
            try:
                generated = _generate(spec)
            except ImportError as exc:  # a generator without in-memory generation
                logger.warning(
                    "validators/%s.py is stale for %s and cannot be regenerated in "
                    "memory (%s): using it (run: python -m generator)",
                    name,
                    spec.file,
                    exc,
                )
                return committed, f"validators/{name}.py (stale)"
            logger.warning(
                "validators/%s.py is stale for %s: generated in memory (run: python -m generator)",
                name,
                spec.file,
            )
            return generated, "generated in memory"
    return _generate(spec), "generated in memory"


def _committed_module(spec: Spec) -> types.ModuleType | None:
    try:
        package: Any = importlib.import_module("validators")
        name = package.MODULES.get(spec.name)
        return None if name is None else importlib.import_module(f"validators.{name}")
    except (ImportError, AttributeError):
        return None


def _generate(spec: Spec) -> Mapping[str, Validator]:
    from generator.emit.module import generate_module, module_name

    source = generate_module(spec)
    try:
        name = module_name(spec.name)
    except ValueError:
        name = "spec"
    filename = f"<specpact-validators-{name}-{spec.sha256[:12]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType(f"specpact_mock_{name}")
    # The text is generator output: spec strings reach it only as checked literals.
    exec(compile(source, filename, "exec"), module.__dict__)  # noqa: S102
    return cast(Mapping[str, Validator], module.OPERATIONS)


def _check_clashes(specs: Sequence[Spec]) -> None:
    names: dict[str, Spec] = {}
    owners: dict[tuple[str, str], tuple[Spec, str]] = {}
    for spec in specs:
        if spec.name in names:
            raise SpecError(
                str(spec.file),
                "",
                f"another spec is also named {spec.name!r}: {names[spec.name].file}",
            )
        names[spec.name] = spec
        for operation in spec.operations:
            key = route_key(operation.method, operation.path)
            if key in owners:
                other, other_pointer = owners[key]
                raise SpecError(
                    str(spec.file),
                    operation.pointer,
                    f"{key[0]} {operation.path} is also served by {other.file} "
                    f"({other_pointer}); two specs cannot claim the same method and path",
                )
            owners[key] = (spec, operation.pointer)


def operation_key(spec_name: str, operation_id: str) -> str:
    """The operationId the router reports for one operation of one spec."""
    return f"{spec_name}:{operation_id}"


def routing_document(served: Sequence[ServedSpec]) -> dict[str, Any]:
    """One OpenAPI document with every operation, for Connexion's router.

    Path parameters are routed as plain strings (the validators judge their type, so a wrong
    one gets the vendor's error, not a 404); literal paths come before templated ones.
    """
    paths: dict[str, dict[str, Any]] = {}
    for entry in served:
        for operation in entry.spec.operations:
            assert operation.operation_id is not None
            parameters = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in re.findall(r"\{([^}/]*)\}", operation.path)
            ]
            paths.setdefault(operation.path, {})[operation.method] = {
                "operationId": operation_key(entry.name, operation.operation_id),
                "parameters": parameters,
                "responses": {"default": {"description": "answered by the mock"}},
            }
    ordered = dict(sorted(paths.items(), key=lambda item: (item[0].count("{"), item[0])))
    return {
        "openapi": "3.0.3",
        "info": {"title": "specpact mock server", "version": "1"},
        "paths": ordered,
    }
