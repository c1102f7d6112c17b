"""The examples in the mock server's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mockserver

MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(mockserver.__path__, "mockserver.")
    if info.name != "mockserver.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_the_modules_with_examples_are_found() -> None:
    attempted = {name: doctest.testmod(importlib.import_module(name)).attempted for name in MODULES}
    assert attempted["mockserver.declared"] > 0
    assert attempted["mockserver.echo"] > 0
