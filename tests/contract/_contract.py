"""`Contract`: what the suite knows about one spec - its model, validators and x-state rules.

The model comes from `generator.parse.load_spec`; the validators from ``validators/`` when the
module was generated from this very spec text (same sha256), otherwise generated in memory
(``origin`` says which), so the suite always judges against the spec as it is on disk.
"""

from __future__ import annotations

import functools
import linecache
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model import Operation, Spec
from generator.parse import load_spec
from generator.runtime import Operation as Validator
from tests.conftest import SPECS

__all__ = ["SPEC_NAMES", "Contract", "contract", "contracts"]

SPEC_NAMES = tuple(sorted(path.stem for path in SPECS.glob("*.yaml")))


@dataclass(frozen=True, eq=False)
class Contract:
    """One spec as the contract suite sees it."""

    spec: Spec
    validators: Mapping[str, Validator]
    origin: str
    _routes: dict[tuple[str, str], Operation] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for operation in self.spec.operations:
            self._routes[(operation.method.lower(), operation.path)] = operation

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def path(self) -> Path:
        return self.spec.file

    def route(self, method: str, path: str) -> Operation | None:
        """The operation declared at ``method`` and path template ``path``."""
        return self._routes.get((method.lower(), path))

    def operation(self, operation_id: str) -> Operation:
        return self.spec.operation(operation_id)

    def validator(self, operation: Operation) -> Validator:
        assert operation.operation_id is not None
        return self.validators[operation.operation_id]

    def is_error(self, body: Any) -> bool:
        """True when ``body`` is an error answer in the vendor's envelope."""
        envelope = self.spec.error_envelope
        return envelope is not None and envelope.is_error(body)

    def error_code(self, body: Any) -> Any:
        """The vendor's error code of ``body`` (``None`` when it carries none)."""
        from generator.resolver import resolve_pointer

        envelope = self.spec.error_envelope
        if envelope is None:
            return None
        try:
            return resolve_pointer(body, envelope.code)
        except (KeyError, TypeError):
            return None

    def example(self, operation: Operation, status: str, name: str) -> Any:
        """The value of the response example ``name`` documented under ``status``."""
        for response in operation.responses:
            if response.status == status:
                for media in response.content:
                    for example in media.examples:
                        if example.name == name:
                            return example.value
        raise KeyError(f"{operation.operation_id}: no example {name!r} under {status}")


@functools.cache
def contract(name: str) -> Contract:
    """The contract of ``specs/<name>.yaml`` (loaded once per process)."""
    spec = load_spec(SPECS / f"{name}.yaml")
    validators, origin = _validators(spec)
    return Contract(spec, validators, origin)


def contracts(names: tuple[str, ...] = SPEC_NAMES) -> dict[str, Contract]:
    return {name: contract(name) for name in names}


def _validators(spec: Spec) -> tuple[Mapping[str, Validator], str]:
    import validators

    try:
        module: Any = validators.load(spec.name)
    except (KeyError, ImportError):
        module = None
    if module is not None and getattr(module, "SHA256", None) == spec.sha256:
        return module.OPERATIONS, f"validators/{module.__name__.rpartition('.')[2]}.py"
    from generator import generate

    source = generate(spec.file)
    filename = f"<contract-validators-{spec.name}-{spec.sha256[:12]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    generated = types.ModuleType(f"contract_validators_{spec.name.replace('-', '_')}")
    # Generator output: spec strings reach it only as checked literals.
    exec(compile(source, filename, "exec"), generated.__dict__)
    return generated.OPERATIONS, "generated in memory (validators/ is stale)"
