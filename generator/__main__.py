"""Command line: ``python -m generator lint [SPEC ...]``.

Exit codes: 0 clean, 1 findings (a spec that cannot be loaded is one), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.lint import lint_paths

__all__ = ["main"]


def _spec_files(arguments: list[str], specs_dir: Path) -> list[Path]:
    if arguments:
        return [Path(argument) for argument in arguments]
    return sorted(specs_dir.glob("*.yaml")) + sorted(specs_dir.glob("*.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Lint the OpenAPI specs (and, later, generate their validators).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    lint = commands.add_parser(
        "lint",
        help="check every spec: OpenAPI 3.0.3, $refs, examples, x-rules, x-state",
        description="Check the specs; print one `file: pointer: reason` line per finding.",
    )
    lint.add_argument("specs", nargs="*", help="spec files (default: every spec in --specs-dir)")
    lint.add_argument("--specs-dir", type=Path, default=Path("specs"), help="default: ./specs")
    args = parser.parse_args(argv)

    paths = _spec_files(args.specs, args.specs_dir)
    if not paths:
        print(f"{args.specs_dir}: no spec files (*.yaml, *.json)", file=sys.stderr)
        return 2
    missing = [path for path in paths if not path.is_file()]
    if missing:
        for path in missing:
            print(f"{path}: /: no such file", file=sys.stderr)
        return 2
    findings = lint_paths(paths)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} finding(s) in {len(paths)} spec(s)", file=sys.stderr)
        return 1
    print(f"{len(paths)} spec(s) clean", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
