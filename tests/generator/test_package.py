"""The generator package's public surface, and what importing it costs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import generator

REPO = Path(__file__).resolve().parents[2]


def test_public_surface() -> None:
    for name in generator.__all__:
        assert getattr(generator, name) is not None, name
    assert generator.load_spec.__module__ == "generator.parse"
    assert generator.lint_paths.__module__ == "generator.lint"


def test_importing_the_package_loads_no_third_party_module() -> None:
    code = (
        "import sys, generator, generator.errors\n"
        "heavy = {'yaml', 'jsonschema', 'celpy', 'openapi_spec_validator', 'referencing'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
