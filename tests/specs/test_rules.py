"""The x-rules hold on the documented examples and fail on a violating variant, rule by rule.

Evaluated with the reference CEL interpreter (cel-python). The generated validators get their
own differential tests against this reference with the generator.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.model import Rule
from generator.rules import check_rules

from ._support import spec

IVC = "/components/schemas/CreateRetrieveTaskRequest/x-rules"
JD_REQUEST = "/components/schemas/AddLiveRecordTaskRequest/x-rules"
JD_SEGMENT = "/components/schemas/RecordTime/x-rules"
LIVE = "/components/schemas/CreateRecordTaskRequest/x-rules"
CST_DAY = 1662048000  # 2022-09-02 00:00:00 +08:00


def rules_at(spec_name: str, pointer: str) -> tuple[Rule, ...]:
    from generator.parse import parse_rules
    from generator.resolver import resolve_pointer

    the_spec = spec(spec_name)
    value = resolve_pointer(the_spec.document, pointer)
    return parse_rules(value, str(the_spec.file), pointer)


def failing(spec_name: str, pointer: str, instance: Any, now: int = 0) -> set[str]:
    rules = rules_at(spec_name, pointer)
    found = check_rules(rules, instance, now=now, file=spec_name)
    return {failure.rule.pointer for failure in found}


IVC_OK = {"StartTime": CST_DAY, "EndTime": CST_DAY + 86399}


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        ({}, set()),
        ({"EndTime": CST_DAY}, {f"{IVC}/0"}),  # EndTime > StartTime
        ({"EndTime": CST_DAY - 1}, {f"{IVC}/0", f"{IVC}/2"}),
        ({"EndTime": CST_DAY + 86400}, {f"{IVC}/2"}),  # crosses midnight CST
        ({"StartTime": CST_DAY - 3600, "EndTime": CST_DAY + 3600}, {f"{IVC}/2"}),
        ({"StartTime": CST_DAY - 86400, "EndTime": CST_DAY + 1}, {f"{IVC}/1", f"{IVC}/2"}),
        # 23:00 UTC on one day and 01:00 UTC the next are the same CST day (07:00 and 09:00)
        ({"StartTime": CST_DAY + 7 * 3600, "EndTime": CST_DAY + 9 * 3600}, set()),
        # 15:00 and 17:00 UTC on one UTC day are 23:00 and 01:00 CST: two CST days
        ({"StartTime": CST_DAY - 9 * 3600, "EndTime": CST_DAY + 3600}, {f"{IVC}/2"}),
    ],
)
def test_ivc_interval_rules(change: dict[str, int], broken: set[str]) -> None:
    assert failing("tencent-ivc", IVC, {**IVC_OK, **change}) == broken


def _segments(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"recordTimes": [{"startTime": a, "endTime": b} for a, b in pairs]}


@pytest.mark.parametrize(
    ("segments", "broken"),
    [
        ([("2018-10-21T10:00:00Z", "2018-10-21T10:00:10Z")], set()),  # exactly 10 s
        ([("2018-10-21T10:00:00Z", "2018-10-21T10:00:09Z")], {f"{JD_REQUEST}/0"}),
        ([("2018-10-21T10:00:00Z", "2018-10-21T18:00:00Z")], set()),  # exactly 8 h
        ([("2018-10-21T10:00:00Z", "2018-10-21T18:00:01Z")], {f"{JD_REQUEST}/1"}),
        # the span runs from the earliest start to the latest end, across segments
        (
            [("2018-10-21T10:00:00Z", "2018-10-21T10:00:05Z"),
             ("2018-10-21T10:00:06Z", "2018-10-21T10:00:10Z")],
            set(),
        ),
        (
            [("2018-10-21T10:00:00Z", "2018-10-21T10:05:00Z"),
             ("2018-10-21T17:59:00Z", "2018-10-21T18:00:01Z")],
            {f"{JD_REQUEST}/1"},
        ),
    ],
)  # fmt: skip
def test_jd_span_rules(segments: list[tuple[str, str]], broken: set[str]) -> None:
    assert failing("jdcloud-live", JD_REQUEST, _segments(*segments)) == broken


@pytest.mark.parametrize(
    ("start", "end", "holds"),
    [
        ("2018-10-21T10:00:00Z", "2018-10-21T10:00:01Z", True),
        ("2018-10-21T10:00:00Z", "2018-10-21T10:00:00Z", False),
        ("2018-10-21T10:00:01Z", "2018-10-21T10:00:00Z", False),
    ],
)
def test_jd_segment_rule(start: str, end: str, holds: bool) -> None:
    broken = failing("jdcloud-live", JD_SEGMENT, {"startTime": start, "endTime": end})
    assert broken == (set() if holds else {f"{JD_SEGMENT}/0"})


NOW = 1_700_000_000
DAY, WEEK = 86_400, 604_800


@pytest.mark.parametrize(
    ("request_", "broken"),
    [
        ({"StartTime": NOW, "EndTime": NOW + 3600}, set()),
        ({"EndTime": NOW + 3600}, set()),  # no StartTime: starts now
        ({"StartTime": NOW + 10, "EndTime": NOW + 10}, {f"{LIVE}/0"}),
        ({"StartTime": NOW - 20, "EndTime": NOW - 10}, {f"{LIVE}/1"}),
        ({"EndTime": NOW}, {f"{LIVE}/1"}),  # must be later than now
        ({"StartTime": NOW + WEEK - 100, "EndTime": NOW + WEEK}, {f"{LIVE}/2"}),
        ({"StartTime": NOW + WEEK - 101, "EndTime": NOW + WEEK - 1}, set()),
        ({"StartTime": NOW + 10, "EndTime": NOW + 10 + DAY}, set()),  # exactly 24 h
        ({"StartTime": NOW + 10, "EndTime": NOW + 11 + DAY}, {f"{LIVE}/3"}),
        ({"EndTime": NOW + DAY + 1}, {f"{LIVE}/4"}),
    ],
)
def test_tencent_time_rules(request_: dict[str, int], broken: set[str]) -> None:
    body = {"StreamName": "s", "DomainName": "d", "AppName": "a", **request_}
    assert failing("tencent-live", LIVE, body, now=NOW) == broken


def test_tencent_query_form_has_the_same_rules_as_the_body() -> None:
    query_rules = spec("tencent-live").operation("createRecordTaskByQuery").rules
    body_rules = rules_at("tencent-live", LIVE)
    assert [r.rule.replace("self.query.", "self.") for r in query_rules] == [
        r.rule for r in body_rules
    ]
    cases = [{"EndTime": NOW + 3600}, {"EndTime": NOW}, {"StartTime": NOW + 5, "EndTime": NOW + 1}]
    for case in cases:
        by_body = {f.rule.message for f in check_rules(body_rules, case, now=NOW, file="-")}
        as_query = {"query": case, "path": {}, "header": {}, "cookie": {}}
        by_query = {f.rule.message for f in check_rules(query_rules, as_query, now=NOW, file="-")}
        assert by_body == by_query


@pytest.mark.parametrize("field", ["publishDomain", "appName", "streamName"])
def test_jd_path_parameters_repeated_in_the_body_must_match(field: str) -> None:
    op = spec("jdcloud-live").operation("addLiveRecordTask")
    path = {"publishDomain": "push.example.com", "appName": "app", "streamName": "s"}
    request = {"path": path, "query": {}, "header": {}, "cookie": {}, "body": dict(path)}
    assert check_rules(op.rules, request, now=0, file="-") == []
    del request["body"][field]
    assert check_rules(op.rules, request, now=0, file="-") == []
    mismatched = copy.deepcopy(request)
    mismatched["body"][field] = "other"
    assert [f.instance_pointer for f in check_rules(op.rules, mismatched, now=0, file="-")] == [
        f"/body/{field}"
    ]
