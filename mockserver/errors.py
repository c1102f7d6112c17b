"""The mock's own answers (RFC 9457 problem+json) and its one startup error.

The mock answers problem+json where no spec speaks: an unknown route, an answer the caller
asked for that is not documented, a rejected request of an operation that documents no error
for it. A spec the mock cannot serve is a `generator.errors.SpecError` (``file: pointer:
reason``); `MockConfigError` is a bad combination of options. Both end the command line with
one line and exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from generator.errors import SpecpactError
from generator.runtime import Violation
from mockserver._json import dumps

__all__ = ["PROBLEM_JSON", "MockConfigError", "Problem", "violation_list"]

PROBLEM_JSON = "application/problem+json"


class MockConfigError(SpecpactError):
    """Options that cannot work together (e.g. several workers sharing in-memory state)."""


def violation_list(violations: Iterable[Violation]) -> list[dict[str, str]]:
    """Violations as JSON: where (pointer), which keyword, the message, the schema pointer."""
    return [
        {
            "pointer": violation.pointer,
            "keyword": violation.keyword,
            "message": violation.message,
            "schemaPointer": violation.schema_pointer,
        }
        for violation in violations
    ]


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem+json answer.

    >>> Problem(404, "no route GET /x").body()[:38]
    b'{"type":"about:blank","title":"Not Fou'
    """

    status: int
    detail: str
    extra: tuple[tuple[str, Any], ...] = ()

    def body(self) -> bytes:
        document: dict[str, Any] = {
            "type": "about:blank",
            "title": HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": self.detail,
        }
        document.update(self.extra)
        return dumps(document)
