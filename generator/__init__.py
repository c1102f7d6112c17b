"""specpact's generator: load, resolve and model the specs; lint them; emit validators.

Public surface::

    from generator import load_spec, lint_paths, Finding, SpecError

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
    from generator.lint import Finding, lint_paths, lint_spec
    from generator.parse import load_spec

__all__ = [
    "Finding",
    "GenerationError",
    "RefResolutionError",
    "RuleError",
    "SpecError",
    "SpecLoadError",
    "SpecpactError",
    "lint_paths",
    "lint_spec",
    "load_spec",
]

__version__ = "0.1.0"

_LAZY = {
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
