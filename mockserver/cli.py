"""``python -m mockserver``: serve every spec of ``specs/`` on one origin.

A bad option or a spec that cannot be served is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from generator.errors import SpecpactError
from mockserver.errors import MockConfigError
from mockserver.settings import Settings

__all__ = ["main", "parse_settings"]

_DESCRIPTION = """\
Serve every OpenAPI spec in specs/ as one mock server, at the vendors' own paths.

Answers replay the documented examples (by default the lowest 2xx answer, its first example).
Pick another one as with Prism: the header `Prefer: code=409, example=TaskNameTaken,
dynamic=true, delay=500` or the query parameters __code, __example, __dynamic, __delay.
Every request is checked by the generated validators (x-rules included); a rejected request
gets the operation's documented error in the vendor's envelope (x-validation-errors), or a
problem+json 400 where the operation documents none. Created records appear in later answers
(x-state, x-echo). Every answer is checked against its spec; one that breaks it is logged and
flagged with the header x-mock-response-violations.

Mock endpoints: GET /__mock/ (what is served), POST /__mock/reset (forget the state),
GET /__mock/docs/<spec>/ui/ (Swagger UI of a spec).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a TCP port (0-65535)")
    return value


def _parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = _Parser(
        prog="python -m mockserver",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve = parser.add_argument_group("serving")
    serve.add_argument("--host", default=defaults.host, help="interface to listen on (%(default)s)")
    serve.add_argument("--port", type=_port, default=defaults.port, help="TCP port (%(default)s)")
    serve.add_argument(
        "--spec",
        dest="specs",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="serve this spec (repeatable; default: every spec in --specs-dir)",
    )
    serve.add_argument(
        "--specs-dir",
        type=Path,
        default=defaults.specs_dir,
        metavar="DIR",
        help="where the specs are (%(default)s)",
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="worker processes (needs --state FILE to share state; default 1)",
    )
    serve.add_argument(
        "--reload",
        action="store_true",
        help="watch the specs; rebuild on change, keep the last good spec "
        "serving when an edit breaks it",
    )
    serve.add_argument(
        "--check",
        action="store_true",
        help="load every spec and its validators, print what would be served, and exit",
    )
    answers = parser.add_argument_group("answers")
    answers.add_argument(
        "--dynamic",
        action="store_true",
        help="generate answers from the schemas instead of replaying examples",
    )
    answers.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of dynamic answers and fresh ids (reproducible runs)",
    )
    answers.add_argument(
        "--delay",
        type=_positive,
        default=0,
        metavar="MS",
        help="add this latency to every answer (Prefer: delay=MS per request)",
    )
    answers.add_argument(
        "--no-state",
        action="store_true",
        help="ignore x-state: nothing is stored, lists replay their examples",
    )
    answers.add_argument(
        "--state",
        dest="state_file",
        type=Path,
        default=None,
        metavar="FILE",
        help="keep the state in this SQLite file (across restarts and workers)",
    )
    answers.add_argument(
        "--state-limit",
        type=_positive,
        default=defaults.state_limit,
        metavar="N",
        help="records kept per resource, oldest dropped first (%(default)s)",
    )
    checks = parser.add_argument_group("checks")
    checks.add_argument(
        "--no-request-validation", action="store_true", help="accept every request (no validation)"
    )
    checks.add_argument(
        "--no-response-validation",
        action="store_true",
        help="do not check answers against the specs",
    )
    checks.add_argument(
        "--max-body",
        type=_positive,
        default=defaults.max_body,
        metavar="BYTES",
        help="largest request body accepted (%(default)s)",
    )
    checks.add_argument(
        "--max-depth",
        type=_positive,
        default=defaults.max_depth,
        metavar="N",
        help="deepest JSON nesting accepted (%(default)s)",
    )
    http = parser.add_argument_group("browser and logs")
    http.add_argument("--no-cors", action="store_true", help="send no CORS headers")
    http.add_argument(
        "--cors-origin",
        dest="cors_origins",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allowed origin (repeatable; default: any)",
    )
    http.add_argument("--no-docs", action="store_true", help="no Swagger UI")
    http.add_argument("--quiet", action="store_true", help="no log line per request")
    http.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="(%(default)s)",
    )
    return parser


def parse_settings(argv: Sequence[str]) -> tuple[Settings, bool]:
    """The settings of a command line, and whether it asks for ``--check`` only."""
    args = _parser().parse_args(list(argv))
    settings = Settings(
        specs=tuple(args.specs),
        specs_dir=args.specs_dir,
        host=args.host,
        port=args.port,
        seed=args.seed,
        dynamic=args.dynamic,
        state=not args.no_state,
        state_file=args.state_file,
        state_limit=max(1, args.state_limit),
        validate_requests=not args.no_request_validation,
        validate_responses=not args.no_response_validation,
        max_body=args.max_body,
        max_depth=max(1, args.max_depth),
        delay_ms=args.delay,
        cors=not args.no_cors,
        cors_origins=tuple(args.cors_origins) or ("*",),
        docs=not args.no_docs,
        quiet=args.quiet,
        reload=args.reload,
        workers=max(1, args.workers),
        log_level=args.log_level,
    )
    return settings, args.check


def _check_options(settings: Settings) -> None:
    for path in settings.specs:
        if not path.is_file():
            raise MockConfigError(f"{path}: /: no such spec file")
    if not settings.spec_paths():
        raise MockConfigError(f"{settings.specs_dir}: no spec files (*.yaml, *.json)")
    if settings.workers > 1 and settings.state and settings.state_file is None:
        raise MockConfigError(
            "--workers > 1 cannot share in-memory state: add --state FILE (or --no-state)"
        )
    if settings.workers > 1 and settings.reload:
        raise MockConfigError("--reload works with one worker only")


# Optional extras that Connexion and httpx import when they are installed (Flask support, httpx's
# command line): the mock server uses neither, and importing them is ~0.13 s of its startup.
_UNUSED_EXTRAS = ("flask", "httpx._main")


@contextlib.contextmanager
def _without(names: Sequence[str]) -> Iterator[None]:
    """Import as if the packages ``names`` (those not imported yet) were not installed."""
    blocked = [name for name in names if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def _import_app() -> None:
    """Import the app (and Connexion) without the extras it does not use."""
    try:
        with _without(_UNUSED_EXTRAS):
            importlib.import_module("mockserver.app")
    except ImportError:  # pragma: no cover - a release that needs them after all
        importlib.import_module("mockserver.app")


def main(argv: Sequence[str] | None = None) -> int:
    settings, check_only = parse_settings(sys.argv[1:] if argv is None else argv)
    _import_app()
    from mockserver.app import create_app
    from mockserver.logs import configure

    configure(settings.log_level)
    try:
        _check_options(settings)
        app = create_app(settings)
    except (SpecpactError, OSError) as exc:
        print(f"python -m mockserver: {exc}", file=sys.stderr)
        return 2
    served = ", ".join(f"{s.name} ({len(s.spec.operations)} operations)" for s in app.mock.served)
    if check_only:
        print(f"ok: {served}")
        return 0
    base = f"http://{settings.host}:{settings.port}"
    print(f"mock server: {served}\n  on {base}  (what is served: {base}/__mock/)", file=sys.stderr)
    import gc

    import uvicorn

    from mockserver.transport import CoalescingHTTPProtocol

    gc.freeze()  # what startup built lives as long as the server: keep it out of collections
    # No Server header, no X-Forwarded-* rewriting (the mock reads neither); each connection's
    # writes leave once per pass of the event loop (`mockserver.transport`).
    server: dict[str, Any] = {
        "http": CoalescingHTTPProtocol,
        "server_header": False,
        "proxy_headers": False,
    }

    if settings.workers > 1:
        os.environ["SPECPACT_MOCK_SETTINGS"] = settings.to_json()
        app.store.close()
        uvicorn.run(
            "mockserver.app:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            access_log=False,
            log_level="warning",
            **server,
        )
    else:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            access_log=False,
            log_level="warning",
            **server,
        )
    return 0
