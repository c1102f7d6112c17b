"""The app: one origin for every spec, routing, CORS, docs, logs, response checks, delay,
dynamic answers, reload."""

from __future__ import annotations

import logging
import random
import time

import pytest

from generator.errors import SpecError
from generator.parse import load_spec
from mockserver import Settings, create_app
from mockserver.dynamic import Generator
from mockserver.errors import MockConfigError
from tests.conftest import SPECS
from tests.mockserver._support import JD_PATH, ivc_task, jd_body, tencent_body, tencent_headers

LIST = "/ivc/record/retrievetasklsit/query"


@pytest.mark.parametrize("spec", ["tencent-ivc", "jdcloud-live", "tencent-live", "vcs-compute"])
def test_every_operation_of_every_spec_is_routed(client, spec) -> None:
    for operation in load_spec(SPECS / f"{spec}.yaml").operations:
        path = operation.path.replace("{", "").replace("}", "")
        answer = client.request(operation.method.upper(), path, headers={"Prefer": "code=500"})
        assert (
            answer.status_code != 404
            or answer.headers["content-type"] != ("application/problem+json")
            or "declares no 500" in answer.text
        ), (operation.operation_id, answer.text)


def test_unknown_route_is_404_problem_json(client) -> None:
    answer = client.get("/no/such/path")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "GET /no/such/path" in answer.json()["detail"]


def test_wrong_method_is_405_problem_json(client) -> None:
    answer = client.request("DELETE", LIST)
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"


def test_two_specs_claiming_one_route_is_a_startup_error(spec_copy, tmp_path) -> None:
    original = spec_copy("tencent-ivc")
    clash = tmp_path / "specs" / "clash.yaml"
    clash.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SpecError, match="POST /ivc/record/retrievetask/add is also served by"):
        create_app(Settings(specs=(original, clash)))


def test_no_spec_to_serve_is_a_startup_error(tmp_path) -> None:
    # specs_dir is relative to the working directory: started elsewhere, the API says so too
    with pytest.raises(MockConfigError, match=r"specs: no spec files \(\*\.yaml, \*\.json\)"):
        create_app(Settings(specs_dir=tmp_path / "specs"))


def test_reload_with_every_spec_gone_keeps_serving(make_client, spec_copy) -> None:
    path = spec_copy("tencent-ivc")
    client = make_client(specs_dir=path.parent, state=False)
    path.unlink()
    assert not client.app.reload()
    assert "no spec files" in (client.app.last_error or "")
    assert client.post("/ivc/record/retrievetask/add", json=ivc_task()).status_code == 200


def test_cors_preflight_and_headers(make_client) -> None:
    client = make_client()
    preflight = client.request(
        "OPTIONS",
        "/ivc/record/retrievetask/add",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, prefer",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    answer = client.get(LIST, headers={"Origin": "http://localhost:3000"})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "x-mock-response-violations" in answer.headers["access-control-expose-headers"]


def test_cors_is_configurable(make_client) -> None:
    assert (
        "access-control-allow-origin"
        not in make_client(cors=False).get(LIST, headers={"Origin": "http://a.test"}).headers
    )
    limited = make_client(cors_origins=("http://a.test",))
    assert (
        limited.get(LIST, headers={"Origin": "http://a.test"}).headers[
            "access-control-allow-origin"
        ]
        == "http://a.test"
    )
    assert (
        "access-control-allow-origin"
        not in limited.get(LIST, headers={"Origin": "http://b.test"}).headers
    )


@pytest.mark.parametrize("spec", ["tencent-ivc", "jdcloud-live", "tencent-live", "vcs-compute"])
def test_swagger_ui_for_each_spec(client, spec) -> None:
    ui = client.get(f"/__mock/docs/{spec}/ui/")
    assert ui.status_code == 200
    assert "swagger" in ui.text.lower()
    document = client.get(f"/__mock/docs/{spec}/openapi.json").json()
    assert document["info"]["title"] == load_spec(SPECS / f"{spec}.yaml").title
    index = client.get("/__mock/").json()
    assert f"/__mock/docs/{spec}/ui/" in {s["ui"] for s in index["specs"]}


def test_one_log_line_per_request(make_client, caplog) -> None:
    client = make_client(quiet=False)
    caplog.set_level(logging.INFO, logger="mockserver.access")
    client.get(LIST, headers={"Prefer": "example=empty"})
    client.post("/ivc/record/retrievetask/add", json={"TaskName": 1})
    lines = [r.getMessage() for r in caplog.records if r.name == "mockserver.access"]
    assert len(lines) == 2
    assert lines[0].startswith(f"GET {LIST} listRetrieveTasks 200 example=empty violations=0")
    assert lines[1].startswith(
        "POST /ivc/record/retrievetask/add createRetrieveTask 400 "
        "example=InvalidParameter violations=6"
    )


def test_quiet_logs_nothing_per_request(make_client, caplog) -> None:
    client = make_client(quiet=True)
    caplog.set_level(logging.INFO, logger="mockserver.access")
    client.get(LIST)
    assert not [r for r in caplog.records if r.name == "mockserver.access"]


def test_an_answer_breaking_its_spec_is_flagged_and_logged(make_client, spec_copy, caplog) -> None:
    path = spec_copy("tencent-ivc")
    text = path.read_text(encoding="utf-8")
    broken = text.replace(
        "value: {RequestId: 0c6e2f3e-7a55-4d0b-9a3e-55a1f1d0b0c1, Code: 0,",
        "value: {RequestId: 0c6e2f3e-7a55-4d0b-9a3e-55a1f1d0b0c1, Code: zero,",
    )
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    caplog.set_level(logging.WARNING, logger="mockserver")
    client = make_client(specs=(path,))
    answer = client.get(LIST, headers={"Prefer": "example=empty"})
    assert answer.status_code == 200
    assert int(answer.headers["x-mock-response-violations"]) >= 1
    assert any("does not match its schema" in r.getMessage() for r in caplog.records)
    assert (
        "x-mock-response-violations"
        not in client.get(LIST, headers={"Prefer": "example=documented"}).headers
    )


def test_delay(make_client) -> None:
    client = make_client()
    started = time.perf_counter()
    client.get(LIST, headers={"Prefer": "delay=200"})
    assert time.perf_counter() - started >= 0.2
    slow = make_client(delay_ms=150)
    started = time.perf_counter()
    slow.get(LIST)
    assert time.perf_counter() - started >= 0.15


def test_dynamic_answers_are_valid_and_reproducible(make_client) -> None:
    def answers(seed: int) -> list[object]:
        client = make_client(seed=seed, dynamic=True, state=False)
        found = []
        for _ in range(5):
            answer = client.post("/ivc/record/retrievetask/add", json=ivc_task())
            assert answer.status_code == 200
            assert "x-mock-response-violations" not in answer.headers
            found.append(answer.json())
            jd = client.post(JD_PATH, json=jd_body())
            assert jd.status_code == 200
            assert "x-mock-response-violations" not in jd.headers
            found.append(jd.json())
            live = client.post("/", json=tencent_body(), headers=tencent_headers())
            assert "x-mock-response-violations" not in live.headers
        return found

    assert answers(7) == answers(7)
    assert answers(7) != answers(8)


def test_dynamic_per_request_and_off_switch(make_client) -> None:
    client = make_client(state=False)
    generated = client.get(LIST, params={"__dynamic": "true"})
    assert generated.status_code == 200
    assert "x-mock-example" not in generated.headers
    forced_off = make_client(dynamic=True, state=False).get(
        LIST, headers={"Prefer": "dynamic=false"}
    )
    assert forced_off.headers["x-mock-example"] == "documented"


def test_generator_respects_read_only_and_write_only() -> None:
    schema = {
        "type": "object",
        "required": ["a", "secret", "server"],
        "properties": {
            "a": {"type": "integer", "minimum": 3, "maximum": 5},
            "secret": {"type": "string", "writeOnly": True},
            "server": {"type": "string", "readOnly": True},
            "tag": {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{3}$"},
        },
    }
    for seed in range(30):
        answer = Generator(lambda s: s, random.Random(seed)).value(schema)
        assert "secret" not in answer
        assert 3 <= answer["a"] <= 5
        assert "tag" not in answer or len(answer["tag"]) == 6
        request = Generator(lambda s: s, random.Random(seed), direction="request").value(schema)
        assert "server" not in request


def test_reload_keeps_the_last_good_spec(make_client, spec_copy) -> None:
    path = spec_copy("tencent-ivc")
    client = make_client(specs=(path,), state=False)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Message: ok", "Message: reloaded", 1), encoding="utf-8")
    assert client.app.reload()
    assert (
        client.post("/ivc/record/retrievetask/add", json=ivc_task()).json()["Message"] == "reloaded"
    )
    path.write_text(text + "\n  broken: [\n", encoding="utf-8")
    assert not client.app.reload()
    assert "not valid YAML" in (client.app.last_error or "")
    assert (
        client.post("/ivc/record/retrievetask/add", json=ivc_task()).json()["Message"] == "reloaded"
    )
