"""Fixtures of the mock server tests: an app factory, a client, spec copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mockserver import MockApp, Settings, create_app
from tests.conftest import SPECS
from tests.mockserver._support import Client


@pytest.fixture
def make_client() -> Iterator[Callable[..., Client]]:
    """``make_client(**settings)`` -> a `Client` of a fresh app (its store closed afterwards)."""
    apps: list[MockApp] = []

    def make(**changes: Any) -> Client:
        changes.setdefault("quiet", True)
        changes.setdefault("specs_dir", SPECS)
        app = create_app(Settings(**changes))
        apps.append(app)
        return Client(app)

    yield make
    for app in apps:
        app.store.close()


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    return make_client()


@pytest.fixture
def spec_copy(tmp_path: Path) -> Callable[[str], Path]:
    """``spec_copy("tencent-ivc")`` -> a copy of that spec in a temporary ``specs`` directory."""

    def copy(name: str) -> Path:
        target = tmp_path / "specs"
        target.mkdir(exist_ok=True)
        return Path(shutil.copy(SPECS / f"{name}.yaml", target / f"{name}.yaml"))

    return copy
