"""The JSON Schema draft 4 dialect: the hooks an adapter (`openapi30`) may override.

The keyword emitters never test which dialect is in use; they ask the dialect object:
which ``type`` values are allowed, whether ``null`` is admitted, whether a ``required`` name is
enforced, which formats exist, which keywords there are, and which ``x-rules`` a schema has.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.emit.formats import DRAFT4_FORMATS, FormatSpec
from generator.emit.keywords import KEYWORDS, Keyword
from generator.emit.options import Direction

if TYPE_CHECKING:
    from generator.emit.builder import UnitBuilder
    from generator.emit.function import FunctionEmitter, Node
    from generator.model import Rule

__all__ = ["Draft4"]


class Draft4:
    """Plain JSON Schema draft 4."""

    name = "draft4"
    type_names_allowed: tuple[str, ...] = (
        "array", "boolean", "integer", "null", "number", "object", "string",
    )  # fmt: skip
    tuple_items = True
    items_shape = "a schema or an array of schemas"
    direction: Direction | None = None

    @property
    def formats(self) -> Mapping[str, FormatSpec]:
        return DRAFT4_FORMATS

    def keywords(self) -> tuple[Keyword, ...]:
        """The keyword table, in evaluation order."""
        return KEYWORDS

    def type_names(self, f: FunctionEmitter, node: Node, value: object) -> tuple[str, ...]:
        """``{"type": "string"}`` or ``{"type": ["string", "null"]}``, checked."""
        names = [value] if type(value) is str else value
        if (
            type(names) is not list
            or not names
            or any(name not in self.type_names_allowed for name in names)
        ):
            allowed = ", ".join(self.type_names_allowed)
            raise f.error(
                (*node.loc, "type"), f"type must be one of {allowed} or a non-empty array of them"
            )
        return tuple(dict.fromkeys(names))

    def admits_null(self, schema: Mapping[str, object]) -> bool:
        """Whether ``null`` passes the ``type`` check even if not listed (OpenAPI nullable)."""
        return False

    def required_skipped(self, f: FunctionEmitter, node: Node, name: str) -> bool:
        """Whether ``required`` does not apply to property ``name`` (OpenAPI read/write)."""
        return False

    def rules(self, f: FunctionEmitter, node: Node) -> tuple[Rule, ...]:
        """The schema's ``x-rules``: none, in plain JSON Schema it is an unknown keyword."""
        return ()

    def known_type(self, schema: Mapping[str, object], unit: UnitBuilder) -> str | None:
        """The one type an instance has once the fast path's ``type`` check passed."""
        value = schema.get("type")
        if type(value) is list and len(value) == 1:
            value = value[0]
        if type(value) is not str or self.admits_null(schema):
            return None
        if value == "integer" and unit.options.integral_floats_are_integers:
            return "number"
        return value
