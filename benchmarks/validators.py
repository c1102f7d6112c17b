"""Request-body validation speed: the generated validator against its peers, in one run.

    python3 -m benchmarks.validators [--quick] [--markdown | --json]

Contenders, each judging the same request bodies (`benchmarks.payloads`):

* ``generated``: specpact's validator of the body schema and its ``x-rules``, from the
  committed ``validators/<spec>.py`` (`generated`);
* ``gen. w/o x-rules``: the same schema compiled in memory without its rules, for reference:
  the like-for-like figure against the jsonschema family, which cannot express the rules;
* ``hand-written``: `benchmarks.handwritten`, the same rules written by hand;
* ``fastjsonschema``, ``jsonschema`` (a precompiled ``Draft4Validator`` with its format
  checker) and ``jsonschema-rs``: the body schema converted to draft 4 by `to_draft4`;
* ``openapi-core``: ``OpenAPI.validate_request`` of the whole request (it also reads the JSON
  text and checks the path parameters, so its figure includes that work).

Valid bodies time each contender's yes/no entry point, invalid bodies its error report. Every
contender must agree with every case's expected verdict before anything is timed; the run
stops (exit 1) otherwise. Figures are the best of several repeats of an auto-calibrated loop,
in µs per call; ratios compare contenders of the same run.
"""

from __future__ import annotations

import argparse
import gc
import json
import linecache
import os
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from typing import Any

from benchmarks import handwritten, payloads
from benchmarks.payloads import SPECS, Case, Target, cases, spec
from generator.emit import CompileOptions, UnitBuilder, render_module
from generator.parse import load_spec

__all__ = [
    "CONTENDERS",
    "Checker",
    "Contender",
    "compile_request_schema",
    "generated",
    "main",
    "to_draft4",
]

SERVER = "http://127.0.0.1:8000"
DRAFT4 = "http://json-schema.org/draft-04/schema#"

# -- OpenAPI 3.0 Schema Object -> JSON Schema draft 4 --------------------------------------

# Dropped: OpenAPI-only keywords (their meaning is spelled out below) and annotations.
_DROPPED = frozenset(
    {"nullable", "readOnly", "writeOnly", "discriminator", "xml", "externalDocs", "example"}
    | {"deprecated", "description", "title", "format"}
)
_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_FREE_FORMATS = frozenset({"float", "double", "password", "binary"})
_BASE64 = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
_COMPONENT = "#/components/schemas/"
_NAME = re.compile(r"[A-Za-z0-9._-]+")


def to_draft4(
    document: Mapping[str, Any], schema_pointer: str, *, direction: str | None = "request"
) -> dict[str, Any]:
    """The OpenAPI 3.0 schema at ``schema_pointer`` as a self-contained draft 4 schema.

    What OpenAPI 3.0 says that draft 4 cannot is spelled out in draft 4 terms, as the generated
    validator reads it: ``nullable: true`` (with a ``type``) adds ``"null"`` to the type; the
    integer formats ``int32``/``int64`` become ``minimum``/``maximum``; ``byte`` becomes a
    base64 ``pattern``; in a request a ``readOnly`` schema admits nothing and a ``readOnly``
    property is not required (``writeOnly`` likewise in a response). Referenced components
    go into ``definitions``; annotations and ``x-`` extensions are dropped (the CEL ``x-rules``
    have no draft 4 form). A ``discriminator`` is refused: no benchmarked body has one.

    >>> doc = {"components": {"schemas": {"T": {"type": "string", "nullable": True}}},
    ...        "s": {"type": "object", "properties": {"t": {"$ref": "#/components/schemas/T"}}}}
    >>> to_draft4(doc, "/s")["definitions"]
    {'T': {'type': ['string', 'null']}}
    """
    return _Draft4(document, direction).root(schema_pointer)


class _Draft4:
    def __init__(self, document: Mapping[str, Any], direction: str | None) -> None:
        self.document = document
        self.direction = direction
        self.definitions: dict[str, Any] = {}

    def root(self, schema_pointer: str) -> dict[str, Any]:
        node = self.document
        for token in schema_pointer.split("/")[1:]:
            node = node[token.replace("~1", "/").replace("~0", "~")]
        while "$ref" in node:  # the root is the referenced schema itself, not a $ref to it
            node = self.component(node["$ref"])
        out = {"$schema": DRAFT4, **self.convert(node)}
        while pending := [name for name, done in self.definitions.items() if done is None]:
            for name in pending:  # converting one may reference more
                self.definitions[name] = self.convert(self.component(_COMPONENT + name))
        if self.definitions:
            out["definitions"] = dict(sorted(self.definitions.items()))
        return out

    def component(self, ref: object) -> Any:
        name = self.name(ref)
        return self.document["components"]["schemas"][name]

    def name(self, ref: object) -> str:
        if type(ref) is not str or not ref.startswith(_COMPONENT):
            raise ValueError(f"only #/components/schemas/ references are converted: {ref!r}")
        name = ref.removeprefix(_COMPONENT)
        if not _NAME.fullmatch(name):
            raise ValueError(f"not an OpenAPI component name: {name!r}")
        return name

    def flag(self, schema: Any, keyword: str) -> bool:
        seen = 0
        while type(schema) is dict and "$ref" in schema and seen < 64:
            schema, seen = self.component(schema["$ref"]), seen + 1
        return type(schema) is dict and schema.get(keyword) is True

    def convert(self, schema: Any) -> dict[str, Any]:
        if type(schema) is not dict:
            raise ValueError(f"a schema must be an object, not {schema!r:.60}")
        if "$ref" in schema:
            name = self.name(schema["$ref"])
            self.definitions.setdefault(name, None)
            return {"$ref": "#/definitions/" + name}
        if "discriminator" in schema:
            raise ValueError("discriminator is not converted (no benchmarked body has one)")
        if (self.direction == "request" and schema.get("readOnly") is True) or (
            self.direction == "response" and schema.get("writeOnly") is True
        ):
            return {"not": {}}
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _DROPPED or key.startswith("x-"):
                continue
            if key in ("properties", "patternProperties"):
                out[key] = {name: self.convert(sub) for name, sub in value.items()}
            elif key in ("allOf", "anyOf", "oneOf"):
                out[key] = [self.convert(sub) for sub in value]
            elif key in ("items", "not") or (key == "additionalProperties" and type(value) is dict):
                out[key] = self.convert(value)
            else:
                out[key] = json.loads(json.dumps(value))  # a copy of plain JSON data
        if schema.get("nullable") is True and type(schema.get("type")) is str:
            out["type"] = [schema["type"], "null"]
        if "format" in schema:
            self.format(schema, out)
        if "required" in out:
            out["required"] = [n for n in out["required"] if not self.skipped(schema, n)]
            if not out["required"]:  # draft 4 requires a non-empty list
                del out["required"]
        return out

    def skipped(self, schema: Mapping[str, Any], name: str) -> bool:
        prop = schema.get("properties", {}).get(name)
        if prop is None:
            return False
        read_only, write_only = self.flag(prop, "readOnly"), self.flag(prop, "writeOnly")
        if self.direction == "request":
            return read_only
        if self.direction == "response":
            return write_only
        return read_only or write_only

    def format(self, schema: Mapping[str, Any], out: dict[str, Any]) -> None:
        name = schema["format"]
        if name in _INT_FORMATS:
            if schema.get("type") != "integer":
                raise ValueError(f"format {name} is only converted on type: integer")
            low, high = _INT_FORMATS[name]
            if out.get("minimum", low - 1) < low:
                out["minimum"], out["exclusiveMinimum"] = low, False
            if out.get("maximum", high + 1) > high:
                out["maximum"], out["exclusiveMaximum"] = high, False
            for flag in ("exclusiveMinimum", "exclusiveMaximum"):
                if out.get(flag) is False:
                    del out[flag]
        elif name == "byte":
            out.setdefault("allOf", []).append({"pattern": _BASE64})
        elif name not in _FREE_FORMATS:
            out["format"] = name


# -- contenders --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checker:
    """How one contender judges the requests of one operation.

    ``prepare`` turns a case into the contender's input (outside the timing); ``on_valid`` is
    timed on valid payloads, ``on_invalid`` (the error report) on invalid ones; ``verdict``
    says whether an input is accepted, untimed, for the agreement check.
    """

    prepare: Callable[[Case], Any]
    on_valid: Callable[[Any], object]
    on_invalid: Callable[[Any], object]
    verdict: Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class Contender:
    """A validator under test; a ``reference`` is shown for scale, no target applies to it."""

    name: str
    build: Callable[[Target], Checker]
    reference: bool = False


def _body(case: Case) -> Any:
    return case.body


def compile_request_schema(
    document: Mapping[str, Any], schema_pointer: str, *, filename: str = "<specpact-bench>"
) -> tuple[Callable[[Any], bool], Callable[..., None], str]:
    """Generate, compile and load the request validator of one schema: (fast, collector, source).

    The source is registered in `linecache` under ``filename``, so profiles and tracebacks show
    the generated lines.
    """
    unit = UnitBuilder(document, CompileOptions(direction="request"), prefix="b", file=filename)
    fast_name, collect_name = unit.add(schema_pointer)
    source = render_module([unit.emitted()])
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": "specpact_bench"}
    # generator output: spec data appears in it only as literal() renderings
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    return namespace[fast_name], namespace[collect_name], source


def without_rules(node: Any) -> Any:
    """A copy of ``node`` without its ``x-rules`` lists: the schemas alone."""
    if type(node) is dict:
        return {
            key: without_rules(value)
            for key, value in node.items()
            if not (key == "x-rules" and type(value) is list)
        }
    if type(node) is list:
        return [without_rules(item) for item in node]
    return node


@cache
def _compile_body(
    target: Target, *, rules: bool = True
) -> tuple[Callable[[Any], bool], Callable[..., None], str]:
    document = spec(target.spec).document
    filename = f"<specpact-bench-{target.spec}-{target.operation_id}{'' if rules else '-norules'}>"
    return compile_request_schema(
        document if rules else without_rules(document), target.schema_pointer, filename=filename
    )


def generated(target: Target) -> Checker:
    """specpact's validator of ``target``'s request body (schema and ``x-rules``), as committed
    in ``validators/<spec>.py``: the fast function and the collector of its JSON body.
    """
    import validators

    body = validators.load(target.spec).OPERATIONS[target.operation_id].body
    fast, collect = body.media["application/json"]
    return _checker(fast, collect)


def _generated_without_rules(target: Target) -> Checker:
    fast, collect, _ = _compile_body(target, rules=False)
    return _checker(fast, collect)


def _checker(fast: Callable[[Any], bool], collect: Callable[..., None]) -> Checker:
    def errors(body: Any) -> list[Any]:  # as generator.compiler.Validator.errors
        if fast(body):
            return []
        out: list[Any] = []
        collect(body, (), out)
        return out

    return Checker(_body, fast, errors, fast)


def _handwritten(target: Target) -> Checker:
    check = handwritten.CHECKS[target.operation_id]
    return Checker(_body, check, check, lambda body: check(body) is None)


@cache
def _draft4(target: Target) -> dict[str, Any]:
    return to_draft4(spec(target.spec).document, target.schema_pointer, direction="request")


def _fastjsonschema(target: Target) -> Checker:
    import fastjsonschema

    validate = fastjsonschema.compile(_draft4(target), use_default=False)

    def report(body: Any) -> Exception | None:
        try:
            validate(body)
        except fastjsonschema.JsonSchemaValueException as exc:
            return exc
        return None

    return Checker(_body, validate, report, lambda body: report(body) is None)


def _jsonschema(target: Target) -> Checker:
    from jsonschema import Draft4Validator

    validator = Draft4Validator(_draft4(target), format_checker=Draft4Validator.FORMAT_CHECKER)
    return Checker(
        _body,
        validator.is_valid,
        lambda body: list(validator.iter_errors(body)),
        validator.is_valid,
    )


def _jsonschema_rs(target: Target) -> Checker:
    import jsonschema_rs

    validator = jsonschema_rs.Draft4Validator(
        _draft4(target), validate_formats=True, ignore_unknown_formats=False
    )
    return Checker(
        _body,
        validator.is_valid,
        lambda body: list(validator.iter_errors(body)),
        validator.is_valid,
    )


@cache
def _openapi(spec_name: str) -> Any:
    from openapi_core import OpenAPI

    return OpenAPI.from_file_path(str(SPECS / f"{spec_name}.yaml"))


def _openapi_core(target: Target) -> Checker:
    from openapi_core.exceptions import OpenAPIError
    from openapi_core.testing import MockRequest

    api = _openapi(target.spec)
    method, path = target.operation.method, target.url_path()

    def prepare(case: Case) -> Any:
        data = case.text.encode()
        return MockRequest(SERVER, method, path, data=data, content_type="application/json")

    def report(request: Any) -> Exception | None:
        try:
            api.validate_request(request)
        except OpenAPIError as exc:
            return exc
        return None

    return Checker(prepare, api.validate_request, report, lambda request: report(request) is None)


CONTENDERS: tuple[Contender, ...] = (
    Contender("generated", generated),
    Contender("gen. w/o x-rules", _generated_without_rules, reference=True),
    Contender("hand-written", _handwritten),
    Contender("fastjsonschema", _fastjsonschema),
    Contender("jsonschema", _jsonschema),
    Contender("jsonschema-rs", _jsonschema_rs),
    Contender("openapi-core", _openapi_core),
)
JSON_LOADS = "json.loads"  # not a validator: the cost of reading the body's JSON text


# -- timing ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Budget:
    repeat: int
    loop_ns: int

    def seconds(self, measurements: int) -> float:
        return measurements * self.repeat * self.loop_ns / 1e9


FULL = Budget(repeat=61, loop_ns=5_000_000)
QUICK = Budget(repeat=2, loop_ns=1_000_000)


def _loop(call: Callable[[Any], object], arg: Any, number: int) -> int:
    iterations = repeat(None, number)
    start = time.perf_counter_ns()
    for _ in iterations:
        call(arg)
    return time.perf_counter_ns() - start


def _calibrate(call: Callable[[Any], object], arg: Any, loop_ns: int) -> int:
    """How many calls make one loop of about ``loop_ns`` nanoseconds."""
    number = 1
    while True:
        elapsed = _loop(call, arg, number)
        if elapsed >= loop_ns / 4:
            return max(1, round(number * loop_ns / elapsed))
        number = max(number * 2, int(number * loop_ns / 2 / max(elapsed, 1)))


def measure_round_robin(
    calls: Mapping[str, tuple[Callable[[Any], object], Any]], budget: Budget
) -> dict[str, list[float]]:
    """Nanoseconds per call of each ``name: (call, arg)``, one figure per repeat.

    Each repeat runs one calibrated loop of every call in turn, so that a burst of load from
    elsewhere hits all of them alike rather than one contender; gc is off, as in timeit.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        numbers = {
            name: _calibrate(call, arg, budget.loop_ns) for name, (call, arg) in calls.items()
        }
        figures: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(budget.repeat):
            for name, (call, arg) in calls.items():
                figures[name].append(_loop(call, arg, numbers[name]) / numbers[name])
        return figures
    finally:
        if gc_was_enabled:
            gc.enable()


def measure(call: Callable[[Any], object], arg: Any, budget: Budget) -> list[float]:
    """Nanoseconds per call, one figure per repeat; the loop is calibrated to ``budget``."""
    return measure_round_robin({"call": (call, arg)}, budget)["call"]


# -- generation and memory -----------------------------------------------------------------


def build_all_specs(phases: dict[str, float] | None = None) -> dict[str, str]:
    """Every spec's module text: each operation's parameter, body and response schemas.

    Stands in for ``python -m generator`` until it lands: one request unit and one response
    unit per spec, both rendered into one module, which is compiled and executed in memory.
    ``phases`` accumulates the seconds spent loading, emitting and compiling.
    """
    spent = phases if phases is not None else {}
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        spent[phase] = spent.get(phase, 0.0) + now - clock
        clock = now

    modules: dict[str, str] = {}
    for path in sorted(SPECS.glob("*.yaml")):
        the_spec = load_spec(path)
        lap("load")
        request = UnitBuilder(
            the_spec.document, CompileOptions(direction="request"), prefix="q", file=str(path)
        )
        response = UnitBuilder(
            the_spec.document, CompileOptions(direction="response"), prefix="r", file=str(path)
        )
        for op in the_spec.operations:
            for parameter in op.parameters:
                if parameter.schema is not None:
                    request.add(parameter.schema_pointer)
            for media in op.request_body.content if op.request_body else ():
                if media.schema is not None:
                    request.add(media.schema_pointer)
            for answer in op.responses:
                for media in answer.content:
                    if media.schema is not None:
                        response.add(media.schema_pointer)
        units = [unit.emitted() for unit in (request, response)]
        source = render_module([code for code in units if code.entries])
        lap("emit")
        exec(compile(source, f"<specpact-bench-{the_spec.name}>", "exec"), {})  # noqa: S102
        lap("compile")
        modules[the_spec.name] = source
    return modules


def time_generation(runs: int) -> dict[str, Any]:
    """Best wall time of `build_all_specs` over ``runs`` runs, its phases, what it produced."""
    best: dict[str, float] = {}
    modules: dict[str, str] = {}
    for _ in range(runs):
        phases: dict[str, float] = {}
        modules = build_all_specs(phases)
        if not best or sum(phases.values()) < sum(best.values()):
            best = phases
    lines = sum(source.count("\n") for source in modules.values())
    return {
        "seconds": sum(best.values()),
        "phases": best,
        "runs": runs,
        "specs": len(modules),
        "lines": lines,
    }


def _traced(build: Callable[[], object]) -> tuple[int, int]:
    """(peak, retained) bytes allocated while ``build()`` runs, its result kept alive."""
    re.purge()
    gc.collect()
    tracemalloc.start()
    try:
        kept = build()
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return peak, retained


def measure_memory(target: Target, warm_up: Target) -> dict[str, dict[str, int]]:
    """tracemalloc of building ``target``'s generated validator and fastjsonschema's function.

    Both first build ``warm_up`` (give it x-rules), so that neither is charged for imports.
    """
    import fastjsonschema

    fastjsonschema.compile(_draft4(warm_up), use_default=False)
    _compile_body.__wrapped__(warm_up)
    schema = _draft4(target)
    result = {"generated": _traced(lambda: _compile_body.__wrapped__(target))}
    result["fastjsonschema"] = _traced(lambda: fastjsonschema.compile(schema, use_default=False))
    return {name: {"peak": peak, "retained": kept} for name, (peak, kept) in result.items()}


# -- the run -----------------------------------------------------------------------------------


@dataclass
class Row:
    case: Case
    figures: dict[str, list[float]]  # contender -> ns per call, per repeat

    def best(self, name: str) -> float:
        return min(self.figures[name])

    def ratio(self, slower: str, faster: str) -> float:
        return self.best(slower) / self.best(faster)


RATIOS = (
    ("generated", "hand-written", "gen / hand"),
    ("fastjsonschema", "generated", "fjs / gen"),
    ("jsonschema", "generated", "js / gen"),
)
# The issue's targets, on valid payloads; then the same against the generated validator
# without its x-rules (the jsonschema family checks no x-rules), for information.
TARGETS = (
    ("generated", "hand-written", "at most", 1.3),
    ("fastjsonschema", "generated", "at least", 3.0),
    ("jsonschema", "generated", "at least", 50.0),
)
LIKE_FOR_LIKE = (
    ("fastjsonschema", "gen. w/o x-rules", "at least", 3.0),
    ("jsonschema", "gen. w/o x-rules", "at least", 50.0),
)


def check_agreement(
    all_cases: Sequence[Case], checkers: Mapping[tuple[str, str], Checker]
) -> list[str]:
    """Every (case, contender) whose verdict differs from the case's expected one."""
    problems = []
    for case in all_cases:
        for contender in CONTENDERS:
            checker = checkers[contender.name, case.target.operation_id]
            accepted = checker.verdict(checker.prepare(case))
            if accepted is not case.valid:
                verdict = "accepts" if accepted else "rejects"
                problems.append(f"{contender.name} {verdict} {case.name} ({case.what})")
    return problems


def build_checkers(all_cases: Sequence[Case]) -> dict[tuple[str, str], Checker]:
    targets = {case.target.operation_id: case.target for case in all_cases}
    return {
        (contender.name, op_id): contender.build(target)
        for contender in CONTENDERS
        for op_id, target in targets.items()
    }


def run(budget: Budget, *, progress: Callable[[str], None] | None = None) -> list[Row]:
    """Check that every contender agrees on every case, then time them all, case by case."""
    all_cases = cases()
    checkers = build_checkers(all_cases)
    problems = check_agreement(all_cases, checkers)
    if problems:
        raise SystemExit("contenders disagree:\n  " + "\n  ".join(problems))
    rows = []
    for case in all_cases:
        if progress:
            progress(case.name)
        calls: dict[str, tuple[Callable[[Any], object], Any]] = {
            JSON_LOADS: (json.loads, case.text)
        }
        for contender in CONTENDERS:
            checker = checkers[contender.name, case.target.operation_id]
            call = checker.on_valid if case.valid else checker.on_invalid
            calls[contender.name] = (call, checker.prepare(case))
        rows.append(Row(case, measure_round_robin(calls, budget)))
    return rows


def measure_cold_timestamps(budget: Budget) -> dict[str, float]:
    """Best ns per call on jd-10 as a request whose times are all new: the generated validator
    keeps `timestamp()` results per string, which a benchmark repeating one body always hits.

    Each call empties the memo first; that emptying, timed alone, is taken off again.
    """
    from generator.runtime.cel import forget_timestamps

    case = next(case for case in cases() if case.name == "jd-10")
    ours, theirs = generated(case.target), _handwritten(case.target)
    if not (ours.verdict(case.body) and theirs.verdict(case.body)):
        raise SystemExit("jd-10 must be valid for both the generated and the hand-written check")
    fast, hand = ours.on_valid, theirs.on_valid

    def cold(body: Any) -> object:
        forget_timestamps()
        return fast(body)

    def forget_only(body: Any) -> object:
        forget_timestamps()
        return body

    figures = measure_round_robin(
        {
            "cold": (cold, case.body),
            "forget": (forget_only, case.body),
            "hand-written": (hand, case.body),
        },
        budget,
    )
    best = {name: min(values) for name, values in figures.items()}
    return {"generated": best["cold"] - best["forget"], "hand-written": best["hand-written"]}


# -- output ------------------------------------------------------------------------------------

COLUMNS = (JSON_LOADS, *(c.name for c in CONTENDERS))


def _us(ns: float) -> str:
    us = ns / 1000
    return f"{us:.0f}" if us >= 100 else f"{us:.1f}" if us >= 10 else f"{us:.2f}"


def table(rows: Sequence[Row]) -> list[list[str]]:
    header = ["case", "bytes", *COLUMNS, *(label for _, _, label in RATIOS)]
    body = [
        [
            row.case.name,
            str(row.case.size),
            *(_us(row.best(name)) for name in COLUMNS),
            *(f"{row.ratio(a, b):.2f}×" for a, b, _ in RATIOS),
        ]
        for row in rows
    ]
    return [header, *body]


def render(cells: list[list[str]], *, markdown: bool) -> str:
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]

    def line(values: list[str]) -> str:
        padded = [
            v.ljust(w) if i == 0 else v.rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |" if markdown else "  ".join(padded)

    out = [line(cells[0])]
    if markdown:
        out.append(
            "|"
            + "|".join(
                "-" * (w + 1) + ":" if i else ":" + "-" * (w + 1) for i, w in enumerate(widths)
            )
            + "|"
        )
    out += [line(values) for values in cells[1:]]
    return "\n".join(out)


def verdicts(
    rows: Sequence[Row], targets: Sequence[tuple[str, str, str, float]] = TARGETS
) -> list[str]:
    """One line per target, judged case by case on the valid payloads."""
    valid = [row for row in rows if row.case.valid]
    lines = []
    for slower, faster, kind, bound in targets:
        ratios = {row.case.name: row.ratio(slower, faster) for row in valid}
        missed = {
            name: ratio
            for name, ratio in ratios.items()
            if (ratio > bound if kind == "at most" else ratio < bound)
        }
        verdict = "met on every valid payload"
        if missed:
            shown = ", ".join(f"{name} {ratio:.2f}×" for name, ratio in missed.items())
            verdict = f"NOT met on {len(missed)} of {len(ratios)}: {shown}"
        lines.append(
            f"{slower} / {faster} {kind} {bound:g}×: {verdict} "
            f"(range {min(ratios.values()):.2f}–{max(ratios.values()):.2f}×)"
        )
    return lines


def noise(rows: Sequence[Row]) -> str:
    """How far the median repeat lies above the best one, over every figure of the run."""
    spreads = [
        statistics.median(values) / min(values) - 1
        for row in rows
        for values in row.figures.values()
    ]
    typical, worst = statistics.median(spreads), max(spreads)
    return f"median repeat above best: typically {typical:.1%}, at worst {worst:.1%}"


def _progress(name: str) -> None:
    print(f"measuring {name} ...", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m benchmarks.validators", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny budget: a smoke test, not figures"
    )
    style = parser.add_mutually_exclusive_group()
    style.add_argument("--markdown", action="store_true", help="Markdown tables")
    style.add_argument("--json", action="store_true", help="raw figures as JSON")
    args = parser.parse_args(argv)
    budget = QUICK if args.quick else FULL

    load_before = os.getloadavg()[0]
    memory = measure_memory(
        payloads.target("tencent-ivc", "createRetrieveTask"),
        payloads.target("jdcloud-live", "addLiveRecordTask"),
    )
    generation = time_generation(1 if args.quick else 3)
    rows = run(budget, progress=None if args.quick else _progress)
    load = (load_before, os.getloadavg()[0])

    if args.json:
        print(
            json.dumps(
                {
                    "budget": {"repeat": budget.repeat, "loop_ns": budget.loop_ns},
                    "load_average": load,
                    "cpus": os.cpu_count(),
                    "generation": generation,
                    "memory": memory,
                    "cases": [
                        {
                            "case": r.case.name,
                            "bytes": r.case.size,
                            "valid": r.case.valid,
                            "ns": r.figures,
                        }
                        for r in rows
                    ],
                },
                indent=1,
            )
        )
        return 0
    print(render(table(rows), markdown=args.markdown))
    print()
    bullet = "- " if args.markdown else ""
    for text in verdicts(rows):
        print(bullet + text)
    for text in verdicts(rows, LIKE_FOR_LIKE):
        print(f"{bullet}like for like, for information: {text}")
    print(
        f"{bullet}µs per call, best of {budget.repeat} repeats; {noise(rows)}; "
        f"1-minute load average {load[0]:.1f} before, {load[1]:.1f} after ({os.cpu_count()} CPUs)"
    )
    phases = ", ".join(f"{k} {v * 1000:.0f}" for k, v in generation["phases"].items())
    print(
        f"{bullet}generating all {generation['specs']} specs ({generation['lines']} lines): "
        f"{generation['seconds'] * 1000:.0f} ms ({phases} ms; best of {generation['runs']})"
    )
    for name, figures in memory.items():
        print(
            f"{bullet}memory, building the IVC body validator, {name}: "
            f"peak {figures['peak'] / 1024:.0f} KiB, retained {figures['retained'] / 1024:.0f} KiB"
        )
    cold = measure_cold_timestamps(budget)
    print(
        f"{bullet}jd-10 with every time string new (the `timestamp()` memo emptied before each "
        f"call): generated {_us(cold['generated'])} µs, hand-written {_us(cold['hand-written'])} "
        f"µs ({cold['generated'] / cold['hand-written']:.2f}×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
