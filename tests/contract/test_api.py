"""Property tests of every operation of every spec: examples, coverage and fuzzing phases.

One test per operation (``test_operation[<spec>][<METHOD path>][<target>]``): Schemathesis
sends the documented examples, its coverage cases (boundaries, missing and wrong values) and
fuzzed cases, positive and negative; every answer must pass the applicable Schemathesis
checks and the contract's own (`tests.contract._checks`). Cases are made consistent with the
time and state rules just before they are sent (`tests.contract._repair`).
"""

from __future__ import annotations

from typing import Any

import schemathesis

from tests.contract._budget import schema
from tests.contract._checks import all_checks
from tests.contract._contract import SPEC_NAMES
from tests.contract._target import Target, activate

SCHEMAS = {name: schema(name) for name in SPEC_NAMES}


@schemathesis.pytest.parametrize(**SCHEMAS)
def test_operation(case: Any, target: Target, min_success: float) -> None:
    with activate(target):
        case.call_and_validate(checks=all_checks(), **target.call_kwargs())
