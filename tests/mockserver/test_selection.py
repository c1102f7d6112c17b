"""Prism-compatible selection: Prefer header, __ query fallback, 404 naming what exists."""

from __future__ import annotations

import json

import pytest

from mockserver.selection import Preference, parse_prefer, preference, strip_controls
from tests.conftest import SPECS

LIST = "/ivc/record/retrievetasklsit/query"


def documented(spec: str, pointer: tuple[str, ...]) -> object:
    from generator.parse import load_spec

    document = load_spec(SPECS / f"{spec}.yaml").document
    node: object = document
    for token in pointer:
        node = node[token]  # type: ignore[index]
    return node


def test_parse_prefer_follows_rfc_7240() -> None:
    assert parse_prefer('Code=409; q=1, example="Task, Taken", dynamic') == {
        "code": "409",
        "example": "Task, Taken",
        "dynamic": "",
    }


def test_header_wins_over_query_fallback() -> None:
    wish = preference("code=500", [("__code", "200"), ("__example", "empty"), ("x", "1")])
    assert wish == Preference(code="500", example="empty")
    assert strip_controls([("__code", "1"), ("x", "1")]) == [("x", "1")]


def test_no_preference_is_not_forced() -> None:
    assert not preference(None, [("a", "b")]).forced


def test_default_is_lowest_2xx_first_example(make_client) -> None:
    client = make_client(state=False)
    answer = client.get(LIST)
    assert answer.status_code == 200
    expected = documented(
        "tencent-ivc",
        (
            "paths",
            LIST,
            "get",
            "responses",
            "200",
            "content",
            "application/json",
            "examples",
            "documented",
            "value",
        ),
    )
    assert answer.json() == expected
    assert answer.headers["x-mock-example"] == "documented"


@pytest.mark.parametrize(
    ("how", "status", "example"),
    [
        ({"headers": {"Prefer": "example=empty"}}, 200, "empty"),
        ({"params": {"__example": "empty"}}, 200, "empty"),
        ({"headers": {"Prefer": "code=500"}}, 500, "InternalError"),
        ({"params": {"__code": "500"}}, 500, "InternalError"),
        ({"headers": {"Prefer": "code=500, example=InternalError"}}, 500, "InternalError"),
        ({"headers": {"Prefer": "code=200"}, "params": {"__code": "500"}}, 200, "documented"),
    ],
)
def test_prefer_and_query_pick_a_documented_answer(client, how, status, example) -> None:
    answer = client.get(LIST, **how)
    assert answer.status_code == status
    assert answer.headers["x-mock-example"] == example
    assert "preference-applied" in answer.headers


def test_example_without_code_is_found_in_any_answer(client) -> None:
    answer = client.post(
        "/ivc/record/retrievetask/add",
        headers={"Prefer": "example=TaskNameTaken"},
        json={"TaskName": "x"},
    )
    # the request is invalid: validation comes first, as in Prism
    assert answer.status_code == 400
    from tests.mockserver._support import ivc_task

    answer = client.post(
        "/ivc/record/retrievetask/add", headers={"Prefer": "example=TaskNameTaken"}, json=ivc_task()
    )
    assert answer.status_code == 409
    assert answer.json()["StatusCode"] == 409


def test_unknown_example_is_404_naming_the_examples(client) -> None:
    answer = client.get(LIST, headers={"Prefer": "example=nope"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert "nope" in problem["detail"]
    assert problem["examples"] == {"200": ["documented", "empty"], "500": ["InternalError"]}


@pytest.mark.parametrize("code", ["404", "299", "abc"])
def test_undeclared_code_is_404_naming_the_codes(client, code) -> None:
    answer = client.get(LIST, params={"__code": code})
    assert answer.status_code == 404
    problem = answer.json()
    assert problem["declared"] == ["200", "500"]
    assert code.upper() in problem["detail"]


def test_example_in_the_wrong_code_is_404(client) -> None:
    answer = client.get(LIST, headers={"Prefer": "code=500, example=empty"})
    assert answer.status_code == 404
    assert "500" in answer.json()["detail"]


def test_control_parameters_are_not_validated_as_query(make_client) -> None:
    from tests.mockserver._support import tencent_body

    client = make_client()
    params = {k: str(v) for k, v in tencent_body().items()}
    params.update(
        Action="CreateRecordTask",
        Version="2018-08-01",
        Timestamp="1",
        Nonce="1",
        SecretId="id",
        Signature="sig",
        __code="200",
    )
    answer = client.get("/", params=params)
    assert answer.status_code == 200
    assert "TaskId" in answer.json()["Response"], answer.text
    assert json.loads(answer.headers["preference-applied"].split("=")[1]) == 200
