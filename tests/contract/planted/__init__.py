"""A small, independent implementation of the four APIs, with planted contract violations.

The self-test (`tests/contract/test_planted.py`) runs the contract suite against ``clean``
(no failure allowed) and against every bug (a failure of the named kind required). Each bug
is one variant, selected by name; ``specs`` and ``operations`` narrow the suite's run to where
the bug lives (an empty ``operations``: every operation of those specs), ``caught_by`` lists
the texts of which the failure report must contain one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.contract._contract import SPEC_NAMES

__all__ = ["VARIANTS", "Variant", "create_app"]


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    specs: tuple[str, ...]
    operations: tuple[str, ...] = ()
    caught_by: tuple[str, ...] = ()
    stateful: bool = False


SCHEMA = ("Response violates schema", "generated_validators")
ENVELOPE = ("vendor_error_envelope",)
STATE = ("x_state_rules",)

VARIANTS = {
    variant.name: variant
    for variant in (
        Variant("clean", "no bug: the whole suite must pass", SPEC_NAMES),
        Variant(
            "wrong-type",
            "IVC create answers Data.Expiration as a string",
            ("tencent-ivc",),
            ("createRetrieveTask",),
            SCHEMA,
        ),
        Variant(
            "missing-field",
            "VCS create answers Data without taskId",
            ("vcs-compute",),
            ("createComputeTask",),
            SCHEMA,
        ),
        Variant(
            "out-of-enum",
            "JD answers error.status BAD_ARGUMENT (not INVALID_ARGUMENT)",
            ("jdcloud-live",),
            ("addLiveRecordTask",),
            SCHEMA,
        ),
        Variant(
            "unvalidated-input",
            "IVC create accepts Expiration above 365",
            ("tencent-ivc",),
            ("createRetrieveTask",),
            ENVELOPE,
        ),
        Variant(
            "unvalidated-rule",
            "Tencent accepts EndTime 7 days or more from now (HTTP 200 without Response.Error)",
            ("tencent-live",),
            ("createRecordTask",),
            ENVELOPE,
        ),
        Variant(
            "valid-rejected",
            "VCS refuses description: null, which the spec allows",
            ("vcs-compute",),
            ("createComputeTask",),
            ENVELOPE,
        ),
        Variant(
            "server-error",
            "JD answers 500 to ten segments (the documented maximum)",
            ("jdcloud-live",),
            ("addLiveRecordTask",),
            ("Server error", *ENVELOPE),
        ),
        Variant(
            "wrong-content-type",
            "VCS getComputeTasks answers text/plain",
            ("vcs-compute",),
            ("getComputeTasks",),
            ("Undocumented Content-Type", "generated_validators"),
        ),
        Variant(
            "wrong-status",
            "IVC refuses invalid requests with HTTP 422 (undeclared)",
            ("tencent-ivc",),
            ("createRetrieveTask",),
            ("Undocumented HTTP status code", "generated_validators"),
        ),
        Variant(
            "tencent-http-error",
            "Tencent answers errors with HTTP 400, not API 3.0's 200",
            ("tencent-live",),
            ("createRecordTask",),
            ("Undocumented HTTP status code", "generated_validators"),
        ),
        Variant(
            "state-list",
            "IVC list never shows the created tasks",
            ("tencent-ivc",),
            ("createRetrieveTask", "listRetrieveTasks"),
            STATE,
            stateful=True,
        ),
        Variant(
            "state-unique",
            "IVC accepts a TaskName that is taken",
            ("tencent-ivc",),
            ("createRetrieveTask",),
            STATE,
        ),
        Variant(
            "state-lookup",
            "VCS start answers TaskNotFound for existing tasks",
            ("vcs-compute",),
            ("startComputeTask",),
            STATE,
        ),
        Variant(
            "state-status",
            "VCS start does not set taskStatus ONLINED",
            ("vcs-compute",),
            ("startComputeTask",),
            STATE,
        ),
    )
}


def create_app(variant: str) -> Any:
    """The planted implementation as an ASGI app, with ``variant``'s bug."""
    from tests.contract.planted.app import build

    if variant not in VARIANTS:
        raise KeyError(f"no planted variant {variant!r}; known: {list(VARIANTS)}")
    return build(variant)
