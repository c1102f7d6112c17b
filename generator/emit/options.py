"""`CompileOptions`: the one frozen settings object of the schema compiler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CompileOptions", "Dialect", "Direction", "UnknownFormats"]

Dialect = Literal["openapi-3.0", "draft4"]
Direction = Literal["request", "response"]
UnknownFormats = Literal["error", "ignore"]

_DIALECTS = ("openapi-3.0", "draft4")
_DIRECTIONS = ("request", "response", None)
_UNKNOWN_FORMATS = ("error", "ignore")


@dataclass(frozen=True, slots=True, kw_only=True)
class CompileOptions:
    """How to compile a schema.

    * ``dialect``: ``"openapi-3.0"`` (the Schema Object of OpenAPI 3.0.3: ``nullable``,
      ``readOnly``/``writeOnly``, ``discriminator``, OpenAPI formats) or plain ``"draft4"``.
    * ``direction``: OpenAPI only. ``"request"`` rejects ``readOnly`` properties and does not
      require them, ``"response"`` does the same for ``writeOnly``; ``None`` requires neither.
    * ``unknown_formats``: ``"error"`` makes an unknown ``format`` a `GenerationError`;
      ``"ignore"`` accepts any value for it, as JSON Schema itself specifies.
    * ``integral_floats_are_integers``: accept ``1.0`` for ``type: integer`` (draft 6 and
      later). Off by default: draft 4 and OpenAPI 3.0 validators reject it.

    >>> CompileOptions(dialect="openapi-3.0", direction="request").direction
    'request'
    """

    dialect: Dialect = "openapi-3.0"
    direction: Direction | None = None
    unknown_formats: UnknownFormats = "error"
    integral_floats_are_integers: bool = False

    def __post_init__(self) -> None:
        if self.dialect not in _DIALECTS:
            raise ValueError(f"dialect must be one of {_DIALECTS}, not {self.dialect!r}")
        if self.direction not in _DIRECTIONS:
            raise ValueError(f"direction must be one of {_DIRECTIONS}, not {self.direction!r}")
        if self.direction is not None and self.dialect != "openapi-3.0":
            raise ValueError("direction only applies to the 'openapi-3.0' dialect")
        if self.unknown_formats not in _UNKNOWN_FORMATS:
            raise ValueError(
                f"unknown_formats must be one of {_UNKNOWN_FORMATS}, not {self.unknown_formats!r}"
            )
