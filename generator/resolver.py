"""Resolve ``$ref`` values: local (``#/a/b``) and relative files (``other.yaml#/a``) only.

Nothing is fetched from the network: a ``$ref`` with a scheme (``http:``, ``https:``, ...) is a
``RefResolutionError``. Documents are loaded once and cached by absolute path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.errors import RefResolutionError
from generator.loader import load_document

__all__ = ["Resolver", "escape_token", "iter_refs", "join_pointer", "resolve_pointer"]


def escape_token(token: str | int) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append reference tokens to a JSON pointer: ``join_pointer("/a", "b/c") == "/a/b~1c"``."""
    return pointer + "".join("/" + escape_token(token) for token in tokens)


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Return the value at ``pointer`` (RFC 6901, with %-escapes of URI fragments decoded).

    Raises ``KeyError`` naming the first token that does not resolve.
    """
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise KeyError(pointer)
    value = document
    for raw in pointer[1:].split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise KeyError(token)
    return value


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(pointer of the $ref object, ref string)`` for every ``$ref`` in a document.

    ``example``/``examples`` values and ``x-`` extensions are data, not schema: refs inside them
    are not followed (an Example Object's own ``$ref`` is).
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield pointer, ref
        for key, value in node.items():
            if key in ("example", "value", "default", "enum") or key.startswith("x-"):
                continue
            yield from iter_refs(value, join_pointer(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_refs(value, join_pointer(pointer, index))


class Resolver:
    """Resolves refs relative to a root spec file, loading referenced local files on demand."""

    def __init__(self, root_file: Path, root_document: dict[str, Any]) -> None:
        self.root_file = root_file.resolve()
        self._documents: dict[Path, dict[str, Any]] = {self.root_file: root_document}

    def document(self, file: Path) -> dict[str, Any]:
        """The document of ``file`` (loaded once)."""
        file = file.resolve()
        if file not in self._documents:
            self._documents[file] = load_document(file)[0]
        return self._documents[file]

    def resolve(self, ref: str, base: Path, where: str) -> tuple[Path, str, Any]:
        """Resolve ``ref`` found at JSON pointer ``where`` of file ``base``.

        Returns the target's file, its pointer inside that file, and its value.
        """
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            raise RefResolutionError(
                str(base),
                where,
                f"$ref {ref!r} points off this machine; remote references are not fetched",
                hint="copy the referenced document next to the spec and use a relative path",
            )
        file = (base.parent / unquote(parts.path)).resolve() if parts.path else base.resolve()
        try:
            document = self.document(file)
        except RefResolutionError:
            raise
        except Exception as exc:
            raise RefResolutionError(str(base), where, f"$ref {ref!r}: {exc}") from exc
        pointer = parts.fragment
        try:
            value = resolve_pointer(document, pointer)
        except KeyError as exc:
            raise RefResolutionError(
                str(base),
                where,
                f"$ref {ref!r} does not resolve: no {exc.args[0]!r} in {file.name}",
            ) from exc
        return file, pointer, value

    def deref(self, node: Any, base: Path, where: str, *, depth: int = 0) -> tuple[Any, str]:
        """Follow ``$ref`` chains of a Reference Object; return the value and its pointer."""
        pointer = where
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if depth > 32:
                raise RefResolutionError(str(base), where, "a $ref chain is longer than 32 steps")
            base, pointer, node = self.resolve(node["$ref"], base, pointer)
            depth += 1
        return node, pointer
