"""specpact's generator: load, resolve and model the specs; lint them; (next) emit validators.

Public surface::

    from generator import load_spec, lint_paths, Finding, SpecError
"""

from __future__ import annotations

from generator.errors import (
    GenerationError,
    RefResolutionError,
    RuleError,
    SpecError,
    SpecLoadError,
    SpecpactError,
)
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
