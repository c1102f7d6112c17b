"""Validate instances with the *reference* validator (openapi-schema-validator, on jsonschema).

The linter and the tests use this, never our own generated code, to judge the specs' examples:
a bug in the generator must not be able to hide a bug in a spec. Local and relative-file
``$ref`` resolve through a ``referencing`` registry; nothing is fetched from the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30WriteValidator,
    oas30_format_checker,
)
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT4

from generator.loader import load_document

__all__ = ["ReferenceValidator"]

Direction = Literal["request", "response"]


class ReferenceValidator:
    """Validates instances against schemas of one spec document, found by JSON pointer."""

    def __init__(self, file: Path, document: Mapping[str, Any]) -> None:
        self.uri = file.resolve().as_uri()

        def retrieve(uri: str) -> Resource[Any]:
            parts = urlsplit(uri)
            if parts.scheme != "file":
                raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
            return Resource.from_contents(
                load_document(Path(parts.path))[0], default_specification=DRAFT4
            )

        root = Resource.from_contents(dict(document), default_specification=DRAFT4)
        self.registry: Registry[Any] = Registry(retrieve=retrieve).with_resource(self.uri, root)  # type: ignore[call-arg]
        self._cache: dict[tuple[str, Direction], Any] = {}

    def _validator(self, pointer: str, direction: Direction) -> Any:
        key = (pointer, direction)
        if key not in self._cache:
            cls = OAS30WriteValidator if direction == "request" else OAS30ReadValidator
            ref = {"$ref": f"{self.uri}#{quote(pointer, safe='/~')}"}
            self._cache[key] = cls(ref, registry=self.registry, format_checker=oas30_format_checker)
        return self._cache[key]

    def errors(self, pointer: str, instance: Any, direction: Direction) -> list[str]:
        """Readable errors of ``instance`` against the schema at ``pointer``: ``/where: what``."""
        found = []
        try:
            errors = list(self._validator(pointer, direction).iter_errors(instance))
        except Unresolvable as exc:  # a broken $ref; the linter reports the ref itself
            return [f"/: cannot be checked, a $ref does not resolve ({exc})"]
        for error in errors:
            where = "".join(
                "/" + str(token).replace("~", "~0").replace("/", "~1")
                for token in error.absolute_path
            )
            found.append(f"{where or '/'}: {error.message}")
        return sorted(found)

    def is_valid(self, pointer: str, instance: Any, direction: Direction) -> bool:
        return not self.errors(pointer, instance, direction)
