"""Undeclared request fields are tolerated, then ignored: never stored, never echoed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.resolver import Resolver
from mockserver.declared import Shape, keep_declared, shape_of
from tests.mockserver._support import Client, ivc_task, vcs_task

IVC = "/ivc/record/retrievetask/"
VCS = "/vcs/console/task/"

_COMPONENTS: dict[str, Any] = {
    "Node": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"$ref": "#/components/schemas/Nodes"},
        },
    },
    "Nodes": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
    "Base": {"properties": {"id": {"type": "string"}}},
}


def _shape(schema: dict[str, Any]) -> Shape | None:
    document = {"openapi": "3.0.3", "components": {"schemas": _COMPONENTS}}
    return shape_of(schema, Resolver(Path("spec.yaml"), document))


def test_properties_of_every_branch_are_declared_and_nothing_else() -> None:
    shape = _shape(
        {
            "allOf": [{"$ref": "#/components/schemas/Base"}],
            "oneOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}],
            "properties": {"list": {"items": {"properties": {"x": {}}}}},
        }
    )
    value = {"id": "1", "a": 1, "b": 2, "c": 3, "list": [{"x": 1, "y": 2}, "not an object"]}
    assert keep_declared(value, shape) == {
        "id": "1",
        "a": 1,
        "b": 2,
        "list": [{"x": 1}, "not an object"],
    }


def test_a_schema_open_on_purpose_or_declaring_nothing_keeps_everything() -> None:
    value = {"a": 1, "b": {"c": 2}}
    for schema in (
        {"properties": {"a": {}}, "additionalProperties": True},
        {"properties": {"a": {}}, "additionalProperties": {"type": "integer"}},
        {"properties": {"a": {}}, "patternProperties": {"^b": {}}},
        {"type": "object"},
        {"allOf": [{"required": ["a"]}]},
    ):
        assert _shape(schema) is None
        assert keep_declared(value, _shape(schema)) is value


def test_a_recursive_schema_is_pruned_down_to_its_recursion() -> None:
    shape = _shape({"$ref": "#/components/schemas/Node"})
    value = {"name": "a", "extra": 1, "children": [{"name": "b", "extra": 2, "children": []}]}
    assert keep_declared(value, shape) == {
        "name": "a",
        "children": [{"name": "b", "extra": 2, "children": []}],
    }


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=12,
)
_SHAPES: st.SearchStrategy[Shape | None] = st.deferred(
    lambda: (
        st.none()
        | st.builds(
            Shape.of,
            fields=st.none() | st.dictionaries(st.text(max_size=3), _SHAPES, max_size=3),
            items=_SHAPES,
        )
    )
)


def _conforms(value: Any, kept: Any, shape: Shape | None) -> None:
    if shape is None:
        assert kept is value
    elif isinstance(value, dict) and shape.names is not None:
        assert list(kept) == [name for name in value if name in shape.names]
        nested = dict(shape.nested)
        for name in kept:
            _conforms(value[name], kept[name], nested.get(name))
    elif isinstance(value, list) and shape.items is not None:
        assert len(kept) == len(value)
        for old, new in zip(value, kept, strict=True):
            _conforms(old, new, shape.items)
    else:
        assert kept is value


@given(_JSON, _SHAPES)
def test_keep_declared_drops_exactly_the_undeclared_fields_and_copies_only_what_changes(
    value: Any, shape: Shape | None
) -> None:
    before = repr(value)
    kept = keep_declared(value, shape)
    _conforms(value, kept, shape)
    assert repr(value) == before  # the request value itself is never changed
    if kept == value:
        assert kept is value


def test_ivc_create_and_list_answer_only_declared_fields(client: Client) -> None:
    body = ivc_task("extra_01") | {"Status": "x", "Capacity": "lots", "Note": "mine"}
    body["Channels"][0]["Extra"] = True
    created = client.post(IVC + "add", json=body)
    assert created.status_code == 200, created.text
    assert "x-mock-response-violations" not in created.headers
    data = created.json()["Data"]
    assert data["Status"] in (0, 1, 2)
    assert isinstance(data["Capacity"], int | float)
    assert "Note" not in data
    assert "Extra" not in data["Channels"][0]
    assert data["TaskName"] == "extra_01"
    assert data["Channels"][0]["DeviceId"] == body["Channels"][0]["DeviceId"]
    listed = client.get("/ivc/record/retrievetasklsit/query")
    assert "x-mock-response-violations" not in listed.headers
    (task,) = listed.json()["Data"]
    assert task["Status"] in (0, 1, 2)
    assert "Note" not in task


def test_vcs_records_keep_no_undeclared_field(client: Client) -> None:
    created = client.post(
        VCS + "createComputeTask", json=vcs_task() | {"taskStatus": "BOGUS", "x": 1}
    )
    task_id = created.json()["Data"]["taskId"]
    answer = client.post(VCS + "getComputeTasks", json={"taskIds": [task_id]})
    assert "x-mock-response-violations" not in answer.headers, answer.headers
    (task,) = answer.json()["Data"]
    assert task["taskStatus"] == "OFFLINED"
    assert "x" not in task
