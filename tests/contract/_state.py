"""The suite's own reading of ``x-state``: the records a target accepted, and what must follow.

`StateModel.observe` is shown every exchange with a target, in order. For a valid request it
first says what the spec's ``x-state`` rule demands given the records seen so far, then
records the effect of the answer:

- ``create``: a value of a ``unique`` field a known record holds must be refused with the
  rule's ``conflict`` answer; otherwise the request must succeed (on a *fresh* target, one the
  suite has seen from its first request, a conflict is then a bug). The new record's id is
  the value of the rule's ``id`` field in the answer.
- ``update``: a known record found by the first ``lookup`` field the request names must be
  updated (or refused with ``conflict`` when an ``immutable`` field differs); no known
  record means ``notFound`` on a fresh target. ``set`` fields are written.
- ``list``: every known record (those named by ``select``, when it is given) is reported,
  nothing else on a fresh target, and each ``set`` field as last written.

Only the rules' text is used: the records are request bodies, as the spec says.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.model import ErrorRef, Operation, StateRule
from tests.contract._contract import Contract
from tests.contract._wire import Answer

__all__ = ["StateModel"]

_UNKNOWN = object()


@dataclass
class _Resource:
    id_field: str | None = None
    set_fields: set[str] = field(default_factory=set)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)


def _given(body: Mapping[str, Any], name: str) -> bool:
    return body.get(name) is not None


def _find_value(node: Any, key: str) -> Any:
    """The first value under ``key`` in ``node`` (depth first), else ``None``."""
    if isinstance(node, dict):
        if key in node:
            return node[key]
        for value in node.values():
            found = _find_value(value, key)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find_value(value, key)
            if found is not None:
                return found
    return None


def _lists(node: Any) -> Iterator[list[Any]]:
    if isinstance(node, list):
        yield node
        for value in node:
            yield from _lists(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _lists(value)


class StateModel:
    """What a target's records must be, from the exchanges seen so far."""

    def __init__(self, *, fresh: bool) -> None:
        self.fresh = fresh
        self._resources: dict[tuple[str, str], _Resource] = {}

    def resource(self, contract: Contract, rule: StateRule) -> _Resource:
        key = (contract.name, rule.resource)
        found = self._resources.get(key)
        if found is None:
            found = self._resources[key] = _Resource()
            for operation in contract.spec.operations:
                other = operation.state
                if other is None or other.resource != rule.resource:
                    continue
                if other.action == "create" and other.id:
                    found.id_field = other.id
                found.set_fields.update(other.set)
        return found

    def records(self, contract: Contract, rule: StateRule) -> dict[str, dict[str, Any]]:
        """The known records of ``rule``'s resource, by id (insertion order)."""
        return self.resource(contract, rule).records

    def observe(
        self, contract: Contract, operation: Operation, body: Any, answer: Answer, *, valid: bool
    ) -> list[str]:
        """Problems of ``answer`` against the rule (for a valid request); records its effect."""
        rule = operation.state
        if rule is None or not answer.is_json:
            return []
        request = body if isinstance(body, dict) else {}
        error = contract.is_error(answer.body) or not 200 <= answer.status < 300
        if not valid:
            if not error:  # accepted although invalid: follow it, so later checks stay sound
                self._apply(contract, rule, request, answer)
            return []
        if rule.action == "create":
            problems = self._create(contract, operation, rule, request, answer, error)
        elif rule.action == "update":
            problems = self._update(contract, operation, rule, request, answer, error)
        else:
            problems = [] if error else self._list(contract, rule, request, answer)
        if not error:
            self._apply(contract, rule, request, answer)
        return problems

    def _is(
        self, contract: Contract, operation: Operation, ref: ErrorRef | None, answer: Answer
    ) -> bool:
        if ref is None or str(answer.status) != ref.status:
            return False
        documented = contract.example(operation, ref.status, ref.example)
        return bool(contract.error_code(answer.body) == contract.error_code(documented))

    def _create(
        self,
        contract: Contract,
        operation: Operation,
        rule: StateRule,
        request: dict[str, Any],
        answer: Answer,
        error: bool,
    ) -> list[str]:
        clash = self._clash(contract, rule, request)
        if error:
            if (
                self._is(contract, operation, rule.conflict, answer)
                and clash is None
                and self.fresh
            ):
                return [
                    f"{operation.operation_id} answered conflict, but no record holds any of "
                    f"{list(rule.unique)} of this request"
                ]
            return []
        if clash is not None:
            name, value, key = clash
            return [
                f"{operation.operation_id} accepted {name} {value!r}, which record {key} holds "
                f"already: x-state declares {name} unique (expected the conflict answer "
                f"{rule.conflict.status if rule.conflict else ''})"
            ]
        return []

    def _clash(
        self, contract: Contract, rule: StateRule, request: dict[str, Any]
    ) -> tuple[str, Any, str] | None:
        records = self.records(contract, rule)
        for name in rule.unique:
            if _given(request, name):
                for key, record in records.items():
                    if record.get(name) == request[name]:
                        return name, request[name], key
        return None

    def _matches(self, contract: Contract, rule: StateRule, request: dict[str, Any]) -> list[str]:
        given = [name for name in rule.lookup if _given(request, name)]
        if not given:
            return []
        name = given[0]
        records = self.records(contract, rule)
        return [key for key, record in records.items() if record.get(name) == request[name]]

    def _update(
        self,
        contract: Contract,
        operation: Operation,
        rule: StateRule,
        request: dict[str, Any],
        answer: Answer,
        error: bool,
    ) -> list[str]:
        matches = self._matches(contract, rule, request)
        records = self.records(contract, rule)
        changed = [
            name
            for name in rule.immutable
            if matches
            and _given(request, name)
            and all(name in records[key] and records[key][name] != request[name] for key in matches)
        ]
        label = operation.operation_id
        if error:
            if self._is(contract, operation, rule.not_found, answer) and matches:
                return [
                    f"{label} answered notFound for record {matches[0]}, which the target "
                    "created earlier in this run"
                ]
            if self._is(contract, operation, rule.conflict, answer) and matches and not changed:
                return [
                    f"{label} answered conflict, but no immutable field "
                    f"{list(rule.immutable)} differs from record {matches[0]}"
                ]
            return []
        if changed:
            return [
                f"{label} accepted a new value of immutable {changed} for record "
                f"{matches[0]} (expected the conflict answer)"
            ]
        if not matches and self.fresh:
            names = [name for name in rule.lookup if _given(request, name)]
            return [
                f"{label} succeeded, but no record created in this run has "
                f"{names[0] if names else ' or '.join(rule.lookup)} "
                f"{request.get(names[0]) if names else ''!r} (expected notFound)"
            ]
        return []

    def _list(
        self, contract: Contract, rule: StateRule, request: dict[str, Any], answer: Answer
    ) -> list[str]:
        resource = self.resource(contract, rule)
        id_field = resource.id_field
        if id_field is None:
            return []
        reported = next(
            (
                items
                for items in _lists(answer.body)
                if all(isinstance(item, dict) and id_field in item for item in items)
            ),
            None,
        )
        if reported is None:
            return [f"the answer holds no list of records with {id_field}"]
        wanted: list[Any] | None = None
        if rule.select:
            selected = request.get(rule.select)
            wanted = selected if isinstance(selected, list) else []
        ids = [item[id_field] for item in reported]
        problems = []
        expected = [key for key in resource.records if wanted is None or key in wanted]
        missing = [key for key in expected if key not in ids]
        if missing:
            problems.append(f"records created earlier in this run are not reported: {missing[:5]}")
        if wanted is not None:
            extra = [key for key in ids if key not in wanted]
            if extra:
                problems.append(f"records not asked for ({rule.select}) are reported: {extra[:5]}")
        elif self.fresh:
            extra = [key for key in ids if key not in resource.records]
            if extra:
                problems.append(f"records never created in this run are reported: {extra[:5]}")
        for item in reported:
            record = resource.records.get(item[id_field])
            if record is None:
                continue
            for name in sorted(resource.set_fields):
                known = record.get(name, _UNKNOWN)
                if known is not _UNKNOWN and item.get(name) != known:
                    problems.append(
                        f"record {item[id_field]}: {name} is {item.get(name)!r}, the last "
                        f"x-state write made it {known!r}"
                    )
        return problems

    def _apply(
        self, contract: Contract, rule: StateRule, request: dict[str, Any], answer: Answer
    ) -> None:
        resource = self.resource(contract, rule)
        if rule.action == "create":
            key = _find_value(answer.body, rule.id) if rule.id else None
            if isinstance(key, str):
                record = dict(request)
                record[rule.id or "id"] = key
                record.update(rule.set)
                resource.records[key] = record
        elif rule.action == "update":
            matches = self._matches(contract, rule, request)
            for key in matches:
                record = resource.records[key]
                if len(matches) == 1:
                    record.update({k: v for k, v in request.items() if k not in rule.lookup})
                    record.update(rule.set)
                else:  # which one changed is the target's choice: forget what it wrote
                    for name in rule.set:
                        record.pop(name, None)
