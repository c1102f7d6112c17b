"""Is a sent request valid? The generated validators decide, over the clock of the exchange.

Time rules (``now``) are judged at the first and last second the server could have read its
clock, widened by the allowed clock skew: a request valid at every one of them is valid, one
invalid at every one is invalid, anything else is *undecided* and no check judges it (only
requests at a rule's exact boundary land there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.model import Operation
from tests.contract._contract import Contract
from tests.contract._wire import sent_request

__all__ = ["Verdict", "judge"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """``valid``: True, False, or None (undecided); the reasons an invalid request is so."""

    valid: bool | None
    reasons: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def invalid(self) -> bool:
        return self.valid is False


def judge(
    contract: Contract, operation: Operation, prepared: Any, *, clock: tuple[int, int]
) -> Verdict:
    """The verdict on the request ``prepared`` (as sent) for ``operation``.

    ``clock``: the earliest and latest Unix second the server may have judged it at.
    """
    sent = sent_request(operation, prepared)
    if sent.request is None:
        return Verdict(False, (sent.unreadable or "unreadable",))
    validator = contract.validator(operation)
    first, last = clock
    instants = sorted({first, (first + last) // 2, last})
    results = [validator.validate_request(sent.request, now=instant) for instant in instants]
    outcomes = {result.ok for result in results}
    if outcomes == {True}:
        return Verdict(True, (), results[0].values)
    reasons = tuple(
        f"{violation.pointer or '/'}: {violation.message}"
        for violation in next(result for result in results if not result.ok).violations
    )
    if outcomes == {False}:
        return Verdict(False, reasons, results[0].values)
    return Verdict(None, reasons, results[0].values)
