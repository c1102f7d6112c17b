"""Each ``x-state`` rule, exercised on purpose: the cases fuzzing reaches only by luck.

Derived from the rules, no per-API code: a ``unique`` value used twice gets the ``conflict``
answer; an update naming no record gets ``notFound``; a changed ``immutable`` field gets
``conflict``; a created (and updated) record is reported by the resource's list with the
fields the rules wrote. Requests start from the documented examples; every answer also passes
every contract check (`tests.contract._calls.send`).
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.model import ErrorRef, Operation, StateRule
from tests.contract._calls import documented_body, send
from tests.contract._checks import Exchange
from tests.contract._contract import SPEC_NAMES, Contract, contract
from tests.contract._target import Target


def _operations(action: str, *, needs: str = "") -> list[tuple[str, str]]:
    found = []
    for name in SPEC_NAMES:
        for operation in contract(name).spec.operations:
            rule = operation.state
            if rule is not None and rule.action == action and (not needs or getattr(rule, needs)):
                assert operation.operation_id is not None
                found.append((name, operation.operation_id))
    return found


def _creator(found: Contract, rule: StateRule) -> Operation:
    return next(
        op
        for op in found.spec.operations
        if op.state is not None
        and op.state.action == "create"
        and op.state.resource == rule.resource
    )


def _lister(found: Contract, rule: StateRule) -> Operation | None:
    return next(
        (
            op
            for op in found.spec.operations
            if op.state is not None
            and op.state.action == "list"
            and op.state.resource == rule.resource
        ),
        None,
    )


def _is(found: Exchange, ref: ErrorRef | None) -> bool:
    assert ref is not None
    documented = found.contract.example(found.operation, ref.status, ref.example)
    return (str(found.answer.status), found.contract.error_code(found.answer.body)) == (
        ref.status,
        found.contract.error_code(documented),
    )


def _create(target: Target, spec: str, operation: Operation) -> tuple[str, dict[str, Any]]:
    """A new record: its id and the body that created it."""
    assert operation.operation_id is not None
    assert operation.state is not None
    created = send(
        target, spec, operation.operation_id, body=documented_body(spec, operation.operation_id)
    )
    assert created.success, created.summary()
    records = target.state.records(created.contract, operation.state)
    key = next(reversed(records))
    return key, records[key]


def _update_body(spec: str, operation: Operation, record: dict[str, Any]) -> dict[str, Any]:
    """The documented body of an update, naming ``record`` (and keeping its fixed fields)."""
    rule = operation.state
    assert rule is not None
    assert operation.operation_id is not None
    body = documented_body(spec, operation.operation_id)
    lookup = next(name for name in rule.lookup if name in record)
    body[lookup] = record[lookup]
    for name in rule.immutable:
        if name in record:
            body[name] = record[name]
    return body


@pytest.mark.parametrize(("spec", "operation_id"), _operations("create", needs="unique"))
def test_unique_value_used_twice_is_refused(target: Target, spec: str, operation_id: str) -> None:
    operation = contract(spec).operation(operation_id)
    first = send(target, spec, operation_id, body=documented_body(spec, operation_id))
    assert first.success, first.summary()
    again = send(target, spec, operation_id, body=first.verdict.values["body"], repair=False)
    assert operation.state is not None
    assert _is(again, operation.state.conflict), again.summary()


@pytest.mark.parametrize(("spec", "operation_id"), _operations("update", needs="not_found"))
def test_update_of_no_record_is_not_found(target: Target, spec: str, operation_id: str) -> None:
    operation = contract(spec).operation(operation_id)
    rule = operation.state
    assert rule is not None
    body = documented_body(spec, operation_id)
    body[rule.lookup[0]] = f"contract-no-such-{target.run_token}"
    answer = send(target, spec, operation_id, body=body, repair=False)
    assert _is(answer, rule.not_found), answer.summary()


@pytest.mark.parametrize(("spec", "operation_id"), _operations("update", needs="immutable"))
def test_immutable_field_cannot_change(target: Target, spec: str, operation_id: str) -> None:
    found = contract(spec)
    operation = found.operation(operation_id)
    rule = operation.state
    assert rule is not None
    _, record = _create(target, spec, _creator(found, rule))
    body = _update_body(spec, operation, record)
    changed = next(name for name in rule.immutable if isinstance(body.get(name), str))
    body[changed] += "-changed"
    answer = send(target, spec, operation_id, body=body, repair=False)
    assert _is(answer, rule.conflict), answer.summary()


@pytest.mark.parametrize(("spec", "operation_id"), _operations("create") + _operations("update"))
def test_list_reports_what_the_rules_wrote(target: Target, spec: str, operation_id: str) -> None:
    found = contract(spec)
    operation = found.operation(operation_id)
    rule = operation.state
    assert rule is not None
    lister = _lister(found, rule)
    if lister is None:
        pytest.skip(f"{spec} lists no {rule.resource}")
    key, record = _create(target, spec, _creator(found, rule))
    if rule.action == "update":
        updated = send(
            target, spec, operation_id, body=_update_body(spec, operation, record), repair=False
        )
        assert updated.success, updated.summary()
    assert lister.operation_id is not None
    assert lister.state is not None
    body: Any = None
    if lister.state.select:
        body = documented_body(spec, lister.operation_id)
        body[lister.state.select] = [key]
    listed = (
        send(target, spec, lister.operation_id, body=body)
        if body is not None
        else send(target, spec, lister.operation_id)
    )
    # x_state_rules has checked the listed records against the model; the record is among them
    assert listed.success, listed.summary()
    assert key in repr(listed.answer.body), listed.summary()
