"""Load a spec file into plain JSON data, safely.

YAML is read with a loader that keeps the JSON data model: timestamps and dates stay strings,
keys must be unique scalars (integer keys such as an unquoted ``200:`` become strings), and no
YAML tag can construct a Python object. Every failure is a ``SpecLoadError`` naming the file
and the line.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from generator.errors import SpecLoadError

__all__ = ["load_document", "read_text"]


class _JsonModelLoader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver, rejecting duplicate and non-scalar keys."""


_JsonModelLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _JsonModelLoader, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, bool) or key is None or not isinstance(key, str | int):
            raise yaml.constructor.ConstructorError(
                None, None, f"a mapping key must be a string, not {key!r}", key_node.start_mark
            )
        key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_JsonModelLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def read_text(path: Path) -> str:
    """Read a spec file as UTF-8 text, converting OS and decoding errors to ``SpecLoadError``."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecLoadError(str(path), "", f"cannot read the file: {exc}") from exc


def load_document(path: Path) -> tuple[dict[str, Any], str]:
    """Return the document of a YAML or JSON spec file and the sha256 of its bytes.

    >>> doc, digest = load_document(Path("specs/tencent-ivc.yaml"))  # doctest: +SKIP
    >>> doc["openapi"]  # doctest: +SKIP
    '3.0.3'
    """
    text = read_text(path)
    document = _load_json(path, text) if path.suffix == ".json" else _load_yaml(path, text)
    if not isinstance(document, dict):
        raise SpecLoadError(str(path), "", "the document must be a mapping (an OpenAPI object)")
    return document, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise ValueError(f"duplicate key {key!r}")
        mapping[key] = value
    return mapping


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _load_json(path: Path, text: str) -> Any:
    """JSON is read as JSON (YAML would limit keys to 1024 characters): unique keys, no NaN."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise SpecLoadError(str(path), "", f"not valid JSON at {where}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:
        raise SpecLoadError(str(path), "", f"not valid JSON: {exc}") from exc


def _load_yaml(path: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_JsonModelLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        raise SpecLoadError(str(path), "", f"not valid YAML at {where}: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise SpecLoadError(str(path), "", f"not valid YAML: {exc}") from exc
