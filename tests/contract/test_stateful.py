"""Stateful tests built from the specs' OpenAPI links (Schemathesis state machines).

IVC: createRetrieveTask -> listRetrieveTasks (the list shows the task); VCS: createComputeTask
-> startComputeTask / modifyComputeTask / getComputeTasks, startComputeTask -> getComputeTasks /
stopComputeTask, ... Every step passes every contract check, the ``x-state`` model included,
so a task the list forgets or a status a start did not set fails the run.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from typing import Any

import hypothesis
import hypothesis.core as hypothesis_core
import pytest
from hypothesis import HealthCheck

from tests.contract._budget import budget, schema
from tests.contract._checks import all_checks
from tests.contract._contract import SPEC_NAMES, contract
from tests.contract._target import Target, activate

LINKED = [
    name
    for name in SPEC_NAMES
    if any(response.links for op in contract(name).spec.operations for response in op.responses)
]


@pytest.mark.parametrize("spec", LINKED)
def test_links(target: Target, spec: str) -> None:
    chosen = budget()

    class Links(schema(spec).as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return target.call_kwargs()

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(response, checks=all_checks(), transport_kwargs=kwargs)

    settings = hypothesis.settings(
        max_examples=chosen.stateful_runs,
        stateful_step_count=chosen.stateful_steps,
        deadline=None,
        derandomize=False,
        database=None,
        phases=[hypothesis.Phase.generate] + ([hypothesis.Phase.shrink] if chosen.shrink else []),
        suppress_health_check=list(HealthCheck),
    )
    with activate(target), _seeded(zlib.crc32(f"{chosen.seed}/{spec}".encode())):
        Links.run(settings=settings)


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Run Hypothesis with ``seed`` (the run's contract seed, per spec), as
    ``--hypothesis-seed`` would; a seed given with that option wins."""
    previous = hypothesis_core.global_force_seed
    if previous is None:
        hypothesis_core.global_force_seed = seed
    try:
        yield
    finally:
        hypothesis_core.global_force_seed = previous
