"""``x-state``: what an operation does to the stored records (see ``specs/README.md``).

`StateEngine.apply` reads an operation's `generator.model.StateRule` and the validated request
body, changes the `mockserver.stores.Store`, and returns an `Outcome`: the record created or
updated, the records a list answers, or the error the rule names (``notFound``, ``conflict``)
with a message saying what clashed. No per-API code: everything comes from the rule.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from generator.model import StateRule
from mockserver._json import clone
from mockserver.stores import Record, Store

__all__ = ["Outcome", "StateEngine", "id_factory"]


class Outcome(NamedTuple):
    """What an ``x-state`` action did (a named tuple: one is built per request)."""

    record: Record | None = None
    records: Sequence[Record] = ()
    error: Literal["notFound", "conflict"] | None = None
    message: str = ""


# A random (version 4) UUID: its version nibble and variant bits over 122 random bits.
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)
_ID_ATTEMPTS = 10_000


# Ids must be unique, not secret: a generator seeded from os.urandom once (re-seeded in a
# forked child) spares a system call per id, which this hot path would otherwise pay.
_IDS = random.Random()  # noqa: S311
os.register_at_fork(after_in_child=_IDS.seed)


def _uuid4_hex() -> str:
    """Like ``uuid.uuid4().hex``, without building a `uuid.UUID`."""
    return (_IDS.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET).to_bytes(16, "big").hex()


def id_factory(seed: int | None) -> Callable[[], str]:
    """Fresh ids of 32 hex digits (like the vendors' TaskIds); reproducible with a seed."""
    if seed is None:
        return _uuid4_hex
    generator = random.Random(f"ids/{seed}")  # noqa: S311 - mock data, not secrets
    return lambda: f"{generator.getrandbits(128):032x}"


def _present(body: Mapping[str, Any], name: str) -> bool:
    return body.get(name) is not None


class StateEngine:
    """Applies ``x-state`` rules to a store.

    ``id_fields`` names, per resource, the field holding a record's id (the ``id`` of the
    resource's ``create`` rule).
    """

    def __init__(
        self, store: Store, id_fields: Mapping[str, str], new_id: Callable[[], str]
    ) -> None:
        self.store = store
        self.id_fields = dict(id_fields)
        self.new_id = new_id

    def apply(self, rule: StateRule, body: Any, *, namespace: str = "") -> Outcome:
        """Apply ``rule`` to the request ``body``; resources are filed under ``namespace``
        (the spec's name), so two specs never share records."""
        request = body if isinstance(body, dict) else {}
        resource = f"{namespace}/{rule.resource}"
        with self.store.transaction():
            if rule.action == "create":
                return self._create(rule, resource, request)
            if rule.action == "update":
                return self._update(rule, resource, request)
            return self._list(rule, resource, request)

    def preview(self, rule: StateRule, body: Any) -> Outcome | None:
        """The record a ``create`` would store, without storing it (state switched off)."""
        if rule.action != "create":
            return None
        # Shallow copies here: only top-level fields are set, and nothing changes a value in
        # place afterwards (answers copy what they change, see `mockserver._json.replace_at`).
        record = dict(body) if isinstance(body, dict) else {}
        record[rule.id or "id"] = self.new_id()
        record.update(clone(dict(rule.set)))
        return Outcome(record=record)

    def _create(self, rule: StateRule, resource: str, body: Mapping[str, Any]) -> Outcome:
        id_field = rule.id or self.id_fields.get(resource, "id")
        for name in rule.unique:
            if _present(body, name):
                found = self.store.find(resource, name, body[name])
                if found is not None:
                    return Outcome(
                        error="conflict",
                        message=f"{name} {body[name]!r} is already used by {rule.resource} "
                        f"{found[0]}",
                    )
        # The body was parsed for this request alone: the store may keep it as it is.
        record = dict(body)
        key = self._unused_id(resource)
        record[id_field] = key
        if rule.set:
            record.update(clone(dict(rule.set)))
        self.store.insert(resource, key, record)
        return Outcome(record=record)

    def _unused_id(self, resource: str) -> str:
        """A fresh id no record of ``resource`` has. Seeded ids repeat where several processes
        share a store (``--workers``, each with the same ``--seed``) or a restart finds the
        records of the last run (``--state FILE``): the next id of the sequence is taken then.
        Random ids (no seed) are not looked up."""
        if self.new_id is _uuid4_hex:  # 122 random bits: a repeat is never met in practice
            return _uuid4_hex()
        for _ in range(_ID_ATTEMPTS):
            key = self.new_id()
            if not self.store.get_many(resource, [key]):
                return key
        return _uuid4_hex()  # the seeded sequence is exhausted here: a random id

    def _update(self, rule: StateRule, resource: str, body: Mapping[str, Any]) -> Outcome:
        given = [name for name in rule.lookup if _present(body, name)]
        if not given:
            return Outcome(
                error="notFound", message=f"the request names no {' or '.join(rule.lookup)}"
            )
        name = given[0]
        found = self.store.find(resource, name, body[name])
        if found is None:
            return Outcome(
                error="notFound", message=f"no {rule.resource} with {name} {body[name]!r}"
            )
        key, stored = found
        for fixed in rule.immutable:
            if _present(body, fixed) and fixed in stored and stored[fixed] != body[fixed]:
                return Outcome(
                    error="conflict",
                    message=f"{fixed} cannot be modified: {rule.resource} {key} has {fixed} "
                    f"{stored[fixed]!r}, the request {body[fixed]!r}",
                )
        record = dict(stored)  # a new record: the stored one may be in a cached list answer
        record.update({k: v for k, v in body.items() if k not in rule.lookup})
        record.update(clone(dict(rule.set)))
        self.store.replace(resource, key, record)
        return Outcome(record=record)

    def _list(self, rule: StateRule, resource: str, body: Mapping[str, Any]) -> Outcome:
        if rule.select:
            wanted = body.get(rule.select)
            keys = wanted if isinstance(wanted, list) else []
            return Outcome(records=self.store.get_many(resource, keys))
        return Outcome(records=self.store.all(resource))

    def reset(self) -> None:
        self.store.clear()
