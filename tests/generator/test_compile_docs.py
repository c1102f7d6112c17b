"""The examples in the compiler's docstrings are run, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "generator.runtime.schema",
    "generator.compiler",
    "generator.emit.writer",
    "generator.emit.patterns",
    "generator.emit.refs",
    "generator.emit.builder",
    "generator.emit.options",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_keyword_emitter_shows_an_example_schema() -> None:
    from generator.emit.keywords import KEYWORDS
    from generator.emit.openapi30 import OpenAPI30

    for keyword in OpenAPI30(None).keywords():
        assert keyword in KEYWORDS or keyword.name in {
            "nullable",
            "readOnly",
            "writeOnly",
            "discriminator",
        }
        assert keyword.emit.__doc__
        assert "{" in keyword.emit.__doc__, keyword.name
