"""The benchmark payloads: request bodies built from the specs' ``documented`` examples.

Every case names its operation, its body and whether the body is valid. Invalid bodies break
exactly one JSON Schema constraint (never only an ``x-rules`` rule: the jsonschema family cannot
express those), so every contender must reject them.

>>> [case.name for case in cases()][:2]
['ivc-1', 'ivc-32']
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from generator.model import Operation, Spec
from generator.parse import load_spec

__all__ = ["ROOT", "SPECS", "Case", "Target", "cases", "spec", "target"]

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"


@cache
def spec(name: str) -> Spec:
    """The parsed spec ``specs/<name>.yaml``."""
    return load_spec(SPECS / f"{name}.yaml")


@dataclass(frozen=True, slots=True)
class Target:
    """An operation whose JSON request body is validated, and its documented path parameters."""

    spec: str
    operation_id: str
    path_params: tuple[tuple[str, str], ...] = ()

    @property
    def operation(self) -> Operation:
        return spec(self.spec).operation(self.operation_id)

    @property
    def schema_pointer(self) -> str:
        """JSON pointer of the request body schema (``application/json``) in the document."""
        body = self.operation.request_body
        assert body is not None, f"{self.operation_id} has no request body"
        return body.content[0].schema_pointer

    def example(self, name: str = "documented") -> Any:
        """A deep copy of the request body example ``name``."""
        body = self.operation.request_body
        assert body is not None
        for candidate in body.content[0].examples:
            if candidate.name == name:
                return copy.deepcopy(candidate.value)
        raise KeyError(f"{self.operation_id} has no body example {name!r}")

    def url_path(self) -> str:
        path = self.operation.path
        for name, value in self.path_params:
            path = path.replace("{" + name + "}", value)
        return path


@cache
def target(spec_name: str, operation_id: str) -> Target:
    """The `Target` for an operation, with the ``documented`` examples of its path parameters."""
    op = spec(spec_name).operation(operation_id)
    params = tuple(
        (p.name, str(example.value))
        for p in op.parameters
        if p.location == "path"
        for example in p.examples
        if example.name == "documented"
    )
    return Target(spec_name, operation_id, params)


@dataclass(frozen=True, slots=True)
class Case:
    """One payload: ``name`` (``ivc-32/bad-type-last``), its operation and expected verdict."""

    name: str
    target: Target
    body: Any
    valid: bool
    what: str

    @property
    def text(self) -> str:
        """The body as a client sends it (``json.dumps`` with its default separators)."""
        return json.dumps(self.body)

    @property
    def size(self) -> int:
        """Bytes of `text`."""
        return len(self.text.encode())


def _ivc(channels: int) -> dict[str, Any]:
    """IVC createRetrieveTask: the documented body with ``channels`` channels.

    The document's channels have empty IDs; ours have short ones, so that 32 channels make the
    1.7 KB body the issue quotes its reference figures for.
    """
    body: dict[str, Any] = target("tencent-ivc", "createRetrieveTask").example()
    body["Channels"] = [
        {"DeviceId": f"D{i:05d}", "ChannelId": f"D{i:05d}C1"} for i in range(channels)
    ]
    return body


_HALF_HOUR = timedelta(minutes=30)
_CLIP = timedelta(minutes=5)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _jd(segments: int) -> dict[str, Any]:
    """JD addLiveRecordTask: the documented body with ``segments`` 5-minute clips, 30 min apart."""
    body: dict[str, Any] = target("jdcloud-live", "addLiveRecordTask").example()
    start = datetime(2018, 10, 21, 10, 0, tzinfo=UTC)
    body["recordTimes"] = [
        {"startTime": _utc(start + i * _HALF_HOUR), "endTime": _utc(start + i * _HALF_HOUR + _CLIP)}
        for i in range(segments)
    ]
    return body


def _vcs() -> dict[str, Any]:
    """VCS createComputeTask: the documented (repaired) body."""
    body: dict[str, Any] = target("vcs-compute", "createComputeTask").example()
    return body


def cases() -> list[Case]:
    """Every benchmark case, valid ones first per operation."""
    ivc = target("tencent-ivc", "createRetrieveTask")
    jd = target("jdcloud-live", "addLiveRecordTask")
    vcs = target("vcs-compute", "createComputeTask")

    long_name = _ivc(1)
    long_name["TaskName"] = "n" * 33
    bad_last = _ivc(32)
    bad_last["Channels"][-1]["ChannelId"] = 34020000001310000001
    missing = _ivc(32)
    del missing["Expiration"]
    bad_zone = _jd(10)
    bad_zone["recordTimes"][-1]["endTime"] = "2018-10-21T18:35:00+08:00"
    duplicate = _vcs()
    duplicate["algorithms"][0]["models"].append("face")

    return [
        Case("ivc-1", ivc, _ivc(1), True, "documented body, 1 channel"),
        Case("ivc-32", ivc, _ivc(32), True, "32 channels (the maximum)"),
        Case("jd-10", jd, _jd(10), True, "10 segments (the maximum)"),
        Case("vcs", vcs, _vcs(), True, "documented body"),
        Case("ivc-1/long-name", ivc, long_name, False, "TaskName of 33 characters (max 32)"),
        Case("ivc-32/bad-type-last", ivc, bad_last, False, "last channel's ChannelId a number"),
        Case("ivc-32/missing", ivc, missing, False, "required Expiration missing"),
        Case("jd-10/bad-zone-last", jd, bad_zone, False, "last endTime with +08:00, not Z"),
        Case("vcs/duplicate-model", vcs, duplicate, False, "models not unique"),
    ]
