"""Shapes of cel-python parse trees that `generator.emit.cel` compiles in a special way.

A tree is lark's, as cel-python's parser builds it; these functions only read it.

>>> from celpy.celparser import CELParser
>>> tree = CELParser().parse("l.all(a, l.exists(b, b - a >= 10))").children[0]
>>> form = pair_form("all", "a", unwrap(tree).children[2].children[1])
>>> form.quantifiers, form.relation, form.inner_first
((True, False), '>=', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

__all__ = ["PairForm", "pair_form", "timestamp_argument", "unwrap"]

# Single-child nodes of cel-python's grammar that only carry precedence.
_PASS: Final = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication"}
    | {"unary", "member", "primary", "paren_expr"}
)
_ORDERINGS: Final = {
    "relation_lt": ("<", ">"), "relation_le": ("<=", ">="),
    "relation_gt": (">", "<"), "relation_ge": (">=", "<="),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PairForm:
    """``A.Q1(a, B.Q2(b, f(b) - g(a) <relation> bound))``, the parts as parse trees.

    ``inner_first`` is false for ``g(a) - f(b)``; ``quantifiers`` are (Q1, Q2), true for
    ``all``. ``f`` does not read ``a``, ``g`` not ``b``, ``B`` and ``bound`` neither.
    """

    quantifiers: tuple[bool, bool]
    outer_variable: str
    inner_variable: str
    inner_target: Any
    relation: str
    bound: Any
    inner_term: Any
    outer_term: Any
    inner_first: bool


def _variables(tree: Any) -> set[str]:
    """The identifiers read anywhere in ``tree`` (macro variables included)."""
    return {str(sub.children[0]) for sub in tree.iter_subtrees() if sub.data == "ident"}


def pair_form(outer: str, outer_variable: str, body_tree: Any) -> PairForm | None:
    """``body_tree`` as the inner half of a `PairForm` of the macro ``outer``, if it is one."""
    body = unwrap(body_tree)
    if body.data != "member_dot_arg" or len(body.children) != 3:
        return None
    inner, arguments = str(body.children[1]), body.children[2].children
    variable = unwrap(arguments[0]) if len(arguments) == 2 else None
    if inner not in ("all", "exists") or variable is None or variable.data != "ident":
        return None
    inner_variable = str(variable.children[0])
    names = {outer_variable, inner_variable}
    if len(names) < 2 or outer_variable in _variables(body.children[0]):
        return None  # b shadows a, or B depends on a
    relation = unwrap(arguments[1])
    if relation.data != "relation" or relation.children[0].data not in _ORDERINGS:
        return None
    symbol, flipped = _ORDERINGS[relation.children[0].data]
    left, right = unwrap(relation.children[0].children[0]), unwrap(relation.children[1])
    if _is_difference(right) and not _is_difference(left):
        left, right, symbol = right, left, flipped
    if not _is_difference(left) or _variables(right) & names:
        return None
    first, second = left.children[0].children[0], left.children[1]
    if outer_variable not in _variables(first) and inner_variable not in _variables(second):
        inner_term, outer_term, inner_first = first, second, True
    elif inner_variable not in _variables(first) and outer_variable not in _variables(second):
        inner_term, outer_term, inner_first = second, first, False
    else:
        return None
    return PairForm(
        (outer == "all", inner == "all"), outer_variable, inner_variable, body.children[0],
        symbol, right, inner_term, outer_term, inner_first,
    )  # fmt: skip


def timestamp_argument(tree: Any) -> Any:
    """The argument tree of ``timestamp(argument)``, else None."""
    tree = unwrap(tree)
    if tree.data != "ident_arg" or str(tree.children[0]) != "timestamp":
        return None
    arguments = tree.children[1].children if len(tree.children) > 1 else []
    return arguments[0] if len(arguments) == 1 else None


def _is_difference(tree: Any) -> bool:
    return (
        tree.data == "addition"
        and len(tree.children) == 2
        and tree.children[0].data == "addition_sub"
    )


def unwrap(tree: Any) -> Any:
    """The node under the precedence-only chain above it (``(self.a)`` -> ``self.a``)."""
    while tree.data in _PASS and len(tree.children) == 1:
        tree = tree.children[0]
    return tree
