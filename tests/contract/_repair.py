"""Valid data must reach success: make generated cases consistent with the time and state rules.

Schemathesis knows the schemas but not the ``x-rules`` nor ``x-state``: a generated Tencent
``EndTime`` is almost never within 7 days from now, an IVC interval almost never within one
China Standard Time day, and a generated VCS ``taskId`` names no task. A Schemathesis
``before_call`` hook (`repair`) rewrites each case just before it is sent, with the clock of
that moment:

- time fields that are valid by their schema are moved so that every rule holds - derived
  from the generated values, so the variety stays - or, for one positive case in five, so that
  exactly one rule is broken (the suite must then see the vendor's error);
- state fields name records the target has (a known ``taskId``, the record's unchangeable
  ``name``), and a ``unique`` field holds a value no record has yet.

A field that is invalid by its schema is never touched, so a negative case stays negative.
The choice among the variants is a hash of the generated values: the same case is repaired
the same way when Hypothesis replays it.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

import schemathesis
from schemathesis import GenerationMode
from schemathesis.generation.meta import TestPhase

from generator.model import Operation
from tests.contract._contract import SPEC_NAMES, Contract, contract
from tests.contract._target import Target, active
from tests.contract._times import ivc_times, jd_times, tencent_times

__all__ = ["RULE_BREAKS", "breaking", "contract_of", "paused", "repair"]

_TASK_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9_-]{1,32}")

Repair = Callable[["Context"], None]


class Context:
    """One case being repaired: its containers, the clock, the variant and the target."""

    def __init__(
        self, case: Any, contract: Contract, operation: Operation, target: Target, now: int
    ) -> None:
        self.case = case
        self.contract = contract
        self.operation = operation
        self.target = target
        self.now = now
        meta = case.meta
        self.explicit = meta is None
        self.positive = meta is None or meta.generation.mode == GenerationMode.POSITIVE
        self.stateful = meta is not None and meta.phase.name == TestPhase.STATEFUL
        seen = json.dumps(
            [_plain(case.body), case.query, case.path_parameters], sort_keys=True, default=repr
        )
        self.choice = zlib.crc32(seen.encode())

    def variant(self, breaks: list[str]) -> str:
        """``valid``, or (one generated positive case in five, never in stateful runs) a rule
        to break; inside `breaking`, the rule it names, when this operation has it."""
        if _FORCED:
            forced, applied = _FORCED[-1]
            if forced in breaks:
                applied.append(forced)
                return forced
            return "valid"
        if not breaks or self.explicit or not self.positive or self.stateful or self.choice % 5:
            return "valid"
        return breaks[(self.choice // 5) % len(breaks)]

    def number(self, salt: int) -> int:
        return zlib.crc32(f"{self.choice}/{salt}".encode())


def _plain(body: Any) -> Any:
    return (
        body
        if isinstance(body, dict | list | str | int | float | bool | type(None))
        else repr(body)
    )


def contract_of(case: Any) -> tuple[Contract, Operation] | None:
    """The contract and declared operation of a case (``None``: not ours, or another method)."""
    location = case.operation.schema.location or ""
    name = unquote(urlsplit(location).path).rpartition("/")[2].rpartition(".")[0]
    if name not in SPEC_NAMES:
        return None
    found = contract(name)
    operation = found.route(case.operation.method, case.operation.path)
    if operation is None or case.method.lower() != operation.method:
        return None
    return found, operation


# -- state rules --------------------------------------------------------------------------


def _unique(ctx: Context) -> None:
    """A ``unique`` field of a create gets a value no known record holds (a fresh target keeps
    generated values that are new to it)."""
    rule = ctx.operation.state
    body = ctx.case.body
    if rule is None or not isinstance(body, dict):
        return
    records = ctx.target.state.records(ctx.contract, rule).values()
    for name in rule.unique:
        value = body.get(name)
        if not isinstance(value, str) or not _TASK_NAME.fullmatch(value):
            continue
        taken = {record.get(name) for record in records}
        if value in taken or not ctx.target.fresh:
            body[name] = _fresh_name(value, ctx.target)


_COUNTER = [0]


def _fresh_name(value: str, target: Target) -> str:
    _COUNTER[0] += 1
    token = f"_{target.run_token}{_COUNTER[0]:x}"
    return value[: 32 - len(token)] + token


def _lookup(ctx: Context) -> None:
    """An update names a known record (kept when it does), with the record's unchangeable
    values; only positive and stateful cases, whose fields are valid."""
    rule = ctx.operation.state
    body = ctx.case.body
    if rule is None or not isinstance(body, dict) or not (ctx.positive or ctx.stateful):
        return
    records = ctx.target.state.records(ctx.contract, rule)
    if not records:
        return
    given = [name for name in rule.lookup if body.get(name) is not None]
    record = None
    if given and isinstance(body[given[0]], str):
        name = given[0]
        record = next((r for r in records.values() if r.get(name) == body[name]), None)
        if record is None:
            record = list(records.values())[ctx.choice % len(records)]
            body[name] = record.get(name, body[name])
    if record is not None:
        for name in rule.immutable:
            if name in body and name in record:
                body[name] = record[name]


def _select(ctx: Context) -> None:
    """Half of the positive list requests also ask for a known record."""
    rule = ctx.operation.state
    body = ctx.case.body
    if rule is None or not rule.select or not isinstance(body, dict) or not ctx.positive:
        return
    wanted = body.get(rule.select)
    records = ctx.target.state.records(ctx.contract, rule)
    if isinstance(wanted, list) and records and ctx.choice % 2:
        known = list(records)[ctx.choice % len(records)]
        if known not in wanted:
            wanted.append(known)


def _body(fix: Callable[[dict[str, Any], Context], None]) -> Repair:
    def repair_body(ctx: Context) -> None:
        if isinstance(ctx.case.body, dict):
            fix(ctx.case.body, ctx)

    return repair_body


def _query(fix: Callable[[dict[str, Any], Context], None]) -> Repair:
    def repair_query(ctx: Context) -> None:
        query = ctx.case.query
        if isinstance(query, dict):
            fix(query, ctx)

    return repair_query


REPAIRS: dict[tuple[str, str], tuple[Repair, ...]] = {
    ("tencent-ivc", "createRetrieveTask"): (_body(ivc_times), _unique),
    ("tencent-live", "createRecordTask"): (_body(tencent_times),),
    ("tencent-live", "createRecordTaskByQuery"): (_query(tencent_times),),
    ("jdcloud-live", "addLiveRecordTask"): (jd_times,),
    ("vcs-compute", "modifyComputeTask"): (_lookup,),
    ("vcs-compute", "startComputeTask"): (_lookup,),
    ("vcs-compute", "stopComputeTask"): (_lookup,),
    ("vcs-compute", "getComputeTasks"): (_select,),
}
"""What each operation needs; every x-rules and x-state rule of the specs is covered."""

RULE_BREAKS: dict[tuple[str, str], tuple[tuple[str, tuple[str, ...]], ...]] = {
    ("tencent-ivc", "createRetrieveTask"): (("order", ()), ("day", ())),
    ("tencent-live", "createRecordTask"): (
        ("order", ()),
        ("future", ()),
        ("week", ()),
        ("span", ()),
        ("future", ("StartTime",)),
        ("span", ("StartTime",)),
    ),
    ("tencent-live", "createRecordTaskByQuery"): (
        ("order", ()),
        ("future", ()),
        ("week", ()),
        ("span", ()),
        ("future", ("StartTime",)),
        ("span", ("StartTime",)),
    ),
    ("jdcloud-live", "addLiveRecordTask"): (
        ("order", ()),
        ("short", ()),
        ("long", ()),
        ("path", ()),
    ),
}
"""Each x-rules rule, broken alone: (variant, fields dropped from the documented request first).
``span`` without StartTime breaks "EndTime at most 24 h from now"."""


_ENCODED_SLASH = re.compile("%2[Ff]")


def _path_segments(case: Any) -> None:
    """No encoded ``/`` inside a path parameter: servers disagree on it (most decode it before
    routing, so it splits the segment) and the documents say nothing of it."""
    parameters = case.path_parameters
    if isinstance(parameters, dict):
        for name, value in parameters.items():
            if isinstance(value, str):
                parameters[name] = _ENCODED_SLASH.sub("_", value)


def repair(case: Any, target: Target) -> None:
    """Rewrite ``case`` in place for ``target`` (see the module docstring)."""
    found = contract_of(case)
    if found is None:
        return
    contract, operation = found
    _path_segments(case)
    repairs = REPAIRS.get((contract.name, operation.operation_id or ""), ())
    if not repairs:
        return
    ctx = Context(case, contract, operation, target, int(time.time()))
    for fix in repairs:
        fix(ctx)


_PAUSED: list[bool] = []
_FORCED: list[tuple[str, list[str]]] = []


@contextlib.contextmanager
def breaking(variant: str) -> Iterator[list[str]]:
    """Repair the cases sent in the block so that they break the rule ``variant`` names (see
    `RULE_BREAKS`); the list yielded names it once it was applied."""
    applied: list[str] = []
    _FORCED.append((variant, applied))
    try:
        yield applied
    finally:
        _FORCED.pop()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Send cases as they are (tests that craft their requests themselves)."""
    _PAUSED.append(True)
    try:
        yield
    finally:
        _PAUSED.pop()


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: Any, kwargs: dict[str, Any]) -> None:
    """Repair every case sent while a contract target is active."""
    target = active()
    if target is not None and not _PAUSED:
        repair(case, target)
