"""specpact's generator: load, resolve and model the specs; lint them; emit validators.

Public surface::

    from generator import compile_schema, generate, load_spec, lint_paths, SpecError

* `compile_schema(schema) -> Validator`: one OpenAPI 3.0 Schema Object, compiled in memory
  through the same code path as the files (``Validator.errors``, ``Validator.is_valid``).
* `generate(spec_path) -> str`: the source of a spec's validator module.

The heavy parts (YAML, the reference validators, CEL) are imported lazily, on first use of the
name that needs them: generated validator modules import ``generator.runtime``, and that must
work with nothing but the standard library installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from generator.errors import (
    GenerationError,
    RefResolutionError,
    RuleError,
    SpecError,
    SpecLoadError,
    SpecpactError,
)

if TYPE_CHECKING:
    from generator.compiler import CompileOptions, Validator, compile_schema
    from generator.lint import Finding, lint_paths, lint_spec
    from generator.parse import load_spec
    from generator.regenerate import generate

__all__ = [
    "CompileOptions",
    "Finding",
    "GenerationError",
    "RefResolutionError",
    "RuleError",
    "SpecError",
    "SpecLoadError",
    "SpecpactError",
    "Validator",
    "compile_schema",
    "generate",
    "lint_paths",
    "lint_spec",
    "load_spec",
]

__version__ = "0.1.0"

_LAZY = {
    "CompileOptions": "generator.compiler",
    "Validator": "generator.compiler",
    "compile_schema": "generator.compiler",
    "generate": "generator.regenerate",
    "Finding": "generator.lint",
    "lint_paths": "generator.lint",
    "lint_spec": "generator.lint",
    "load_spec": "generator.parse",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'generator' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
