"""The one error tree of specpact.

Every problem with a *spec* (the input of the generator) is a ``SpecError``; problems with an
*instance* (a request or response being validated) are never exceptions but data: a list of
``Violation`` records returned by the validators. Third-party errors (YAML, CEL, regex) are
converted at the boundary with ``raise ... from exc`` so callers only ever catch this tree::

    SpecpactError
     └── SpecError                 file: pointer: reason   (CLI exit code 2)
          ├── SpecLoadError        unreadable file, YAML syntax, duplicate or non-string keys
          ├── RefResolutionError   a $ref that does not resolve, or points off the machine
          ├── RuleError            an x-rules / x-state entry that is malformed or does not parse
          └── GenerationError      a schema the generator cannot compile (bad regex, unknown format)
"""

from __future__ import annotations

__all__ = [
    "GenerationError",
    "RefResolutionError",
    "RuleError",
    "SpecError",
    "SpecLoadError",
    "SpecpactError",
]


class SpecpactError(Exception):
    """Root of every error specpact raises on purpose."""


class SpecError(SpecpactError):
    """A spec cannot be used. Names the file, the JSON pointer inside it and the reason.

    >>> str(SpecError("specs/a.yaml", "/paths/~1x", "unknown keyword"))
    'specs/a.yaml: /paths/~1x: unknown keyword'
    """

    def __init__(self, file: str, pointer: str, reason: str, *, hint: str | None = None) -> None:
        self.file = file
        self.pointer = pointer
        self.reason = reason
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.file}: {self.pointer or '/'}: {self.reason}"
        return f"{text} (hint: {self.hint})" if self.hint else text


class SpecLoadError(SpecError):
    """The file cannot be read or parsed as a YAML/JSON document."""


class RefResolutionError(SpecError):
    """A ``$ref`` does not resolve, or would need the network (refused by default)."""


class RuleError(SpecError):
    """An ``x-rules`` or ``x-state`` declaration is malformed or its CEL does not parse."""


class GenerationError(SpecError):
    """A schema cannot be compiled into a validator (impossible regex, unknown format, ...)."""
