"""The contract suite's pytest plugin: options, targets and reporting.

``pytest tests/contract`` fuzzes the mock server in process; ``--base-url`` any running
implementation instead; ``--spec`` narrows to some specs; ``--header NAME:VALUE`` adds a header
(auth) to every request. See ``tests/contract/README.md``.

``tests/contract/conftest.py`` loads this module, unless the root ``tests/conftest.py`` already
did (``pytest_plugins = ["tests.contract.plugin"]``, which makes the options known to a bare
``pytest`` too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.contract import _budget
from tests.contract._contract import SPEC_NAMES, contracts
from tests.contract._stats import STATS
from tests.contract._target import Target, in_process, remote

_HERE = Path(__file__).parent
OPERATION_TEST = re.compile(r"^test_operation\[(?P<spec>[^\]]+)\]\[(?P<label>[^\]]+)\]")


__all__ = [
    "min_success",
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_exception_interact",
    "pytest_generate_tests",
    "pytest_report_header",
    "pytest_runtest_call",
    "pytest_runtest_makereport",
    "pytest_terminal_summary",
    "registered",
    "target",
]

_REGISTERED: list[bool] = []


def registered() -> bool:
    """Whether pytest has loaded this plugin already (through the root conftest)."""
    return bool(_REGISTERED)


def pytest_addoption(parser: pytest.Parser) -> None:
    _REGISTERED.append(True)
    group = parser.getgroup("contract", "specpact contract tests (tests/contract)")
    group.addoption(
        "--base-url",
        default=None,
        help="test the implementation at this URL instead of the in-process mock server",
    )
    group.addoption(
        "--spec",
        action="append",
        default=[],
        metavar="NAME",
        help=f"only these specs (repeat or comma-separate): {', '.join(SPEC_NAMES)}",
    )
    group.addoption(
        "--header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="send this header with every request (repeatable), e.g. auth",
    )
    group.addoption(
        "--contract-budget",
        default=None,
        choices=sorted(_budget.BUDGETS),
        help="cases per test: dev (default), ci (CI=true), smoke",
    )
    group.addoption(
        "--contract-seed",
        type=int,
        default=None,
        help="replay the run with this seed (printed by every run)",
    )
    group.addoption(
        "--clock-skew",
        type=int,
        default=2,
        metavar="SECONDS",
        help="how far the target's clock may be from ours (--base-url)",
    )
    group.addoption(
        "--min-success",
        type=float,
        default=None,
        metavar="SHARE",
        help="fail an operation whose positive cases reach 2xx less often "
        "(default 0.5 in process, off with --base-url)",
    )
    group.addoption(
        "--planted",
        default=None,
        metavar="VARIANT[,VARIANT]",
        help="self-test: target the planted implementation (clean, a bug, or all)",
    )


def _option(config: pytest.Config, name: str, default: Any = None) -> Any:
    """An option's value (its default when this conftest was loaded too late to add it)."""
    return config.getoption(name, default)


def selected_specs(config: pytest.Config) -> tuple[str, ...]:
    chosen = [name for value in _option(config, "spec", []) for name in value.split(",") if name]
    unknown = sorted(set(chosen) - set(SPEC_NAMES))
    if unknown:
        raise pytest.UsageError(f"--spec: unknown {unknown}; the specs are {list(SPEC_NAMES)}")
    return tuple(name for name in SPEC_NAMES if not chosen or name in chosen)


def _headers(config: pytest.Config) -> dict[str, str]:
    headers = {}
    for value in _option(config, "header", []):
        name, sep, text = value.partition(":")
        if not sep or not name.strip():
            raise pytest.UsageError(f"--header {value!r}: expected NAME:VALUE")
        headers[name.strip()] = text.strip()
    return headers


def _planted(config: pytest.Config) -> list[str]:
    value = _option(config, "planted")
    if not value:
        return []
    from tests.contract.planted import VARIANTS

    names = list(VARIANTS) if value == "all" else value.split(",")
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        raise pytest.UsageError(f"--planted: unknown {unknown}; known: {list(VARIANTS)}")
    return names


def target_names(config: pytest.Config) -> list[str]:
    planted = _planted(config)
    if planted:
        return [f"planted-{name}" for name in planted]
    return ["remote" if _option(config, "base_url") else "mock"]


def pytest_configure(config: pytest.Config) -> None:
    chosen = _budget.configure(
        _option(config, "contract_budget"),
        _option(config, "contract_seed"),
        sanitize=bool(_option(config, "header", [])),
    )
    config.stash[_BUDGET] = chosen


_BUDGET = pytest.StashKey[_budget.Budget]()


def pytest_report_header(config: pytest.Config) -> list[str]:
    chosen = config.stash.get(_BUDGET, None)
    if chosen is None:
        return []
    origins = sorted({found.origin for found in contracts(selected_specs(config)).values()})
    return [
        f"contract: budget {chosen.name}, seed {chosen.seed}, targets "
        f"{', '.join(target_names(config))}, validators {'; '.join(origins)}"
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" in metafunc.fixturenames and metafunc.definition.path.is_relative_to(_HERE):
        names = target_names(metafunc.config)
        metafunc.parametrize("target", names, indirect=True, scope="session")


def spec_of(item: pytest.Item) -> str | None:
    """The spec a contract test item is about (``None``: it is about none in particular)."""
    matched = OPERATION_TEST.match(item.name)
    if matched:
        return matched.group("spec")
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("spec") if callspec is not None else None


def _target_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("target") if callspec is not None else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    specs = set(selected_specs(config))
    keep, drop = [], []
    for item in items:
        spec = spec_of(item) if item.path.is_relative_to(_HERE) else None
        wanted = spec is None or spec in specs
        target = _target_of(item) or ""
        if wanted and spec is not None and target.startswith("planted-"):
            wanted = _planted_wants(item, spec, target.removeprefix("planted-"))
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _planted_wants(item: pytest.Item, spec: str, variant_name: str) -> bool:
    """Whether a planted variant's self-test run needs this item (where its bug lives)."""
    from tests.contract.planted import VARIANTS

    variant = VARIANTS[variant_name]
    if spec not in variant.specs:
        return False
    if not variant.operations:
        return True
    matched = OPERATION_TEST.match(item.name)
    if matched:
        method, _, path = matched.group("label").partition(" ")
        operation = contracts((spec,))[spec].route(method, path)
        return operation is not None and operation.operation_id in variant.operations
    callspec = getattr(item, "callspec", None)
    operation_id = callspec.params.get("operation_id") if callspec is not None else None
    if operation_id is not None:
        return operation_id in variant.operations
    return variant.stateful


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The implementation under test (parametrized by `pytest_generate_tests`)."""
    from tests.contract._calls import seed_records

    config = request.config
    name = request.param
    closing: Any = None
    if name == "remote":
        found = remote(_option(config, "base_url"), skew=_option(config, "clock_skew", 2))
    elif name.startswith("planted-"):
        from tests.contract.planted import create_app

        found = in_process(name, create_app(name.removeprefix("planted-")))
    else:
        from mockserver import Settings, create_app
        from tests.conftest import SPECS

        app = create_app(Settings(quiet=True, specs_dir=SPECS, state_limit=1_000_000, cors=False))
        closing = app.store
        found = in_process(name, app)
    found.headers.update(_headers(config))
    seed_records(found, selected_specs(config))
    yield found
    if closing is not None:
        closing.close()


@pytest.fixture(scope="session")
def min_success(request: pytest.FixtureRequest, target: Target) -> float:
    value = _option(request.config, "min_success")
    if value is not None:
        return float(value)
    return 0.5 if target.in_process else 0.0


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """An operation's test also fails when too few of its positive cases reached success."""
    result = yield
    matched = OPERATION_TEST.match(item.name) if item.path.is_relative_to(_HERE) else None
    target = _target_of(item)
    if matched and target is not None and isinstance(item, pytest.Function):
        threshold = item.funcargs.get("min_success")
        tally = STATS.tally(target, matched.group("spec"), matched.group("label"))
        if isinstance(threshold, float) and tally.positive and tally.share < threshold:
            raise AssertionError(
                f"only {tally.success} of {tally.positive} positive cases ({tally.share:.0%}) "
                f"reached a 2xx success, fewer than {threshold:.0%}: valid data must get through"
            )
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Every failure of a contract test says how to replay it."""
    report = yield
    if call.when == "call":
        _add_replay(item, report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_exception_interact(node: Any, call: Any, report: Any) -> None:
    """Again after Schemathesis, which rewrites the report of its own failures."""
    if isinstance(node, pytest.Item) and call.when == "call":
        _add_replay(node, report)


def _add_replay(item: pytest.Item, report: Any) -> None:
    chosen = item.config.stash.get(_BUDGET, None)
    if not report.failed or chosen is None or not item.path.is_relative_to(_HERE):
        return
    replay = _replay(item, chosen)
    if replay not in report.longreprtext:
        report.longrepr = f"{report.longreprtext}\n\n{replay}"


def _replay(item: pytest.Item, chosen: _budget.Budget) -> str:
    command = (
        f"pytest '{item.nodeid}' --contract-seed {chosen.seed} --contract-budget {chosen.name}"
    )
    target = _target_of(item) or ""
    lines = [f"Contract seed: {chosen.seed} (budget {chosen.name}). Replay: {command}"]
    if target == "mock":
        lines.append(
            "The curl commands above reach the mock once it listens: "
            "python -m mockserver --port 8000, then use http://127.0.0.1:8000."
        )
    elif target.startswith("planted-"):
        lines.append(f"Add --planted {target.removeprefix('planted-')} to the replay.")
    elif target == "remote":
        base_url = _option(item.config, "base_url")
        lines.append(f"Add --base-url {base_url} (and your --header options) to the replay.")
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    lines = STATS.lines()
    if lines:
        terminalreporter.section("contract: positive cases that reached success")
        for line in lines:
            terminalreporter.write_line(line)
