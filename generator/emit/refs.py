"""Local ``$ref`` resolution inside one document: JSON pointers, ``id`` scopes, anchors.

A *location* is the tuple of tokens from the document root to a node, e.g.
``("definitions", "node", "properties", 0)``; generated functions are keyed by location.

* ``#/a/b~1c`` JSON pointers, percent-decoded first (``%25`` is ``%``), ``~1`` is ``/``, ``~0``
  is ``~``; array members by decimal index.
* Draft 4 ``id`` (also honoured in OpenAPI 3.0 documents, as openapi-schema-validator does)
  changes the base URI of its subschema; ``{"id": "#name"}`` is a location-independent anchor.
  A schema with ``$ref`` ignores its siblings, ``id`` included.
* Anything that is not inside the document (remote URLs, other files) is a
  `RefResolutionError`: generated validators never fetch anything.

>>> r = Resolver({"definitions": {"a~b": {"type": "string"}}}, "<schema>")
>>> r.resolve("#/definitions/a~0b", "", ())
('definitions', 'a~b')
"""

from __future__ import annotations

from urllib.parse import unquote, urldefrag, urljoin

from generator.errors import GenerationError, RefResolutionError

__all__ = ["Location", "Resolver", "pointer"]

Location = tuple[str | int, ...]

# Keywords whose values hold subschemas, and how: one schema, a list, or a name -> schema map.
SCHEMA_KEYWORDS = {
    "not": "one",
    "additionalProperties": "one",
    "additionalItems": "one",
    "items": "one_or_list",
    "allOf": "list",
    "anyOf": "list",
    "oneOf": "list",
    "properties": "map",
    "patternProperties": "map",
    "definitions": "map",
    "dependencies": "map",
}


def pointer(location: Location) -> str:
    """The RFC 6901 pointer of ``location``: ``("a/b", 0)`` -> ``"/a~1b/0"``."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in location)


def _join(base: str, reference: str) -> str:
    if not base:
        return reference
    if reference.startswith("#"):
        return urldefrag(base)[0] + reference
    return urljoin(base, reference)


class Resolver:
    """Indexes the ``id`` scopes of one document and resolves ``$ref`` strings to locations."""

    def __init__(self, document: object, file: str) -> None:
        self.document = document
        self.file = file
        self._ids: dict[str, Location] = {}
        self._indexed: set[Location] = set()
        self.root_base = ""
        if isinstance(document, dict) and isinstance(document.get("id"), str):
            self.root_base = "" if "$ref" in document else document["id"]
        self._ids[urldefrag(self.root_base)[0]] = ()
        self.index(())

    def index(self, start: Location) -> None:
        """Register the ``id`` scopes of the schema at ``start`` and of its subschemas.

        A whole OpenAPI document is not a schema, so each schema compiled from it is indexed
        from its own location (``/components/schemas/Pet``) on first use.
        """
        if start in self._indexed:
            return
        self._indexed.add(start)
        base = self.base_of(start[:-1]) if start else ""
        stack: list[tuple[Location, object, str]] = [(start, self.node(start), base)]
        while stack:
            location, node, base = stack.pop()
            if not isinstance(node, dict):
                continue
            schema_id = node.get("id")
            if isinstance(schema_id, str) and "$ref" not in node:
                base = _join(base, schema_id)
                self._ids.setdefault(base, location)
                self._ids.setdefault(urldefrag(base)[0] if "#" not in schema_id else base, location)
            for keyword in reversed(list(node)):
                shape = SCHEMA_KEYWORDS.get(keyword) if type(keyword) is str else None
                value = node[keyword]
                if shape in ("one", "one_or_list") and isinstance(value, dict):
                    stack.append(((*location, keyword), value, base))
                elif shape in ("list", "one_or_list") and isinstance(value, list):
                    stack.extend(
                        ((*location, keyword, i), item, base) for i, item in enumerate(value)
                    )
                elif shape == "map" and isinstance(value, dict):
                    stack.extend(
                        ((*location, keyword, name), item, base) for name, item in value.items()
                    )

    def node(self, location: Location) -> object:
        """The value at ``location`` (which must exist)."""
        node = self.document
        for token in location:
            node = node[token]  # type: ignore[index]
        return node

    def base_of(self, location: Location) -> str:
        """The base URI in effect for the schema at ``location``."""
        base = self.root_base
        node = self.document
        for token in location:
            node = node[token]  # type: ignore[index]
            if isinstance(node, dict) and isinstance(node.get("id"), str) and "$ref" not in node:
                base = _join(base, node["id"])
        return base

    def resolve(self, ref: str, base: str, at: Location) -> Location:
        """The location that ``ref`` (found at ``at``, under ``base``) points to."""
        full = _join(base, ref)
        uri, fragment = urldefrag(full)
        if fragment and not fragment.startswith("/"):
            anchor = self._ids.get(full)
            if anchor is None:
                raise self._error(at, f"$ref {ref!r}: no schema has the id {full!r}")
            return anchor
        start = self._ids.get(uri)
        if start is None:
            raise self._error(at, f"$ref {ref!r} is not inside this document (refused)")
        location = start
        node = self.node(start)
        for raw in unquote(fragment).split("/")[1:] if fragment else ():
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                location, node = (*location, token), node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                if token != str(int(token)):
                    raise self._error(at, f"$ref {ref!r}: bad array index {token!r}")
                location, node = (*location, int(token)), node[int(token)]
            else:
                raise self._error(at, f"$ref {ref!r} does not resolve (no {token!r})")
        return location

    def target(self, location: Location) -> Location:
        """Follow a chain of schemas that are only a ``$ref`` to the first real schema."""
        seen = [location]
        node = self.node(location)
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                raise GenerationError(
                    self.file, pointer((*location, "$ref")), "$ref must be a string"
                )
            location = self.resolve(ref, self.base_of(location), location)
            if location in seen:
                raise GenerationError(self.file, pointer(location), "circular $ref chain")
            seen.append(location)
            node = self.node(location)
        return location

    def _error(self, at: Location, reason: str) -> RefResolutionError:
        return RefResolutionError(self.file, pointer((*at, "$ref")), reason)
