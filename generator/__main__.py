"""Command line.

``python -m generator [--check] [SPEC ...]``
    Generate ``validators/<spec>.py`` for every spec in ``specs/`` (or the given ones).
    ``--check`` writes nothing and exits 1, naming each stale, missing or orphaned file.
``python -m generator lint [SPEC ...]``
    Check the specs; one ``file: pointer: reason`` line per finding, exit 1 if any.

A spec that cannot be compiled is one ``file: pointer: reason`` line and exit code 2, as is
bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.errors import SpecError

__all__ = ["main"]

_COMMANDS = ("generate", "lint")


def _spec_files(arguments: list[Path], specs_dir: Path) -> list[Path]:
    if arguments:
        return arguments
    return sorted(specs_dir.glob("*.yaml")) + sorted(specs_dir.glob("*.json"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description=(
            "Generate the validator modules of the OpenAPI specs (default command), "
            "or lint the specs."
        ),
        epilog="Without a command, `generate` runs: `python -m generator --check` is "
        "`python -m generator generate --check`.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    generate = commands.add_parser(
        "generate",
        help="write validators/<spec>.py for every spec (the default)",
        description="Compile every spec into validators/<spec>.py (one module per spec).",
    )
    generate.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each file that is stale, missing or orphaned",
    )
    generate.add_argument(
        "--out", type=Path, default=Path("validators"), help="output directory (validators)"
    )
    lint = commands.add_parser(
        "lint",
        help="check every spec: OpenAPI 3.0.3, $refs, examples, x-rules, x-state",
        description="Check the specs; print one `file: pointer: reason` line per finding.",
    )
    for sub in (generate, lint):
        sub.add_argument(
            "specs", nargs="*", type=Path, help="spec files (default: every spec in --specs-dir)"
        )
        sub.add_argument("--specs-dir", type=Path, default=Path("specs"), help="default: specs")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in (*_COMMANDS, "-h", "--help"):
        arguments.insert(0, "generate")
    args = _parser().parse_args(arguments)

    paths = _spec_files(args.specs, args.specs_dir)
    if not paths:
        print(f"{args.specs_dir}: no spec files (*.yaml, *.json)", file=sys.stderr)
        return 2
    missing = [path for path in paths if not path.is_file()]
    if missing:
        for path in missing:
            print(f"{path}: /: no such file", file=sys.stderr)
        return 2
    if args.command == "lint":
        return _lint(paths)
    return _generate(paths, args.out, check_only=args.check, complete=not args.specs)


def _lint(paths: list[Path]) -> int:
    from generator.lint import lint_paths

    findings = lint_paths(paths)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} finding(s) in {len(paths)} spec(s)", file=sys.stderr)
        return 1
    print(f"{len(paths)} spec(s) clean", file=sys.stderr)
    return 0


def _generate(paths: list[Path], out: Path, *, check_only: bool, complete: bool) -> int:
    from generator.regenerate import check, plan, write

    started = time.perf_counter()
    try:
        planned = plan(paths, complete=complete)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    if check_only:
        problems = check(planned, out)
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} file(s) out of date in {out}/", file=sys.stderr)
            return 1
        print(f"{out}/ is up to date with {len(paths)} spec(s)", file=sys.stderr)
        return 0
    touched = write(planned, out)
    elapsed = time.perf_counter() - started
    for path in touched:
        print(f"{'wrote' if path.exists() else 'removed'} {path}", file=sys.stderr)
    print(
        f"{len(paths)} spec(s) -> {out}/ ({len(touched)} file(s) changed, {elapsed:.2f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
