"""Where the mock keeps its records: in memory (the default) or in a SQLite file.

Both backends implement `Store`. Records are JSON objects filed by resource and key (the
record's id); each resource keeps at most ``limit`` records, the oldest dropped first. The
SQLite store is shared by worker processes and survives restarts; every change happens inside
`Store.transaction` (``BEGIN IMMEDIATE``), so a check-then-write is atomic across processes.
"""

from __future__ import annotations

import contextlib
import json
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mockserver._json import dumps, loads

if TYPE_CHECKING:  # imported when a SQLite store is opened
    import sqlite3

__all__ = ["MemoryStore", "SQLiteStore", "Store", "open_store"]

Record = dict[str, Any]


class Store(Protocol):
    """The records of every resource."""

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group reads and writes so no other process interleaves."""

    def insert(self, resource: str, key: str, record: Record) -> None: ...

    def replace(self, resource: str, key: str, record: Record) -> None: ...

    def find(self, resource: str, field: str, value: Any) -> tuple[str, Record] | None:
        """The oldest record whose ``field`` equals ``value``."""

    def get_many(self, resource: str, keys: Sequence[Any]) -> list[Record]:
        """The records with these keys, in this order; unknown keys left out."""

    def all(self, resource: str) -> list[Record]: ...

    def version(self) -> int:
        """A number that changes whenever any record does (for caching list answers)."""

    def clear(self) -> None: ...

    def close(self) -> None: ...


def _index_key(value: Any) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, str | int | float):
        return value
    return ("json", json.dumps(value, sort_keys=True))


_NO_TRANSACTION: contextlib.AbstractContextManager[None] = contextlib.nullcontext()


class MemoryStore:
    """Records in memory, indexed by the fields that are looked up (built on first use).

    Each record is kept encoded, as one ``bytes`` object: a parsed record of 32 channels is
    about a hundred objects, and a server that drops its oldest record with every create
    would otherwise free a hundred objects nobody has touched for a thousand requests, each a
    cache miss (measured: a tenth of a create's time in the server). Reads decode a fresh
    copy, so no caller can change a stored record in place. The indexed values of each record
    are kept beside it, so dropping a record never decodes it.
    """

    def __init__(self, *, limit: int) -> None:
        self.limit = limit
        self._records: dict[str, OrderedDict[str, bytes]] = {}
        # resource -> field -> indexed value -> keys (oldest first)
        self._indexes: dict[str, dict[str, dict[Any, list[str]]]] = {}
        # resource -> key -> field -> the record's indexed value
        self._indexed: dict[str, dict[str, dict[str, Any]]] = {}
        self._version = 0

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        # One event loop, no await between a check and its write: nothing can interleave.
        return _NO_TRANSACTION

    def _index(self, resource: str, field: str) -> dict[Any, list[str]]:
        indexes = self._indexes.setdefault(resource, {})
        index = indexes.get(field)
        if index is None:
            index = indexes[field] = {}
            indexed = self._indexed.setdefault(resource, {})
            for key, raw in self._records.get(resource, {}).items():
                record = loads(raw)
                if field in record:
                    value = _index_key(record[field])
                    index.setdefault(value, []).append(key)
                    indexed.setdefault(key, {})[field] = value
        return index

    def _unindex(self, resource: str, key: str) -> None:
        values = self._indexed[resource].pop(key, None) if resource in self._indexed else None
        if values:
            indexes = self._indexes[resource]
            for field, value in values.items():
                index = indexes[field]
                keys = index.get(value)
                if keys and key in keys:
                    keys.remove(key)
                    if not keys:
                        del index[value]

    def _reindex(self, resource: str, key: str, record: Record) -> None:
        indexes = self._indexes.get(resource)
        if not indexes:
            return
        values = {}
        for field, index in indexes.items():
            if field in record:
                value = values[field] = _index_key(record[field])
                keys = index.get(value)
                if keys is None:
                    index[value] = [key]
                else:
                    keys.append(key)
        if values:
            self._indexed.setdefault(resource, {})[key] = values

    def _resource(self, resource: str) -> OrderedDict[str, bytes]:
        records = self._records.get(resource)
        if records is None:
            records = self._records[resource] = OrderedDict()
        return records

    def insert(self, resource: str, key: str, record: Record) -> None:
        raw = dumps(record)
        records = self._resource(resource)
        if key in records:
            self._unindex(resource, key)
            del records[key]
        records[key] = raw
        self._reindex(resource, key, record)
        while len(records) > self.limit:
            oldest, _ = records.popitem(last=False)
            self._unindex(resource, oldest)
        self._version += 1

    def replace(self, resource: str, key: str, record: Record) -> None:
        records = self._resource(resource)
        if key in records:
            self._unindex(resource, key)
        records[key] = dumps(record)
        self._reindex(resource, key, record)
        self._version += 1

    def find(self, resource: str, field: str, value: Any) -> tuple[str, Record] | None:
        keys = self._index(resource, field).get(_index_key(value))
        if not keys:
            return None
        key = keys[0]
        return key, loads(self._records[resource][key])

    def get_many(self, resource: str, keys: Sequence[Any]) -> list[Record]:
        records: Mapping[str, bytes] = self._records.get(resource, {})
        return [loads(records[key]) for key in keys if isinstance(key, str) and key in records]

    def all(self, resource: str) -> list[Record]:
        records = self._records.get(resource)
        if not records:
            return []
        found: list[Record] = loads(b"[" + b",".join(records.values()) + b"]")  # one C call
        return found

    def version(self) -> int:
        return self._version

    def clear(self) -> None:
        self._records.clear()
        self._indexes.clear()
        self._indexed.clear()
        self._version += 1

    def close(self) -> None:
        pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    resource TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (resource, key)
);
CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (id, version) VALUES (1, 0);
"""


class SQLiteStore:
    """Records in a SQLite file: one row per record, its JSON text in ``data``."""

    def __init__(self, path: Path, *, limit: int) -> None:
        self.limit = limit
        self.path = path
        import sqlite3

        self._db: sqlite3.Connection = sqlite3.connect(
            str(path), isolation_level=None, timeout=10.0
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._depth = 0
        with self.transaction():
            for statement in filter(None, (part.strip() for part in _SCHEMA.split(";"))):
                self._db.execute(statement)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    def _bump(self) -> None:
        self._db.execute("UPDATE meta SET version = version + 1 WHERE id = 1")

    def insert(self, resource: str, key: str, record: Record) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO records (resource, key, data) VALUES (?, ?, ?)",
                (resource, key, json.dumps(record)),
            )
            self._db.execute(
                "DELETE FROM records WHERE resource = ? AND seq NOT IN "
                "(SELECT seq FROM records WHERE resource = ? ORDER BY seq DESC LIMIT ?)",
                (resource, resource, self.limit),
            )
            self._bump()

    def replace(self, resource: str, key: str, record: Record) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE records SET data = ? WHERE resource = ? AND key = ?",
                (json.dumps(record), resource, key),
            )
            self._bump()

    def find(self, resource: str, field: str, value: Any) -> tuple[str, Record] | None:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            rows = self._db.execute(
                "SELECT key, data FROM records WHERE resource = ? AND json_extract(data, ?) = ? "
                "AND json_type(data, ?) IN (?, ?, ?) ORDER BY seq",
                (resource, _path(field), value, _path(field), *_json_types(value)),
            )
            for key, data in rows:
                return str(key), json.loads(data)
            return None
        for key, data in self._db.execute(
            "SELECT key, data FROM records WHERE resource = ? ORDER BY seq", (resource,)
        ):
            record = json.loads(data)
            if field in record and record[field] == value:
                return str(key), record
        return None

    def get_many(self, resource: str, keys: Sequence[Any]) -> list[Record]:
        found = {}
        wanted = [key for key in keys if isinstance(key, str)]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, data FROM records WHERE resource = ? AND key IN ({marks})"  # noqa: S608 - only "?" marks
            for key, data in self._db.execute(query, (resource, *chunk)):
                found[key] = json.loads(data)
        return [found[key] for key in wanted if key in found]

    def all(self, resource: str) -> list[Record]:
        rows = self._db.execute(
            "SELECT data FROM records WHERE resource = ? ORDER BY seq", (resource,)
        )
        return [json.loads(data) for (data,) in rows]

    def version(self) -> int:
        (value,) = self._db.execute("SELECT version FROM meta WHERE id = 1").fetchone()
        return int(value)

    def clear(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM records")
            self._bump()

    def close(self) -> None:
        self._db.close()


def _path(field: str) -> str:
    return "$." + json.dumps(field)


def _json_types(value: Any) -> tuple[str, str, str]:
    if isinstance(value, str):
        return ("text", "text", "text")
    return ("integer", "real", "real")


def open_store(path: Path | None, *, limit: int) -> Store:
    """A SQLite store at ``path``, or a memory store when ``path`` is ``None``."""
    return MemoryStore(limit=limit) if path is None else SQLiteStore(path, limit=limit)
