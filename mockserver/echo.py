"""``x-echo``: the caller's own data in the answer.

Each entry replaces the answer's value at a JSON pointer with a value of the request, of the
record the operation's ``x-state`` created or updated, the records a list answers, or a fresh
id. Objects merge: the source's fields replace the answer's same-named fields and add the
others, so the documented fields the caller did not send keep their example values. A list of
``$records`` shows each record over the answer's first documented item.

>>> entries = (EchoEntry("/Data", "request", "", "", location="body"),)
>>> apply_echo({"Data": {"Name": "doc", "Id": 1}}, entries,
...            values={"body": {"Name": "mine"}}, outcome=None, new_id=lambda: "x")
{'Data': {'Name': 'mine', 'Id': 1}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generator.runtime import ABSENT
from mockserver._json import get_pointer, replace_at
from mockserver.extensions import EchoEntry
from mockserver.state import Outcome

__all__ = ["apply_echo"]


def _source(
    entry: EchoEntry, values: Mapping[str, Any], outcome: Outcome | None, new_id: Callable[[], str]
) -> Any:
    if entry.source == "id":
        return new_id()
    if entry.source == "record":
        value = outcome.record if outcome is not None else None
        if value is None:
            return ABSENT
    else:
        assert entry.location is not None
        value = values.get(entry.location, ABSENT)
        if entry.name is not None:
            value = value.get(entry.name, ABSENT) if isinstance(value, Mapping) else ABSENT
    if value is ABSENT:
        return ABSENT
    try:
        return get_pointer(value, entry.pointer)
    except KeyError:
        return ABSENT


def _merge(current: Any, value: Any) -> Any:
    if isinstance(current, dict) and isinstance(value, dict):
        merged = dict(current)
        merged.update(value)
        return merged
    return value


def apply_echo(
    body: Any,
    entries: Sequence[EchoEntry],
    *,
    values: Mapping[str, Any],
    outcome: Outcome | None,
    new_id: Callable[[], str],
) -> Any:
    """A new answer: ``body`` with every entry applied.

    Neither ``body`` nor the sources are changed: the containers on each target's path are
    copied, everything else is shared (the answer is encoded, never changed, afterwards).
    """
    for entry in entries:
        try:
            current = get_pointer(body, entry.target)
        except KeyError:
            current = ABSENT
        if entry.source == "records":
            if outcome is None:
                continue
            template = current[0] if isinstance(current, list) and current else {}
            value: Any = [_merge(template, record) for record in outcome.records]
        else:
            source = _source(entry, values, outcome, new_id)
            if source is ABSENT:
                continue
            value = _merge(current, source)
        try:
            body = replace_at(body, entry.target, value)
        except KeyError:
            continue
    return body
