"""How much each contract test generates, and the Schemathesis schema of each spec.

HTTP tests are slow next to pure ones (generating a body from a schema costs more than
sending it), so the Hypothesis profiles of ``tests/conftest.py`` (100 / 1000 examples) do not
apply here: each budget sets the numbers per test deliberately.

=========  ============================  ======================  ==========================
budget     fuzzing (per operation)       stateful                used
=========  ============================  ======================  ==========================
``dev``    25 cases, shrinking           12 runs x 6 steps       default on a workstation
``ci``     60 cases, shrinking           25 runs x 8 steps       ``CI`` / ``HYPOTHESIS_PROFILE=ci``
``smoke``  8 cases, no shrinking         6 runs x 6 steps        the self-test's inner runs
=========  ============================  ======================  ==========================

The examples and coverage phases run in full in every budget (their cases are fixed, not
drawn). Every run has a seed: fixed (0) in ``ci`` and ``smoke``, random in ``dev``; it is
printed, and ``--contract-seed`` replays it.
"""

from __future__ import annotations

import functools
import os
import random
from dataclasses import dataclass, replace
from typing import Any

import schemathesis

from tests.conftest import SPECS

__all__ = ["BUDGETS", "Budget", "budget", "configure", "schema"]


@dataclass(frozen=True)
class Budget:
    name: str
    max_examples: int
    shrink: bool
    stateful_runs: int
    stateful_steps: int
    seed: int | None = None
    database: bool = True
    sanitize: bool = False
    """Hide credentials (``Authorization``, ...) in reports: on when ``--header`` adds some;
    off otherwise, so a reproduction replays the very request."""

    def with_seed(self, seed: int | None) -> Budget:
        if seed is None:
            seed = 0 if self.name != "dev" else random.getrandbits(32)
        return replace(self, seed=seed)


BUDGETS = {
    "dev": Budget("dev", max_examples=25, shrink=True, stateful_runs=12, stateful_steps=6),
    "ci": Budget("ci", max_examples=60, shrink=True, stateful_runs=25, stateful_steps=8),
    "smoke": Budget(
        "smoke", max_examples=8, shrink=False, stateful_runs=6, stateful_steps=6, database=False
    ),
}

_CURRENT: list[Budget] = []


def default_budget_name() -> str:
    profile = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    return "ci" if profile == "ci" else "dev"


def configure(name: str | None, seed: int | None, *, sanitize: bool = False) -> Budget:
    """Fix the budget and seed of this run (before any schema is built)."""
    chosen = replace(BUDGETS[name or default_budget_name()].with_seed(seed), sanitize=sanitize)
    _CURRENT[:] = [chosen]
    schema.cache_clear()
    return chosen


def budget() -> Budget:
    if not _CURRENT:
        configure(None, None)
    return _CURRENT[0]


def _config(chosen: Budget) -> schemathesis.Config:
    generation: dict[str, Any] = {
        "mode": "all",
        "max-examples": chosen.max_examples,
        "no-shrink": not chosen.shrink,
        "deterministic": False,
    }
    if not chosen.database:
        generation["database"] = "none"
    return schemathesis.Config.from_dict(
        {
            "seed": chosen.seed,
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
            "output": {"sanitization": {"enabled": chosen.sanitize}},
            "generation": generation,
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True, "unexpected-methods": []},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": chosen.stateful_steps},
            },
        }
    )


@functools.cache
def schema(name: str) -> Any:
    """The Schemathesis schema of ``specs/<name>.yaml`` under the current budget."""
    return schemathesis.openapi.from_path(SPECS / f"{name}.yaml", config=_config(budget()))
