"""The reference evaluator of ``x-rules``: CEL through the ``cel-python`` package.

This is the slow, obviously-correct interpreter the linter uses to check that every rule parses
and holds on the documented examples; it is also the reference the generated validators are
compared with. A rule sees ``self`` (the instance of the schema carrying the rule, or, on an
operation, ``{path, query, header, cookie, body}``) and ``now`` (Unix seconds).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import celpy
from celpy.adapter import json_to_cel

from generator.errors import RuleError
from generator.model import Rule
from generator.resolver import join_pointer

__all__ = ["RuleFailure", "check_rules", "compile_rule", "iter_schema_rules"]

# cel-python logs every evaluation at DEBUG/INFO; keep our users' logs readable.
logging.getLogger("celpy").setLevel(logging.WARNING)
logging.getLogger("Evaluator").setLevel(logging.WARNING)
logging.getLogger("NameContainer").setLevel(logging.WARNING)

_ENVIRONMENT = celpy.Environment()
_PROGRAMS: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """A rule that does not hold (or cannot be evaluated) on an instance."""

    rule: Rule
    instance_pointer: str
    reason: str


def compile_rule(rule: Rule, file: str) -> Any:
    """Parse a rule's CEL once; a syntax error is a ``RuleError`` naming the rule's pointer."""
    program = _PROGRAMS.get(rule.rule)
    if program is None:
        try:
            program = _ENVIRONMENT.program(_ENVIRONMENT.compile(rule.rule))
        except Exception as exc:  # cel-python raises its own parse errors, untyped
            raise RuleError(file, join_pointer(rule.pointer, "rule"), f"CEL: {exc}") from exc
        _PROGRAMS[rule.rule] = program
    return program


def check_rules(
    rules: tuple[Rule, ...], instance: Any, *, now: int, file: str, pointer: str = ""
) -> list[RuleFailure]:
    """Evaluate ``rules`` with ``self = instance``; return the ones that do not hold.

    >>> from generator.model import Rule
    >>> rule = Rule("self.a < self.b", "a before b", "/a", "")
    >>> [f.reason for f in check_rules((rule,), {"a": 2, "b": 1}, now=0, file="-")]
    ['a before b']
    """
    failures = []
    activation = {"self": json_to_cel(instance), "now": celpy.celtypes.IntType(now)}
    for rule in rules:
        program = compile_rule(rule, file)
        where = pointer + rule.path
        try:
            result = program.evaluate(activation)
        except Exception as exc:  # an evaluation error means the rule cannot hold
            failures.append(RuleFailure(rule, where, f"{rule.message} (cannot evaluate: {exc})"))
            continue
        if isinstance(result, Exception):
            failures.append(RuleFailure(rule, where, f"{rule.message} (cannot evaluate: {result})"))
        elif result is not True and not (isinstance(result, celpy.celtypes.BoolType) and result):
            failures.append(RuleFailure(rule, where, rule.message))
    return failures


Deref = Callable[[Mapping[str, Any], str], tuple[Mapping[str, Any], str]]
BranchCheck = Callable[[str, Any], bool]


def iter_schema_rules(
    schema: Mapping[str, Any] | None,
    instance: Any,
    *,
    schema_pointer: str,
    deref: Deref,
    branch_valid: BranchCheck,
    file: str,
    pointer: str = "",
    _depth: int = 0,
) -> Iterator[tuple[tuple[Rule, ...], Any, str]]:
    """Yield ``(rules, sub-instance, instance pointer)`` for every ``x-rules`` that applies.

    Follows ``$ref`` (through ``deref``, which returns the target and its pointer), ``allOf``,
    ``properties``, ``additionalProperties``, ``items``, and the ``anyOf``/``oneOf`` branches the
    instance is valid against (``branch_valid`` receives the branch's schema pointer).
    """
    if not isinstance(schema, Mapping) or _depth > 64:
        return
    schema, schema_pointer = deref(schema, schema_pointer)
    own = schema.get("x-rules")
    if own is not None:
        from generator.parse import parse_rules

        yield parse_rules(own, file, join_pointer(schema_pointer, "x-rules")), instance, pointer

    def walk(
        sub: Any, value: Any, where: str, *tokens: str | int
    ) -> Iterator[tuple[tuple[Rule, ...], Any, str]]:
        return iter_schema_rules(
            sub, value, schema_pointer=join_pointer(schema_pointer, *tokens), deref=deref,
            branch_valid=branch_valid, file=file, pointer=where, _depth=_depth + 1,
        )  # fmt: skip

    for index, sub in enumerate(schema.get("allOf", [])):
        yield from walk(sub, instance, pointer, "allOf", index)
    for key in ("anyOf", "oneOf"):
        for index, sub in enumerate(schema.get(key, [])):
            if branch_valid(join_pointer(schema_pointer, key, index), instance):
                yield from walk(sub, instance, pointer, key, index)
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, value in instance.items():
            if name in properties:
                yield from walk(
                    properties[name], value, join_pointer(pointer, name), "properties", name
                )
            elif isinstance(extra, Mapping):
                yield from walk(extra, value, join_pointer(pointer, name), "additionalProperties")
    if isinstance(instance, list) and isinstance(schema.get("items"), Mapping):
        for index, value in enumerate(instance):
            yield from walk(schema["items"], value, join_pointer(pointer, index), "items")
