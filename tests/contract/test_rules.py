"""Every ``x-rules`` rule, broken alone, gets the vendor's error; the documented request,
made current, gets a success.

The requests are the documents' own (the examples named ``documented``), moved to the current
clock by the same repairs the generated cases get (`tests.contract._repair`), then broken one
rule at a time (`RULE_BREAKS`). Fuzzing breaks rules too, but only by chance; these cases are
fixed, so a rule an implementation does not enforce is always found.
"""

from __future__ import annotations

import pytest

from tests.contract._calls import documented_request, send
from tests.contract._contract import SPEC_NAMES, contract
from tests.contract._repair import RULE_BREAKS, breaking
from tests.contract._target import Target

OPERATIONS = [
    (name, operation.operation_id)
    for name in SPEC_NAMES
    for operation in contract(name).spec.operations
]
BREAKS = [
    pytest.param(
        spec,
        operation_id,
        variant,
        drop,
        id=f"{spec}-{operation_id}-{variant}" + "".join(f"-without-{name}" for name in drop),
    )
    for (spec, operation_id), breaks in RULE_BREAKS.items()
    for variant, drop in breaks
]


@pytest.mark.parametrize(("spec", "operation_id"), OPERATIONS)
def test_documented_request_succeeds(target: Target, spec: str, operation_id: str) -> None:
    found = send(target, spec, operation_id, **documented_request(spec, operation_id))
    assert found.verdict.valid, found.verdict.reasons
    assert found.success, found.summary()


@pytest.mark.parametrize(("spec", "operation_id", "variant", "drop"), BREAKS)
def test_rule_broken_alone_is_refused(
    target: Target, spec: str, operation_id: str, variant: str, drop: tuple[str, ...]
) -> None:
    request = documented_request(spec, operation_id)
    for name in drop:
        for place in ("body", "query"):
            if isinstance(request.get(place), dict):
                request[place].pop(name, None)
    with breaking(variant) as applied:
        found = send(target, spec, operation_id, **request)
    assert applied == [variant], f"{variant} does not apply to this request"
    assert found.verdict.invalid, found.verdict.reasons
    assert len(found.verdict.reasons) == 1, found.verdict.reasons
    assert found.error, found.summary()
