"""JSON helpers: compact encoding, copies, and reading or writing at a JSON pointer."""

from __future__ import annotations

import functools
import json
from typing import Any

__all__ = ["clone", "dumps", "get_pointer", "loads", "replace_at", "set_pointer", "split_pointer"]

_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_ascii_encoder = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False)

try:  # an optional accelerator: the same bytes, several times faster
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None  # type: ignore[assignment]

try:  # reads back what `dumps` wrote: integers of any size stay exact (orjson's would not)
    import msgspec
except ImportError:  # pragma: no cover - depends on the environment
    msgspec = None  # type: ignore[assignment]


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the vendors send it.

    >>> dumps({"a": [1, "é"]})
    b'{"a":[1,"\\xc3\\xa9"]}'
    """
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except (TypeError, orjson.JSONEncodeError):  # e.g. an integer beyond 64 bits
            pass
    text = _encoder.encode(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" in a request): escape it, as JSON may
        return _ascii_encoder.encode(value).encode("ascii")


def clone(value: Any) -> Any:
    """A deep copy of JSON data (dicts and lists copied, scalars shared)."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    return value


@functools.lru_cache(maxsize=1024)  # the pointers of the specs, split once
def split_pointer(pointer: str) -> tuple[str, ...]:
    """The reference tokens of a JSON pointer (RFC 6901).

    >>> split_pointer("/a~1b/0")
    ('a/b', '0')
    """
    if not pointer:
        return ()
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/"))


_decode = msgspec.json.Decoder().decode if msgspec is not None else json.loads


def loads(raw: bytes) -> Any:
    """The value `dumps` encoded, read back.

    >>> value = {"a": [1, 2**70, "é", "\\ud800", -0.5]}
    >>> loads(dumps(value)) == value
    True
    """
    try:
        return _decode(raw)
    except ValueError:  # msgspec.DecodeError (a lone surrogate escape): the json module reads it
        return json.loads(raw)


def get_pointer(document: Any, pointer: str) -> Any:
    """The value at ``pointer``; ``KeyError`` when there is none."""
    value = document
    for token in split_pointer(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise KeyError(pointer)
    return value


def set_pointer(document: Any, pointer: str, value: Any) -> Any:
    """Set the value at ``pointer`` (creating missing objects); returns the new document.

    >>> set_pointer({"a": {}}, "/a/b", 1)
    {'a': {'b': 1}}
    """
    tokens = split_pointer(pointer)
    if not tokens:
        return value
    node = document
    for token in tokens[:-1]:
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node.setdefault(token, {})
        else:
            raise KeyError(pointer)
    last = tokens[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = value
    else:
        raise KeyError(pointer)
    return document


def replace_at(document: Any, pointer: str, value: Any) -> Any:
    """A copy of ``document`` with ``value`` at ``pointer``: only the containers on the path
    are copied (missing objects are created); ``KeyError`` when the path cannot exist.

    >>> original = {"a": {"b": 1}, "c": [1]}
    >>> replace_at(original, "/a/b", 2), original
    ({'a': {'b': 2}, 'c': [1]}, {'a': {'b': 1}, 'c': [1]})
    """
    try:
        return _replaced(document, split_pointer(pointer), 0, value)
    except KeyError:
        raise KeyError(pointer) from None


def _replaced(document: Any, tokens: tuple[str, ...], at: int, value: Any) -> Any:
    if at == len(tokens):
        return value
    token = tokens[at]
    if isinstance(document, dict):
        copy = dict(document)
        copy[token] = _replaced(document.get(token, {}), tokens, at + 1, value)
        return copy
    if isinstance(document, list) and token.isdigit() and int(token) < len(document):
        items = list(document)
        items[int(token)] = _replaced(items[int(token)], tokens, at + 1, value)
        return items
    raise KeyError(token)
