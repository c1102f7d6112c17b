"""Logging: one line per request, and loud warnings for answers that break their spec.

``POST /ivc/record/retrievetask/add createRetrieveTask 200 example=documented violations=0
1.2ms`` — method, path, operationId, status, the example the answer was built from, how many
violations the request had, and the time taken.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["access_line", "configure", "logger"]

logger = logging.getLogger("mockserver")
access = logging.getLogger("mockserver.access")


def configure(level: str = "info") -> None:
    """Send the mock's logs to stderr, one line each (idempotent)."""
    if any(getattr(handler, "_mockserver", False) for handler in logger.handlers):
        logger.setLevel(level.upper())
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    handler._mockserver = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


def access_line(
    method: str,
    path: str,
    operation_id: str,
    status: int,
    example: str | None,
    violations: int,
    millis: float,
    response_violations: int = 0,
) -> str:
    """The log line of one request.

    >>> access_line("GET", "/x", "listX", 200, "documented", 0, 1.234)
    'GET /x listX 200 example=documented violations=0 1.2ms'
    """
    line = (
        f"{method} {path} {operation_id} {status} example={example or '-'} "
        f"violations={violations} {millis:.1f}ms"
    )
    if response_violations:
        line += f" RESPONSE-VIOLATIONS={response_violations}"
    return line
