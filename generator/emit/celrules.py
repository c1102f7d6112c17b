"""The statements that check a node's ``x-rules`` in the generated functions.

Each rule is compiled by `generator.emit.cel` into one Python expression; here the rules of a
node become ``if not (...)`` statements: in the fast function, ``return False`` at the first
rule that does not hold; in the collector, an ``x-rules`` `Violation` per failing rule, at the
instance location plus the rule's ``path`` and with the rule's message. Values the rules of a
node share (the lists `cel_pairs` reads, `generator.emit.cel.Hoisted`) are assigned once, first.

>>> from generator.model import Rule
>>> fast, collect = rule_statements([Rule("self > 0", "positive", "", "/x-rules/0")],
...     subject="x", path_expr="path", unit_const=repr, file="-")
>>> for line in collect: print(line)
if not (((x > 0 if type(x) is int else _rt.cel_gt(x, 0))) is True):
    out.append(_rt.violation(path, ('x-rules', 0), 'x-rules', x, 'positive'))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from generator.emit.cel import Hoisted, Shape, translate_rule
from generator.emit.writer import literal
from generator.errors import GenerationError
from generator.model import Rule

__all__ = ["emit_rule_checks", "rule_statements"]


def _pointer_tokens(pointer: str) -> tuple[str, ...]:
    """RFC 6901: ``"/a~1b/0"`` -> ``("a/b", "0")``."""
    if not pointer:
        return ()
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:])


def _rule_location(rule: Rule) -> tuple[str | int, ...]:
    """The document location of ``rule`` (its index in ``x-rules`` as an int)."""
    tokens: list[str | int] = list(_pointer_tokens(rule.pointer))
    if tokens and re.fullmatch(r"[0-9]+", str(tokens[-1])):
        tokens[-1] = int(tokens[-1])
    return tuple(tokens)


def rule_statements(
    rules: Sequence[Rule],
    *,
    subject: str,
    path_expr: str,
    unit_const: Callable[[object], str],
    file: str,
    schema_paths: Sequence[tuple[str | int, ...]] | None = None,
    shape: Shape | None = None,
    local: Callable[[], str] | None = None,
) -> tuple[list[str], list[str]]:
    """The statements checking ``rules`` on ``subject``: (fast form, collector form).

    The fast form returns ``False`` at the first rule that does not hold; the collector form
    appends a ``x-rules`` `Violation` per failing rule, at ``path_expr`` plus the rule's
    ``path``, whose message is the rule's (spec text, so a constant from ``unit_const``).
    ``schema_paths`` default to the rules' pointers; ``shape`` is ``self``'s (see
    `translate_rule`); ``local`` names fresh locals for values the rules share (`Hoisted`),
    assigned first. Lines are indented relative to each other.
    """
    fast: list[str] = []
    collect: list[str] = []
    hoisted = Hoisted(local) if local else None
    locations = schema_paths or [_rule_location(rule) for rule in rules]
    for rule, location in zip(rules, locations, strict=True):
        code = translate_rule(
            rule.rule, subject=subject, file=file, pointer=f"{rule.pointer}/rule",
            shape=shape, hoisted=hoisted,
        )  # fmt: skip
        if rule.path and not rule.path.startswith("/"):
            raise GenerationError(file, f"{rule.pointer}/path", "path must be a JSON pointer")
        where = path_expr
        if rule.path:
            base = path_expr if path_expr.isidentifier() else f"({path_expr})"
            where = f"{base} + {unit_const(_pointer_tokens(rule.path))}"
        args = ", ".join(
            (where, unit_const(location), literal("x-rules"), subject, unit_const(rule.message))
        )
        fast += [f"if not ({code.holds}):", "    return False"]
        collect += [f"if not ({code.holds}):", f"    out.append(_rt.violation({args}))"]
    shared = hoisted.lines if hoisted else []
    return shared + fast, shared + collect


def emit_rule_checks(
    rules: Sequence[Rule],
    *,
    subject: str,
    path_expr: str,
    unit_const: Callable[[object], str],
    file: str,
) -> tuple[str, str]:
    """`rule_statements` as two blocks of function-body lines (indented 4 spaces, each ending
    with a newline), for operation-level rules where ``self`` is ``{path, query, header,
    cookie, body}``.
    """
    fast, collect = rule_statements(
        rules, subject=subject, path_expr=path_expr, unit_const=unit_const, file=file
    )
    return "".join(f"    {line}\n" for line in fast), "".join(f"    {line}\n" for line in collect)
