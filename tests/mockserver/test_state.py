"""x-state and x-echo: created records appear, rules hold, the caller's data comes back."""

from __future__ import annotations

import pytest

from generator.model import StateRule
from mockserver.state import StateEngine
from mockserver.stores import MemoryStore, SQLiteStore
from tests.mockserver._support import ivc_task, tencent_body, tencent_headers, vcs_task

IVC_ADD = "/ivc/record/retrievetask/add"
IVC_LIST = "/ivc/record/retrievetasklsit/query"
VCS = "/vcs/console/task/"


def test_ivc_create_echoes_the_request_with_a_fresh_task_id(client) -> None:
    body = ivc_task("全天取回_01", channels=32)
    first = client.post(IVC_ADD, json=body).json()["Data"]
    assert {k: first[k] for k in body} == body  # TaskName, times, Channels come back
    assert first["Status"] in (0, 1, 2)
    assert "Capacity" in first
    second = client.post(IVC_ADD, json=ivc_task("other")).json()["Data"]
    assert first["TaskId"] != second["TaskId"]
    assert len(first["TaskId"]) == 32


def test_ivc_created_tasks_appear_in_the_list_and_reset_clears(client) -> None:
    assert client.get(IVC_LIST).json()["Data"] == []
    created = [client.post(IVC_ADD, json=ivc_task(f"t{i}")).json()["Data"] for i in range(3)]
    listed = client.get(IVC_LIST).json()["Data"]
    assert [task["TaskId"] for task in listed] == [task["TaskId"] for task in created]
    assert [task["TaskName"] for task in listed] == ["t0", "t1", "t2"]
    assert client.post("/__mock/reset").status_code == 200
    assert client.get(IVC_LIST).json()["Data"] == []


def test_ivc_task_name_is_unique(client) -> None:
    assert client.post(IVC_ADD, json=ivc_task("same")).status_code == 200
    answer = client.post(IVC_ADD, json=ivc_task("same"))
    assert answer.status_code == 409
    assert answer.json()["StatusCode"] == 409
    assert "'same'" in answer.json()["Message"]
    assert answer.headers["x-mock-example"] == "TaskNameTaken"


def test_vcs_lifecycle(client) -> None:
    task_id = client.post(VCS + "createComputeTask", json=vcs_task()).json()["Data"]["taskId"]

    def status() -> list[dict[str, str]]:
        answer = client.post(VCS + "getComputeTasks", json={"taskIds": [task_id, "unknown"]})
        return [{k: t[k] for k in ("taskId", "taskStatus")} for t in answer.json()["Data"]]

    assert status() == [{"taskId": task_id, "taskStatus": "OFFLINED"}]
    assert client.post(VCS + "startComputeTask", json={"taskId": task_id}).json()["Code"] == "0"
    assert status() == [{"taskId": task_id, "taskStatus": "ONLINED"}]
    assert client.post(VCS + "stopComputeTask", json={"taskId": task_id}).status_code == 200
    assert status() == [{"taskId": task_id, "taskStatus": "OFFLINED"}]


def test_vcs_modify_cannot_rename_and_finds_by_task_id_or_name(client) -> None:
    task_id = client.post(VCS + "createComputeTask", json=vcs_task()).json()["Data"]["taskId"]
    renamed = client.post(VCS + "modifyComputeTask", json={**vcs_task("new"), "taskId": task_id})
    assert renamed.status_code == 400
    assert renamed.headers["x-mock-example"] == "NameNotModifiable"
    assert "name cannot be modified" in renamed.json()["Message"]
    by_name = client.post(VCS + "modifyComputeTask", json={**vcs_task(), "description": "d"})
    assert by_name.status_code == 200
    assert by_name.json()["Data"]["taskId"] == task_id


@pytest.mark.parametrize("action", ["startComputeTask", "stopComputeTask"])
def test_vcs_unknown_task_is_the_vendors_not_found(client, action) -> None:
    answer = client.post(VCS + action, json={"taskId": "fcd6cc03c2d7456a93728795a9eff1cd"})
    assert answer.status_code == 404
    assert answer.json()["Code"] == "404"
    assert "fcd6cc03c2d7456a93728795a9eff1cd" in answer.json()["Message"]


def test_vcs_modify_unknown_task_is_not_found(client) -> None:
    answer = client.post(VCS + "modifyComputeTask", json=vcs_task("ghost"))
    assert answer.status_code == 404
    assert answer.headers["x-mock-example"] == "TaskNotFound"


def test_tencent_task_id_is_fresh(client) -> None:
    ids = {
        client.post("/", json=tencent_body(), headers=tencent_headers()).json()["Response"][
            "TaskId"
        ]
        for _ in range(3)
    }
    assert len(ids) == 3


def test_no_state_replays_examples_but_still_echoes(make_client) -> None:
    client = make_client(state=False)
    client.post(IVC_ADD, json=ivc_task("a"))
    assert client.post(IVC_ADD, json=ivc_task("a")).status_code == 200  # nothing stored
    assert len(client.get(IVC_LIST).json()["Data"]) == 2  # the documented example
    assert client.post(IVC_ADD, json=ivc_task("b")).json()["Data"]["TaskName"] == "b"


def test_sqlite_state_survives_a_restart(make_client, tmp_path) -> None:
    file = tmp_path / "state.sqlite"
    first = make_client(state_file=file)
    created = first.post(IVC_ADD, json=ivc_task("kept")).json()["Data"]
    first.app.store.close()
    second = make_client(state_file=file)
    assert [t["TaskId"] for t in second.get(IVC_LIST).json()["Data"]] == [created["TaskId"]]
    assert second.post(IVC_ADD, json=ivc_task("kept")).status_code == 409


def test_forced_answers_do_not_touch_the_state(client) -> None:
    answer = client.post(IVC_ADD, json=ivc_task(), headers={"Prefer": "code=200"})
    assert answer.json()["Data"]["TaskName"] == "name"  # the documented example, verbatim
    assert client.get(IVC_LIST).json()["Data"] == []


@pytest.mark.parametrize("store_kind", ["memory", "sqlite"])
def test_store_limit_drops_the_oldest(tmp_path, store_kind) -> None:
    store = MemoryStore(limit=2) if store_kind == "memory" else SQLiteStore(tmp_path / "s", limit=2)
    rule = StateRule(resource="r", action="create", pointer="", id="id", unique=("name",))
    ids = iter(["a", "b", "c", "d"])
    engine = StateEngine(store, {}, lambda: next(ids))
    for name in ("x", "y", "z"):
        assert engine.apply(rule, {"name": name}).error is None
    assert [r["name"] for r in store.all("/r")] == ["y", "z"]
    assert engine.apply(rule, {"name": "z"}).error == "conflict"
    assert engine.apply(rule, {"name": "x"}).error is None  # dropped, so free again
    assert [r["id"] for r in store.all("/r")] == ["c", "d"]
    store.close()


def test_memory_store_forgets_the_index_entries_of_dropped_records() -> None:
    store = MemoryStore(limit=3)
    for number in range(100):
        key = f"k{number}"
        assert store.find("r", "name", key) is None
        store.insert("r", key, {"name": key})
    assert [r["name"] for r in store.all("r")] == ["k97", "k98", "k99"]
    assert len(store._indexes["r"]["name"]) == 3
    store.replace("r", "k98", {"name": "renamed"})
    assert [r["name"] for r in store.all("r")] == ["k97", "renamed", "k99"]
    assert store.find("r", "name", "k98") is None
    assert store.find("r", "name", "renamed") == ("k98", {"name": "renamed"})


def test_fresh_ids_are_random_uuids_in_hex() -> None:
    import uuid

    from mockserver.state import id_factory

    new_id = id_factory(None)
    ids = {new_id() for _ in range(1000)}
    assert len(ids) == 1000
    for value in ids:
        parsed = uuid.UUID(value)
        assert parsed.hex == value
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_seeded_processes_sharing_a_store_never_reuse_an_id(tmp_path) -> None:
    from mockserver.state import id_factory

    rule = StateRule(resource="r", action="create", pointer="", id="id")
    stores = [SQLiteStore(tmp_path / "s", limit=1000) for _ in range(2)]
    # Two workers (or a run and its restart) with the same --seed: the same id sequence.
    workers = [StateEngine(store, {}, id_factory(7)) for store in stores]
    ids = [workers[number % 2].apply(rule, {"n": number}).record["id"] for number in range(20)]
    assert len(set(ids)) == 20
    assert sorted(r["id"] for r in stores[0].all("/r")) == sorted(ids)
    for store in stores:
        store.close()
