"""The memory store against a plain reference model: any sequence of writes and reads.

The memory store keeps each record encoded (one ``bytes`` object) and its indexed values
beside it; the model keeps the records themselves in a list. Whatever a sequence of inserts,
replaces and clears does, both must answer every read the same way, and what a read returns
must be a copy the caller may change.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.stores import MemoryStore, _index_key

LIMIT = 4
KEYS = st.sampled_from(["a", "b", "c", "d", "e", "f"])
FIELDS = st.sampled_from(["name", "size"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),  # beyond 64 bits too
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),  # lone surrogates included
    st.sampled_from(["x", "y", 1, 1.0, True]),  # values that collide, or must not
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)
RECORDS = st.dictionaries(FIELDS | st.text(max_size=3), VALUES, max_size=4)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), KEYS, RECORDS),
        st.tuples(st.just("replace"), KEYS, RECORDS),
        st.tuples(st.just("find"), FIELDS, VALUES),
        st.tuples(st.just("get_many"), st.lists(KEYS, max_size=4)),
        st.tuples(st.just("all")),
        st.tuples(st.just("clear")),
    ),
    max_size=40,
)


class Model:
    """What the store promises, kept the plain way: ``(key, record)`` pairs, oldest first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pairs: list[tuple[str, dict[str, Any]]] = []

    def insert(self, key: str, record: dict[str, Any]) -> None:
        self.pairs = [pair for pair in self.pairs if pair[0] != key] + [(key, record)]
        del self.pairs[: max(0, len(self.pairs) - self.limit)]

    def replace(self, key: str, record: dict[str, Any]) -> None:
        if any(pair[0] == key for pair in self.pairs):
            self.pairs = [(k, record if k == key else r) for k, r in self.pairs]
        else:
            self.pairs.append((key, record))

    def matches(self, field: str, value: Any) -> list[tuple[str, dict[str, Any]]]:
        wanted = _index_key(value)
        return [(k, r) for k, r in self.pairs if field in r and _index_key(r[field]) == wanted]


def same(left: Any, right: Any) -> bool:
    """Equal as JSON values: types kept (1 is not 1.0 is not True), -0.0 is 0.0."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


@settings(max_examples=300, deadline=None)
@given(OPERATIONS)
def test_memory_store_answers_like_the_model(operations: list[tuple[Any, ...]]) -> None:
    store, model = MemoryStore(limit=LIMIT), Model(LIMIT)
    for operation in operations:
        kind = operation[0]
        if kind == "insert":
            store.insert("r", operation[1], operation[2])
            model.insert(operation[1], operation[2])
        elif kind == "replace":
            store.replace("r", operation[1], operation[2])
            model.replace(operation[1], operation[2])
        elif kind == "find":
            found = store.find("r", operation[1], operation[2])
            candidates = model.matches(operation[1], operation[2])
            if not candidates:
                assert found is None
            else:
                assert found is not None
                assert any(k == found[0] and same(r, found[1]) for k, r in candidates)
                if len(candidates) == 1:
                    assert found[0] == candidates[0][0]
        elif kind == "get_many":
            records = dict(model.pairs)
            expected = [records[key] for key in operation[1] if key in records]
            assert same(store.get_many("r", operation[1]), expected)
        elif kind == "all":
            assert same(store.all("r"), [record for _, record in model.pairs])
        else:
            store.clear()
            model.pairs = []
    assert same(store.all("r"), [record for _, record in model.pairs])


def test_reads_are_copies_the_caller_may_change() -> None:
    store = MemoryStore(limit=10)
    store.insert("r", "a", {"name": "n", "tags": [1]})
    store.find("r", "name", "n")[1]["tags"].append(2)  # type: ignore[index]
    store.get_many("r", ["a"])[0]["name"] = "changed"
    store.all("r")[0]["tags"].clear()
    assert store.all("r") == [{"name": "n", "tags": [1]}]
    assert store.find("r", "name", "n") == ("a", {"name": "n", "tags": [1]})


def test_an_index_built_late_covers_the_records_already_stored() -> None:
    store = MemoryStore(limit=3)
    for number in range(5):
        store.insert("r", f"k{number}", {"name": f"n{number % 2}", "n": number})
    # The first find on "name" builds its index from the three records kept: k2, k3, k4.
    assert store.find("r", "name", "n0") == ("k2", {"name": "n0", "n": 2})
    store.insert("r", "k5", {"name": "n1", "n": 5})  # drops k2, the only kept n0 but k4
    assert store.find("r", "name", "n0") == ("k4", {"name": "n0", "n": 4})
    assert len(store._indexes["r"]["name"]) == 2
    assert set(store._indexed["r"]) == {"k3", "k4", "k5"}
