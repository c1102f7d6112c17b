"""Requests the suite crafts itself: seed records, and the x-state tests' exchanges.

They go through the same path as generated cases - a Schemathesis `Case`, the target's
transport, every contract check - so the state model sees them too.
"""

from __future__ import annotations

import contextlib
from typing import Any

from schemathesis.core import NOT_SET

from tests.contract._budget import schema
from tests.contract._checks import Exchange, all_checks, exchange
from tests.contract._contract import contract
from tests.contract._repair import paused
from tests.contract._target import Target, activate

__all__ = ["documented_body", "documented_request", "seed_records", "send"]


def send(
    target: Target,
    spec: str,
    operation_id: str,
    *,
    body: Any = NOT_SET,
    query: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
    path_parameters: dict[str, Any] | None = None,
    repair: bool = True,
    check: bool = True,
) -> Exchange:
    """Send one request to ``target``; with ``check``, every contract check must pass."""
    operation = contract(spec).operation(operation_id)
    api = schema(spec)[operation.path][operation.method.upper()]
    case = api.Case(
        body=body,
        query=query,
        headers=headers,
        path_parameters=path_parameters,
        media_type=None if body is NOT_SET else "application/json",
    )
    with activate(target), contextlib.ExitStack() as stack:
        if not repair:
            stack.enter_context(paused())
        response = case.call(**target.call_kwargs())
        if check:
            case.validate_response(response, checks=all_checks())
        found = exchange(case, response)
    assert found is not None
    return found


def documented_request(spec: str, operation_id: str) -> dict[str, Any]:
    """The document's own request (the examples named ``documented``) as `send` arguments."""
    import copy

    operation = contract(spec).operation(operation_id)
    request: dict[str, Any] = {}
    places = {"query": "query", "header": "headers", "path": "path_parameters"}
    for parameter in operation.parameters:
        example = next((e for e in parameter.examples if e.name == "documented"), None)
        if example is None or parameter.location not in places:
            continue
        value = str(example.value) if parameter.location == "header" else example.value
        request.setdefault(places[parameter.location], {})[parameter.name] = copy.deepcopy(value)
    if operation.request_body is not None:
        request["body"] = documented_body(spec, operation_id)
    return request


def documented_body(spec: str, operation_id: str) -> Any:
    """A copy of the documented request body of an operation."""
    import copy

    operation = contract(spec).operation(operation_id)
    assert operation.request_body is not None
    for media in operation.request_body.content:
        for example in media.examples:
            if example.name == "documented":
                return copy.deepcopy(example.value)
    raise KeyError(f"{operation_id}: no documented request body")


SEEDS = 3
"""Records created per resource before the tests, so updates have something to name."""


def seed_records(target: Target, specs: tuple[str, ...]) -> None:
    """Create `SEEDS` records of every resource an ``update`` operation names.

    Seeding is set-up, not a test: its answers are not judged here (a buggy target must fail
    the tests that judge it, not the set-up of every test that uses it).
    """
    for name in specs:
        found = contract(name)
        updated = {
            op.state.resource
            for op in found.spec.operations
            if op.state is not None and op.state.action == "update"
        }
        for operation in found.spec.operations:
            rule = operation.state
            if rule is None or rule.action != "create" or rule.resource not in updated:
                continue
            assert operation.operation_id is not None
            for index in range(SEEDS):
                body = documented_body(name, operation.operation_id)
                if isinstance(body, dict) and isinstance(body.get("name"), str):
                    body["name"] = f"{body['name']}-seed{index}"
                send(target, name, operation.operation_id, body=body, check=False)
