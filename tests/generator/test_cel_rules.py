"""Every ``x-rules`` entry of the specs, compiled, agrees with cel-python on derived instances.

For each rule the sites come from the spec's documented examples (as the linter finds them:
request bodies through `iter_schema_rules`, and ``{path, query, header, cookie, body}`` for the
operation's own rules); each example is perturbed field by field (numbers and timestamps moved
across the rules' thresholds, fields dropped, swapped or given another type), and the compiled
rule must give cel-python's verdict on every variant. Then the same through the schema compiler
(`compile_schema` and the spec's own schemas): violations, their pointers and messages, the
rule left unevaluated while the node has other violations, and the clock.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator import runtime
from generator.compiler import CompileOptions, compile_schema
from generator.emit import UnitBuilder, render_module
from generator.emit.cel import translate_rule
from generator.emit.celrules import emit_rule_checks
from generator.errors import GenerationError
from generator.model import Rule, Spec
from generator.parse import load_spec
from generator.resolver import Resolver
from generator.rules import check_rules, iter_schema_rules

SPECS = sorted((Path(__file__).resolve().parents[2] / "specs").glob("*.yaml"))
CLOCK = 1_600_000_000
Site = tuple[Rule, Any, int]  # a rule, its ``self``, the clock of the example


@cache
def _spec(path: Path) -> Spec:
    return load_spec(path)


def _schema_sites(spec: Spec) -> Iterator[tuple[tuple[Rule, ...], Any, int]]:
    resolver = Resolver(spec.file, dict(spec.document))

    def deref(schema: Mapping[str, Any], pointer: str) -> tuple[Mapping[str, Any], str]:
        value, where = resolver.deref(schema, spec.file, pointer)
        return value, where

    for operation in spec.operations:
        bodies = operation.request_body.content if operation.request_body else ()
        for media in bodies:
            for example in media.examples:
                sites = iter_schema_rules(
                    media.schema, example.value, schema_pointer=media.schema_pointer,
                    deref=deref, branch_valid=lambda pointer, value: True, file=str(spec.file),
                )  # fmt: skip
                for rules, instance, _ in sites:
                    yield rules, instance, example.now or CLOCK


def _operation_sites(spec: Spec) -> Iterator[tuple[tuple[Rule, ...], Any, int]]:
    for operation in spec.operations:
        if not operation.rules:
            continue
        requests: dict[str, dict[str, Any]] = {}
        clocks: dict[str, int] = {}
        for parameter in operation.parameters:
            for example in parameter.examples:
                location = requests.setdefault(example.name, {}).setdefault(parameter.location, {})
                location[parameter.name] = example.value
                clocks[example.name] = example.now or clocks.get(example.name, CLOCK)
        for media in operation.request_body.content if operation.request_body else ():
            for example in media.examples:
                requests.setdefault(example.name, {})["body"] = example.value
                clocks[example.name] = example.now or clocks.get(example.name, CLOCK)
        for name, request in requests.items():
            instance = {"path": {}, "query": {}, "header": {}, "cookie": {}, **request}
            yield operation.rules, instance, clocks.get(name, CLOCK)


def _sites() -> list[tuple[str, tuple[Rule, ...], Any, int]]:
    found = []
    for path in SPECS:
        spec = _spec(path)
        for rules, instance, now in itertools.chain(_schema_sites(spec), _operation_sites(spec)):
            found.append((path.stem, rules, instance, now))
    return found


SITES = _sites()


def _shifted(text: str) -> Iterator[str]:
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return
    for seconds in (-28801, -28800, -11, -10, -9, -1, 1, 9, 10, 11, 28800, 28801):
        yield (moment + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    yield (moment + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    yield text.replace("T", " ")


def _changes(value: Any, now: int) -> Iterator[Any]:
    if type(value) is int:
        for delta in (-691200, -86401, -86400, -3601, -1, 1, 3599, 86399, 86400, 604800):
            yield value + delta
        yield from (now, now - 1, now + 86400, now + 86401, now + 604799, now + 604800, 0)
        yield from (str(value), float(value), True)
    elif type(value) is str:
        yield from _shifted(value)
        yield from (value + "x", "", 5, None)
    elif type(value) is list:
        yield from ([], value[:1], value[1:], value[::-1], value + value[:1])
    elif type(value) is dict:
        yield from ({}, [value], "x")


def _variants(value: Any, now: int, depth: int = 0) -> Iterator[Any]:
    """``value``, then versions with one change, at any depth."""
    yield value
    if depth > 3:
        return
    yield from _changes(value, now)
    if type(value) is dict:
        keys = list(value)
        for key in keys:
            yield {k: v for k, v in value.items() if k != key}
            for changed in itertools.islice(_variants(value[key], now, depth + 1), 1, None):
                yield {**value, key: changed}
        for first, second in itertools.combinations(keys, 2):
            # of one type only: cel-python's error messages nest, and a macro over a long
            # string of errors takes it minutes and gigabytes
            if type(value[first]) is type(value[second]):
                yield {**value, first: value[second], second: value[first]}
    elif type(value) is list:
        for index, item in enumerate(value):
            for changed in itertools.islice(_variants(item, now, depth + 1), 1, None):
                yield [*value[:index], changed, *value[index + 1 :]]


def _unique(values: Iterator[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for value in values:
        seen.setdefault(json.dumps(value, sort_keys=True), value)
    return list(seen.values())


@cache
def _check(rule: str) -> Callable[[Any], bool]:
    code = translate_rule(rule, subject="x", file="<spec>", pointer="/rule")
    namespace: dict[str, Any] = {"_rt": runtime}
    exec(f"def check(x):\n    return {code.holds}\n", namespace)
    check: Callable[[Any], bool] = namespace["check"]
    return check


def _verdicts(rule: Rule, instances: list[Any], now: int) -> list[tuple[bool, bool]]:
    results = []
    with runtime.clock(now):
        for instance in instances:
            reference = not check_rules((rule,), instance, now=now, file="<spec>")
            results.append((_check(rule.rule)(instance), reference))
    return results


@pytest.mark.parametrize(
    ("spec_name", "rules", "instance", "now"),
    SITES,
    ids=[f"{name}{rules[0].pointer.rsplit('/x-rules', 1)[0]}" for name, rules, _, _ in SITES],
)
def test_spec_rules_agree_with_cel_python(
    spec_name: str, rules: tuple[Rule, ...], instance: Any, now: int
) -> None:
    instances = _unique(_variants(instance, now))
    for rule in rules:
        verdicts = _verdicts(rule, instances, now)
        disagree = [(i, v) for i, v in zip(instances, verdicts, strict=True) if v[0] is not v[1]]
        assert not disagree, (rule.rule, disagree[:3])
        assert {reference for _, reference in verdicts} == {True, False}, rule.rule


def test_every_spec_rule_is_exercised() -> None:
    exercised = {rule.pointer for _, rules, _, _ in SITES for rule in rules}
    declared = set()
    for path in SPECS:
        spec = _spec(path)
        declared |= {rule.pointer for operation in spec.operations for rule in operation.rules}
        declared |= {
            f"{pointer}/x-rules/{index}"
            for pointer, schema in _schemas(spec.document, "")
            for index in range(len(schema.get("x-rules", [])))
        }
    assert declared
    assert declared <= exercised


def _schemas(node: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, dict):
        if "x-rules" in node and "rule" not in node:
            yield pointer, node
        for key, value in node.items():
            if key != "x-rules" or not isinstance(value, list):
                escaped = str(key).replace("~", "~0").replace("/", "~1")
                yield from _schemas(value, f"{pointer}/{escaped}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _schemas(value, f"{pointer}/{index}")


# --- through the schema compiler -------------------------------------------------------------


def _compile_in(spec: Spec, pointer: str) -> Any:
    unit = UnitBuilder(spec.document, CompileOptions(direction="request"), prefix="t")
    fast, collect = unit.add(pointer)
    namespace: dict[str, Any] = {}
    exec(render_module([unit.emitted()]), namespace)
    return namespace[fast], namespace[collect]


RULED_SPECS = [path for path in SPECS if any(True for _ in _schema_sites(_spec(path)))]


@pytest.mark.parametrize("path", RULED_SPECS, ids=[path.stem for path in RULED_SPECS])
def test_spec_schemas_report_exactly_the_failing_rules(path: Path) -> None:
    spec = _spec(path)
    outcomes = set()
    for operation in spec.operations:
        for media in operation.request_body.content if operation.request_body else ():
            if media.schema is None or not media.examples:
                continue
            fast, collect = _compile_in(spec, media.schema_pointer)
            for example in media.examples:
                now = example.now or CLOCK
                for variant in _unique(_variants(example.value, now))[:150]:
                    out: list[runtime.Violation] = []
                    with runtime.clock(now):
                        collect(variant, (), out)
                        valid = fast(variant)
                    assert valid is not bool(out)
                    if any(v.keyword != "x-rules" for v in out):
                        continue
                    found = {(v.schema_pointer, v.pointer) for v in out}
                    assert found == _reference_failures(spec, media, variant, now)
                    outcomes.add(bool(found))
    assert outcomes == {True, False}


def _reference_failures(spec: Spec, media: Any, instance: Any, now: int) -> set[tuple[str, str]]:
    resolver = Resolver(spec.file, dict(spec.document))
    sites = iter_schema_rules(
        media.schema, instance, schema_pointer=media.schema_pointer,
        deref=lambda schema, pointer: resolver.deref(schema, spec.file, pointer),
        branch_valid=lambda pointer, value: True, file=str(spec.file),
    )  # fmt: skip
    failures = set()
    for rules, value, where in sites:
        for failure in check_rules(rules, value, now=now, file="<spec>", pointer=where):
            failures.add((failure.rule.pointer, failure.instance_pointer))
    return failures


WINDOW = {
    "type": "object",
    "required": ["start", "end"],
    "properties": {
        "start": {"type": "integer"},
        "end": {"type": "integer"},
        "items": {"type": "array", "items": {"$ref": "#/definitions/pair"}},
    },
    "x-rules": [
        {"rule": "self.start < self.end", "message": "start before end", "path": "/end"},
        {"rule": "self.end > now", "message": "end in the future"},
    ],
    "definitions": {
        "pair": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "x-rules": [{"rule": "!has(self.a) || self.a != self.b", "message": "a ~ b"}],
        }
    },
}


def test_compiled_schema_reports_rule_violations_with_pointers_and_messages() -> None:
    validator = compile_schema(WINDOW)
    with runtime.clock(100):
        assert validator.is_valid({"start": 1, "end": 200, "items": [{"a": "x", "b": "y"}]})
        errors = validator.errors({"start": 5, "end": 50, "items": [{}, {"a": "x", "b": "x"}]})
    assert [(e.pointer, e.schema_pointer, e.keyword, e.message) for e in errors] == [
        ("/items/1", "/definitions/pair/x-rules/0", "x-rules", "a ~ b"),
    ]
    with runtime.clock(100):
        errors = validator.errors({"start": 5, "end": 5})
    assert [(e.instance_path, e.schema_path, e.message) for e in errors] == [
        (("end",), ("x-rules", 0), "start before end"),
        ((), ("x-rules", 1), "end in the future"),
    ]


def test_rules_are_not_evaluated_while_the_node_has_other_violations() -> None:
    validator = compile_schema(WINDOW)
    with runtime.clock(10**9):
        errors = validator.errors({"start": "5", "end": 1})
        assert [e.keyword for e in errors] == ["type"]
        errors = validator.errors({"start": 5, "end": 1, "items": [{"a": 1}]})
        assert [e.keyword for e in errors] == ["type"]
        errors = validator.errors({"start": 5, "end": 1, "items": [{"a": "x", "b": "x"}]})
        assert [(e.keyword, e.pointer) for e in errors] == [("x-rules", "/items/0")]


def test_the_clock_decides_time_rules() -> None:
    validator = compile_schema(WINDOW)
    instance = {"start": 1, "end": 1000}
    with runtime.clock(999):
        assert validator.is_valid(instance)
    with runtime.clock(1000):
        assert not validator.is_valid(instance)
        assert [e.schema_path for e in validator.errors(instance)] == [("x-rules", 1)]


def test_draft4_ignores_rules_and_recursion_keeps_working() -> None:
    assert compile_schema(WINDOW, CompileOptions(dialect="draft4")).is_valid({"start": 2, "end": 1})
    tree = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#"}}},
        "x-rules": [{"rule": "!has(self.children) || size(self.children) < 3", "message": "m"}],
    }
    validator = compile_schema(tree)
    assert validator.is_valid({"children": [{"children": [{}, {}]}]})
    errors = validator.errors({"children": [{"children": [{}, {}, {}]}]})
    assert [(e.pointer, e.schema_pointer) for e in errors] == [("/children/0", "/x-rules/0")]


@pytest.mark.parametrize(
    ("rules", "pointer"),
    [
        ("self.a > 0", "/properties/a/x-rules"),
        ([{"rule": "self > 0"}], "/properties/a/x-rules/0/message"),
        ([{"rule": "", "message": "m"}], "/properties/a/x-rules/0/rule"),
        ([{"rule": "self > 0", "message": "m", "path": "a"}], "/properties/a/x-rules/0/path"),
        ([{"rule": "self > 0", "message": "m", "when": 1}], "/properties/a/x-rules/0"),
        ([{"rule": "self.f()", "message": "m"}], "/properties/a/x-rules/0/rule"),
        ([{"rule": "self >", "message": "m"}], "/properties/a/x-rules/0/rule"),
    ],
)
def test_malformed_or_unsupported_rules_are_generation_errors(rules: Any, pointer: str) -> None:
    with pytest.raises(GenerationError) as info:
        compile_schema({"properties": {"a": {"type": "integer", "x-rules": rules}}})
    assert info.value.pointer == pointer


def test_operation_rule_blocks_run_as_function_bodies() -> None:
    rules = (
        Rule("self.query.end > self.query.start", "end after start", "/query/end", "/p/x-rules/0"),
        Rule("self.query.end < now + 10", "soon", "", "/p/x-rules/1"),
    )
    constants: dict[str, object] = {}

    def const(value: object) -> str:
        name = f"_k{len(constants)}"
        constants[name] = value
        return name

    fast, collect = emit_rule_checks(rules, subject="x", path_expr="p", unit_const=const, file="f")
    assert fast.startswith("    if not (")
    assert fast.endswith("\n")
    namespace: dict[str, Any] = {"_rt": runtime, **constants}
    exec(f"def fast(x):\n{fast}    return True\n\ndef collect(x, p, out):\n{collect}", namespace)
    request = {"path": {}, "query": {"start": 5, "end": 4}, "header": {}, "cookie": {}}
    out: list[runtime.Violation] = []
    with runtime.clock(-100):
        assert namespace["fast"](request) is False
        namespace["collect"](request, ("request",), out)
    assert [(v.instance_path, v.schema_path, v.message) for v in out] == [
        (("request", "query", "end"), ("p", "x-rules", 0), "end after start"),
        (("request",), ("p", "x-rules", 1), "soon"),
    ]


def test_hostile_messages_and_paths_stay_data() -> None:
    message = "'); __import__('os').system('exit 1') #\n\"\"\"\\\x00\u2028{x}%s"
    schema = {
        "type": "object",
        "x-rules": [{"rule": "self.size() < 0", "message": message, "path": "/a~1b/'\\\n~0"}],
    }
    validator = compile_schema(schema)
    assert message not in validator.source
    errors = validator.errors({})
    assert [(e.message, e.instance_path) for e in errors] == [(message, ("a/b", "'\\\n~"))]
