"""How many positive cases of each operation reached a success, per target.

A *positive* case is one Schemathesis generated to match the schema (``GenerationMode``
positive, in any phase). It *reached success* when the answer was 2xx and not an error in the
vendor's envelope (a Tencent HTTP 200 carrying ``Response.Error`` is a failure).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

__all__ = ["Stats", "Tally"]


@dataclass
class Tally:
    positive: int = 0
    success: int = 0
    negative: int = 0
    rejected: int = 0

    @property
    def share(self) -> float:
        return self.success / self.positive if self.positive else 1.0


class Stats:
    """Tallies by (target, spec, operation label)."""

    def __init__(self) -> None:
        self.tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)

    def count(self, target: str, spec: str, label: str, *, positive: bool, success: bool) -> None:
        tally = self.tallies[(target, spec, label)]
        if positive:
            tally.positive += 1
            tally.success += success
        else:
            tally.negative += 1
            tally.rejected += not success

    def tally(self, target: str, spec: str, label: str) -> Tally:
        return self.tallies.get((target, spec, label), Tally())

    def lines(self) -> list[str]:
        """The summary table, one line per operation."""
        if not self.tallies:
            return []
        rows = [("target", "spec", "operation", "positive→2xx", "share", "negative→rejected")]
        for (target, spec, label), tally in sorted(self.tallies.items()):
            rows.append(
                (
                    target,
                    spec,
                    label,
                    f"{tally.success}/{tally.positive}",
                    f"{tally.share:.0%}",
                    f"{tally.rejected}/{tally.negative}",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]


STATS = Stats()
