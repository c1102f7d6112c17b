"""Loads the contract suite's plugin (`tests.contract.plugin`), unless the root conftest has."""

from tests.contract import plugin

if not plugin.registered():
    from tests.contract.plugin import *  # noqa: F403 - its hooks and fixtures
