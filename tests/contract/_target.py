"""`Target`: the implementation under test - an ASGI app in process, or a base URL.

By default the target is the mock server (`mockserver.create_app`), reached in process through
Schemathesis' ASGI transport: no sockets. ``--base-url`` points the same suite at any running
implementation, ``--header NAME:VALUE`` adds headers (auth) to every request. The planted
implementation of the self-test (`tests.contract.planted`) is a target too.

Every exchange with a target goes through its `StateModel`, and the checks find the target of
the running test through `active` (set by the ``target`` fixture for the duration of a test).
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.contract._state import StateModel

__all__ = ["Target", "activate", "active", "in_process", "remote"]


@dataclass
class Target:
    """Where requests go, with what extra headers, and what the suite knows of its records.

    ``fresh``: the suite has seen every request the target ever received (an in-process app
    built for this run), so the state rules can be checked both ways.
    ``skew``: seconds the target's clock may differ from ours (time rules are not judged
    closer than that to their boundary).
    """

    name: str
    app: Any = None
    base_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fresh: bool = True
    skew: int = 1
    timeout: float = 30.0
    run_token: str = field(default_factory=lambda: f"{random.getrandbits(20):x}")
    """Made part of the values the suite must keep unique (``x-state`` ``unique``)."""
    state: StateModel = field(init=False)

    def __post_init__(self) -> None:
        self.state = StateModel(fresh=self.fresh)

    @property
    def in_process(self) -> bool:
        return self.app is not None

    def call_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``Case.call`` / ``Case.call_and_validate`` for this target."""
        kwargs: dict[str, Any] = {}
        if self.headers:
            kwargs["headers"] = dict(self.headers)
        if self.app is not None:
            kwargs["app"] = self.app
        else:
            kwargs["base_url"] = self.base_url
            kwargs["timeout"] = self.timeout
        return kwargs

    def describe(self) -> str:
        where = "in process" if self.in_process else self.base_url
        return f"{self.name} ({where})"


def in_process(name: str, app: Any) -> Target:
    return Target(name, app=app)


def remote(base_url: str, *, skew: int = 2) -> Target:
    return Target("remote", base_url=base_url.rstrip("/"), fresh=False, skew=skew)


_ACTIVE: list[Target] = []


@contextlib.contextmanager
def activate(target: Target) -> Iterator[Target]:
    """Make ``target`` the one the checks and hooks judge, for the ``with`` block."""
    _ACTIVE.append(target)
    try:
        yield target
    finally:
        _ACTIVE.pop()


def active() -> Target | None:
    return _ACTIVE[-1] if _ACTIVE else None
