"""The self-test: the suite catches every planted bug, and passes the clean implementation.

One subprocess runs the contract suite (``--planted all --contract-budget smoke``) against
every variant of `tests.contract.planted` at once, each narrowed to where its bug lives; its
JUnit report says, per variant, what failed. ``clean`` must have no failure at all; every bug
must fail with a report naming one of the checks meant to catch it (``Variant.caught_by``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.contract.planted import VARIANTS
from tests.contract.plugin import selected_specs

SUITE = [
    "tests/contract/test_api.py",
    "tests/contract/test_rules.py",
    "tests/contract/test_state.py",
    "tests/contract/test_stateful.py",
]
TIMEOUT = 900
_VARIANT = re.compile(
    r"planted-(" + "|".join(sorted(map(re.escape, VARIANTS), key=len, reverse=True)) + r")(?=[\]-])"
)


@dataclass
class Outcome:
    passed: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass
class Run:
    outcomes: dict[str, Outcome]
    output: str

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


@pytest.fixture(scope="session")
def planted_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    config = request.config
    if config.getoption("planted", None) or config.getoption("base_url", None):
        pytest.skip("the self-test checks the suite, not a --planted or --base-url target")
    report = tmp_path_factory.mktemp("planted") / "report.xml"
    specs = [f"--spec={value}" for value in config.getoption("spec", None) or []]
    command = [
        sys.executable,
        "-m",
        "pytest",
        *SUITE,
        *specs,
        "--planted=all",
        "--contract-budget=smoke",
        f"--junitxml={report}",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS",)}
    completed = subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=environment,
        check=False,
    )
    output = completed.stdout + completed.stderr
    if not Path(report).exists():
        pytest.fail(f"the planted run wrote no report (exit {completed.returncode}):\n{output}")
    return Run(_outcomes(report), output)


def _outcomes(report: Path) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        found = _VARIANT.search(case.get("name", ""))
        if found is None:
            continue
        outcome = outcomes.setdefault(found.group(1), Outcome())
        bad = [child for child in case if child.tag in ("failure", "error")]
        if bad:
            for child in bad:
                outcome.failures.append(
                    f"{case.get('name')}: {child.get('message', '')}\n{child.text or ''}"
                )
        elif not any(child.tag == "skipped" for child in case):
            outcome.passed += 1
    return outcomes


def test_clean_implementation_passes_the_whole_suite(planted_run: Run) -> None:
    outcome = planted_run.outcomes.get("clean", Outcome())
    assert outcome.passed, f"no test ran against the clean implementation:\n{planted_run.tail()}"
    assert not outcome.failures, "false alarms on the clean implementation:\n\n" + "\n\n".join(
        failure[:3000] for failure in outcome.failures
    )


@pytest.mark.parametrize("variant", [name for name in VARIANTS if name != "clean"])
def test_planted_bug_is_caught(
    request: pytest.FixtureRequest, planted_run: Run, variant: str
) -> None:
    chosen = selected_specs(request.config)
    if not set(VARIANTS[variant].specs) & set(chosen):
        pytest.skip(f"--spec leaves out {VARIANTS[variant].specs}")
    outcome = planted_run.outcomes.get(variant, Outcome())
    expected = VARIANTS[variant].caught_by
    assert outcome.failures, (
        f"the suite missed the planted bug {variant!r} ({VARIANTS[variant].description})"
    )
    assert any(marker in failure for failure in outcome.failures for marker in expected), (
        f"{variant!r} failed, but not by {expected}:\n\n"
        + "\n\n".join(f[:2000] for f in outcome.failures)
    )
