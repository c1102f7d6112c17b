"""Compile CEL ``x-rules`` into Python for the generated validators.

A rule is parsed at generation time by cel-python's own parser (its lark grammar) and the tree is
walked into *one Python expression* that needs no CEL library to run: common cases are inline
operators behind cheap ``type(a) is int`` guards (walrus temporaries hold the operands), the
rest calls `generator.runtime.cel`, which gives every operation the meaning cel-python 0.5, the
linter's interpreter, gives it. The expression is true iff the rule evaluates to ``true``; an
error, a non-bool, or an evaluation cel-python abandons with an exception, is false.

Spec text never becomes code: field names and strings are `literal()` constants used as lookup
keys, and the only names an expression binds are ``_c0`` (``now``), ``_c1``, ``_c2``... for
temporaries and renamed macro variables. Anything outside the subset below is a
`GenerationError` naming the construct:

* literals: int, uint, double, string, bool, null, lists; identifiers ``self``, ``now`` and
  macro variables; ``e.f``, ``e[i]``, ``has(e.f)``;
* ``! - * / % + - < <= > >= == != in && || ?:``;
* ``size``, ``int``, ``uint``, ``double``, ``string``, ``timestamp``, ``duration``; the methods
  ``size``, ``contains``, ``startsWith``, ``endsWith``, ``matches`` (a literal RE2 pattern in the
  subset `generator.emit.re2` translates);
* the macros ``all``, ``exists``, ``exists_one``, ``map``, ``filter``.

Refused: bytes and map literals, message construction, ``.name``, other functions and methods.

What the schema guarantees (a `Shape`: types, required fields, the locals already holding
them) drops guards. Three rewrites keep cel-python's answers and change the cost: two nested
``all``/``exists`` over a difference (``A.all(a, B.all(b, f(b) - g(a) <= k))``) are decided
from the extremes of ``f`` and ``g`` (`generator.runtime.cel.cel_pairs`, O(n) instead of
O(n²); the macros still run when a value is no int), those lists computed once for all the
rules of a node (`Hoisted`); ``timestamp(a) < timestamp(b)`` compares two ints
(``cel_instant``); ``timestamp()`` of a short string reads the runtime's memo directly.

>>> print(translate_rule("has(self.a)", subject="x", file="-", pointer="/r").holds)
(('a' in x if type(x) is dict else _rt.cel_has(x))) is True
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from generator.emit.celforms import PairForm, pair_form, timestamp_argument, unwrap
from generator.emit.re2 import translate_re2
from generator.emit.writer import literal
from generator.errors import GenerationError
from generator.model import Rule
from generator.runtime.cel import CEL_KEPT

__all__ = ["CelCode", "Hoisted", "Shape", "emit_rule_checks", "rule_statements", "translate_rule"]

_MIN: Final = -(2**63)
_MAX: Final = 2**63 - 1
_NONE = type(None)
# Longer chains of && or || become one runtime call: nested inline, they would exceed the
# nesting Python's parser allows.
_INLINE_CHAIN: Final = 16

_RELATIONS: Final = {
    "relation_lt": ("<", "cel_lt"), "relation_le": ("<=", "cel_le"),
    "relation_gt": (">", "cel_gt"), "relation_ge": (">=", "cel_ge"),
    "relation_eq": ("==", "cel_eq"), "relation_ne": ("!=", "cel_ne"),
}  # fmt: skip
_ARITHMETIC: Final = {
    "addition_add": ("+", "cel_add"), "addition_sub": ("-", "cel_sub"),
    "multiplication_mul": ("*", "cel_mul"), "multiplication_div": ("//", "cel_div"),
    "multiplication_mod": ("%", "cel_mod"),
}  # fmt: skip
# The conversions: CEL name -> (the Python type they leave unchanged, the runtime helper).
_FUNCTIONS: Final = {
    "size": (None, "cel_size"), "int": (int, "cel_int"), "uint": (None, "cel_uint"),
    "double": (float, "cel_double"), "string": (str, "cel_string"),
    "timestamp": (None, "cel_timestamp"), "duration": (None, "cel_duration"),
}  # fmt: skip
_STRING_METHODS: Final = {
    "contains": ("{b} in {a}", "cel_contains"),
    "startsWith": ("{a}.startswith({b})", "cel_starts_with"),
    "endsWith": ("{a}.endswith({b})", "cel_ends_with"),
}
# Results that are never a double, so int() of them cannot overflow.
_NOT_NUMBERS: Final = frozenset({"cel_timestamp", "cel_duration", "cel_string", "cel_size"})
_INT: Final[frozenset[type]] = frozenset({int})
_EQ_FAST: Final[frozenset[type]] = frozenset({int, str, bool, float, type(None)})
_ORD_FAST: Final[frozenset[type]] = frozenset({int, str, bool, float})
_FAST_SETS: Final = {_EQ_FAST: "CEL_EQ_FAST", _ORD_FAST: "CEL_ORD_FAST"}
_MACROS: Final = frozenset({"all", "exists", "exists_one", "map", "filter"})
# A macro variable by this name would be shadowed by cel-python's protobuf package namespace.
_RESERVED_VARIABLES: Final = frozenset({"google"})


@dataclass(frozen=True, slots=True)
class CelCode:
    """A compiled rule: ``holds`` is a Python expression, true iff the rule holds."""

    holds: str
    uses_now: bool


@dataclass(frozen=True, slots=True)
class Shape:
    """What a schema guarantees about a valid instance: its Python type, for an object the
    shapes of the properties it always has, for an array the shape of every item; ``held``
    names the local variables that already hold some of those properties.

    >>> Shape(dict, {"start": Shape(int)}).fields["start"].kind
    <class 'int'>
    """

    kind: type
    fields: Mapping[str, Shape] = field(default_factory=dict)
    items: Shape | None = None
    held: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Hoisted:
    """Values computed once, before a node's rules, for all of them: ``lines`` assign each to a
    local named by ``local`` (lists `cel_pairs` reads, shared by rules that build the same)."""

    local: Callable[[], str]
    names: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def name(self, code: str) -> str:
        """The local holding the value of ``code`` (pure, never raising, reading no ``now``)."""
        if code not in self.names:
            self.names[code] = name = self.local()
            self.lines.append(f"{name} = {code}")
        return self.names[code]


@dataclass(frozen=True, slots=True)
class _Py:
    """A translated subexpression: Python source and what is known about its value.

    A ``kind`` (the value's Python type, known at generation time) also means the code is pure,
    cheap and never an error: it is repeated instead of bound to a temporary, and guards on it
    are left out.
    """

    code: str
    name: bool = False  # a bare name: repeated rather than bound to a temporary
    kind: type | None = None
    literal: bool = False  # ``value`` is the literal's value
    value: Any = None
    aborts: bool = False  # may stand for an evaluation cel-python abandons (raises)
    helper: str = ""  # the runtime function whose result this is, if any
    argument: str = ""  # and the code of its argument
    argument_kind: type | None = None  # and that argument's kind
    shape: Shape | None = None  # for a known dict or list: what more is known


def _shaped(code: str, shape: Shape, name: bool = False) -> _Py:
    return _Py(code, name=name, kind=shape.kind, shape=shape)


def _literal(value: object) -> _Py:
    """A literal operand; a negative number is parenthesized (``x - (-1)``)."""
    text = literal(value)
    text = f"({text})" if text.startswith("-") else text
    return _Py(text, kind=type(value), literal=True, value=value)


def _type_test(py: _Py, text: str, kind: type) -> str | None:
    """The test that ``py`` (``text``) is a ``kind``: ``""`` if known, None if known not."""
    if py.kind is kind:
        return ""
    return None if py.kind is not None else f"type({text}) is {kind.__name__}"


def _all(*tests: str) -> str:
    return " and ".join(test for test in tests if test) or "True"


class _Translator:
    """Walks one rule's parse tree; ``self`` is the Python value ``subject``."""

    def __init__(
        self, subject: _Py, file: str, pointer: str, hoisted: Hoisted | None = None
    ) -> None:
        self.file = file
        self.pointer = pointer
        self.hoisted = hoisted
        self.scopes: list[dict[str, _Py]] = [{"self": subject}]
        self.count = 0
        self.uses_now = False
        self.done: dict[int, _Py] = {}

    def fail(self, reason: str) -> GenerationError:
        return GenerationError(self.file, self.pointer, reason)

    def temp(self) -> str:
        self.count += 1
        return f"_c{self.count}"

    def bind(self, py: _Py) -> tuple[str, str]:
        """(text for the first use, text for later uses) of ``py``'s value."""
        if py.name or py.kind is not None:
            return py.code, py.code
        name = self.temp()
        return f"({name} := {py.code})", name

    def bind_for_is(self, py: _Py) -> tuple[str, str]:
        """As `bind`, but never a literal Python would warn about in ``x is ...``."""
        if py.literal and py.kind in (int, float, str, list):
            return self.bind(_Py(py.code))
        return self.bind(py)

    def pair_test(self, left: _Py, right: _Py, kinds: frozenset[type]) -> tuple[str, str, str]:
        """Bind both operands; the test that both are of one type in ``kinds`` (``""``: they
        are), and the later-use texts. Raises `_Slow` if they cannot be."""
        l1, l2 = self.bind(left)
        r1, r2 = self.bind(right)
        known = [py.kind for py in (left, right) if py.kind is not None]
        if any(kind not in kinds for kind in known) or len(set(known)) > 1:
            raise _Slow
        if len(known) == 2:
            return "", l2, r2
        if known:
            return (
                _type_test(right if left.kind else left, r1 if left.kind else l1, known[0]) or "",
                l2,
                r2,
            )
        if len(kinds) == 1:
            return f"type({l1}) is type({r1}) is {next(iter(kinds)).__name__}", l2, r2
        return f"type({l1}) is type({r1}) in _rt.{_FAST_SETS[kinds]}", l2, r2

    # -- the walk ------------------------------------------------------------------------------

    def visit(self, tree: Any) -> _Py:
        """The translation of ``tree``, made once (`int_form` may ask for it first)."""
        tree = unwrap(tree)
        done = self.done.get(id(tree))
        if done is not None:
            return done
        handler = self.HANDLERS.get(tree.data)
        if handler is None:
            raise self.fail(f"unsupported CEL construct: {tree.data}")
        self.done[id(tree)] = result = handler(self, tree)
        return result

    def conditional(self, tree: Any) -> _Py:
        condition, then, otherwise = (self.visit(child) for child in tree.children)
        aborts = condition.aborts or then.aborts or otherwise.aborts
        if condition.kind is bool and not aborts:
            code = f"({then.code} if {condition.code} else {otherwise.code})"
            return _Py(code, kind=then.kind if then.kind is otherwise.kind else None)
        first, later = self.bind(condition)
        code = f"_rt.cel_cond({then.code} if {first} else {otherwise.code}, {later})"
        return _Py(code, aborts=aborts)

    def logic(self, tree: Any) -> _Py:
        """``a && b && ...`` (or ``||``): nested inline checks, or one call for a long chain."""
        operator, data = ("or" if tree.data == "conditionalor" else "and"), tree.data
        operands = []
        while tree.data == data and len(tree.children) == 2:
            operands.append(tree.children[1])
            tree = tree.children[0]
        translated = [self.visit(child) for child in (tree, *reversed(operands))]
        if len(translated) > _INLINE_CHAIN:  # inline, each operand would nest the source deeper
            codes = ", ".join(py.code for py in translated)
            return _Py(f"_rt.cel_{operator}({codes})", aborts=any(py.aborts for py in translated))
        result = translated[0]
        for right in translated[1:]:
            result = self.combine(operator, result, right)
        return result

    def combine(self, operator: str, left: _Py, right: _Py) -> _Py:
        aborts = left.aborts or right.aborts
        if left.kind is bool and right.kind is bool:
            return _Py(f"({left.code} {operator} {right.code})", kind=bool)
        if {left.kind, right.kind} - {None, bool}:  # a known non-bool: no inline path
            return _Py(f"_rt.cel_{operator}({left.code}, {right.code})", aborts=aborts)
        l1, l2 = self.bind_for_is(left)
        r1, r2 = self.bind(right)
        helper = f"_rt.cel_{operator}({l2}, {r2})"
        if right.aborts:  # cel-python evaluates both sides, so the right one's abort counts
            tests = [f"type({text}) is" for py, text in ((left, l1), (right, r1)) if not py.kind]
            test = " ".join(tests) + " bool"
            return _Py(f"(({l2} {operator} {r2}) if {test} else {helper})", aborts=aborts)
        decided, other = ("True", "False") if operator == "or" else ("False", "True")
        test = _all(_type_test(right, r1, bool) or "", f"{l2} is {other}")
        code = f"({decided} if {l1} is {decided} else ({r2} if {test} else {helper}))"
        return _Py(code, aborts=aborts)

    def relation(self, tree: Any) -> _Py:
        operation = tree.children[0].data
        if operation == "relation_in":
            left, right = self.visit(tree.children[0].children[0]), self.visit(tree.children[1])
            return self.member_of(left, right)
        symbol, helper = _RELATIONS[operation]
        fused = self.int_relation(tree, symbol, helper)
        if fused is not None:
            return fused
        left, right = self.instants(tree.children[0].children[0], tree.children[1])
        aborts = left.aborts or right.aborts
        equality = symbol in ("==", "!=")
        if equality and _NONE in (left.kind, right.kind) and left.kind != right.kind:
            other = right if left.kind is _NONE else left
            if other.kind is None:
                first, later = self.bind(other)
                args = f"{later}, None" if other is left else f"None, {later}"
                decided = "True" if symbol == "==" else "False"
                code = f"({decided} if {first} is None else _rt.{helper}({args}))"
                return _Py(code, aborts=aborts)
        try:
            test, l2, r2 = self.pair_test(left, right, _EQ_FAST if equality else _ORD_FAST)
        except _Slow:
            return _Py(f"_rt.{helper}({left.code}, {right.code})", aborts=aborts)
        if not test:
            return _Py(f"({l2} {symbol} {r2})", kind=bool)
        return _Py(f"({l2} {symbol} {r2} if {test} else _rt.{helper}({l2}, {r2}))", aborts=aborts)

    def instants(self, left_tree: Any, right_tree: Any) -> tuple[_Py, _Py]:
        """The operands of a comparison; ``timestamp(a) < timestamp(b)`` compares the two
        instants as ints (`cel_instant`), not as timestamps built to be compared."""
        arguments = [timestamp_argument(side) for side in (left_tree, right_tree)]
        if arguments[0] is None or arguments[1] is None:
            return self.visit(left_tree), self.visit(right_tree)
        left, right = (self.visit(argument) for argument in arguments)
        return (
            _Py(self.remembered("cel_instant", left.code, left.kind), aborts=left.aborts),
            _Py(self.remembered("cel_instant", right.code, right.kind), aborts=right.aborts),
        )

    def int_relation(self, tree: Any, symbol: str, helper: str) -> _Py | None:
        """A comparison of arithmetic results (`int_form`): one guarded Python comparison."""
        left = self.int_form(tree.children[0].children[0])
        right = self.int_form(tree.children[1]) if left else None
        if left is None or right is None or not (left.checks or right.checks):
            return None
        both = _IntForm(left.checks + right.checks, "", "", None, left.operands + right.operands)
        if len(both.operands) > 2:
            return None
        slow = f"_rt.{helper}({left.slow}, {right.slow})"
        code = f"({left.fast} {symbol} {right.fast} if {both.guard} else {slow})"
        return _Py(code, aborts=left.aborts or right.aborts)

    def member_of(self, item: _Py, container: _Py) -> _Py:
        aborts = item.aborts or container.aborts
        values = container.value if container.literal and container.kind is list else None
        kinds = {type(value) for value in values or ()}
        if len(kinds) == 1 and kinds <= {int, str} and item.kind in (None, *kinds):
            first, later = self.bind(item)
            options = literal(tuple(values or ()))
            test = _type_test(item, first, kinds.pop())
            if not test:
                return _Py(f"({later} in {options})", kind=bool)
            code = f"({later} in {options} if {test} else _rt.cel_in({later}, {container.code}))"
            return _Py(code, aborts=aborts)
        return _Py(f"_rt.cel_in({item.code}, {container.code})", aborts=aborts)

    def int_form(self, tree: Any) -> _IntForm | None:
        """``tree`` as integer arithmetic, if it is that: plain Python operators guarded by
        checks (the operands are ints, every step is in range, a division is of naturals), and
        a runtime-only form ``slow`` that gives cel-python's answer otherwise."""
        tree = unwrap(tree)
        if tree.data not in ("addition", "multiplication") or len(tree.children) != 2:
            leaf = self.visit(tree)
            if leaf.kind is int:
                return _IntForm((), leaf.code, leaf.code, leaf)
            if leaf.kind is not None:
                return None
            first, later = self.bind(leaf)
            return _IntForm((), later, later, leaf, (first,), leaf.aborts)
        symbol, helper = _ARITHMETIC[tree.children[0].data]
        left = self.int_form(tree.children[0].children[0])
        right = self.int_form(tree.children[1]) if left else None
        if left is None or right is None or len(left.operands + right.operands) > 2:
            return None  # more than two operands to test could not all be bound up front
        checks = [*left.checks, *right.checks]
        slow = f"_rt.{helper}({left.slow}, {right.slow})"
        operands, aborts = left.operands + right.operands, left.aborts or right.aborts
        if symbol in ("//", "%"):
            for form, lowest in ((left, 0), (right, 1)):
                if form.leaf is None or not form.leaf.literal:
                    checks.append(f"{form.fast} >= {lowest}")
                elif form.leaf.value < lowest:
                    return None
            fast = f"({left.fast} {symbol} {right.fast})"
            return _IntForm(tuple(checks), fast, slow, None, operands, aborts)
        result = self.temp()
        checks.append(f"{_MIN} <= ({result} := {left.fast} {symbol} {right.fast}) <= {_MAX}")
        return _IntForm(tuple(checks), result, slow, None, operands, aborts)

    def arithmetic(self, tree: Any) -> _Py:
        """``a + b`` and the like: an `int_form` if it is one, else inline on two ints."""
        form = self.int_form(tree)
        if form is not None and not form.guard:
            return _Py(form.fast, kind=int)
        if form is not None:
            return _Py(f"({form.fast} if {form.guard} else {form.slow})", aborts=form.aborts)
        symbol, helper = _ARITHMETIC[tree.children[0].data]
        left, right = self.visit(tree.children[0].children[0]), self.visit(tree.children[1])
        aborts = left.aborts or right.aborts
        slow = f"_rt.{helper}({left.code}, {right.code})"
        # Python's floor division is CEL's truncation when both sides are positive.
        signs = symbol in ("//", "%") and (
            (right.literal and right.kind is int and right.value <= 0)
            or (left.literal and left.kind is int and left.value < 0)
        )
        if signs:
            return _Py(slow, aborts=aborts)
        try:
            test, l2, r2 = self.pair_test(left, right, _INT)
        except _Slow:
            return _Py(slow, aborts=aborts)
        slow = f"_rt.{helper}({l2}, {r2})"
        if symbol in ("//", "%"):
            signs_test = _all(
                "" if left.literal else f"{l2} >= 0", "" if right.literal else f"{r2} > 0"
            )
            return _Py(
                f"({l2} {symbol} {r2} if {_all(test, signs_test)} else {slow})", aborts=aborts
            )
        result = self.temp()
        check = f"{_MIN} <= ({result} := {l2} {symbol} {r2}) <= {_MAX}"
        return _Py(f"({result} if {_all(test, check)} else {slow})", aborts=aborts)

    def unary(self, tree: Any) -> _Py:
        operand = self.visit(tree.children[1])
        negate = tree.children[0].data == "unary_not"
        helper = "cel_not" if negate else "cel_neg"
        test = _type_test(operand, operand.code, bool if negate else int)
        if operand.literal or test is None:
            return _Py(f"_rt.{helper}({operand.code})", aborts=operand.aborts)
        if negate and not test:
            return _Py(f"(not {operand.code})", kind=bool)
        first, later = self.bind(operand)
        test = _type_test(operand, first, bool if negate else int) or ""
        if negate:
            return _Py(f"(not {later} if {test} else _rt.cel_not({later}))", aborts=operand.aborts)
        test = _all(test, f"{later} != {_MIN}")
        return _Py(f"(-{later} if {test} else _rt.cel_neg({later}))", aborts=operand.aborts)

    def select(self, tree: Any) -> _Py:
        target = self.visit(tree.children[0])
        return self.lookup(target, _literal(str(tree.children[1])), "_rt.cel_no_field({e})")

    def lookup(self, target: _Py, key: _Py, slow: str) -> _Py:
        """``target[key]`` for a dict holding ``key`` (a string literal), else ``slow``."""
        known = target.shape.fields.get(key.value) if target.shape else None
        if known is not None and target.shape and key.value in target.shape.held:
            return _shaped(target.shape.held[key.value], known, name=True)
        if known is not None:
            return _shaped(f"{target.code}[{key.code}]", known)
        test = _type_test(target, target.code, dict)
        if test is None:
            return _Py(slow.format(e=target.code, k=key.code), aborts=target.aborts)
        first, later = self.bind(target)
        test = _all(_type_test(target, first, dict) or "", f"{key.code} in {later}")
        fallback = slow.format(e=later, k=key.code)
        return _Py(f"({later}[{key.code}] if {test} else {fallback})", aborts=target.aborts)

    def index(self, tree: Any) -> _Py:
        target, key = (self.visit(child) for child in tree.children)
        if key.literal and key.kind is str:
            return self.lookup(target, key, "_rt.cel_index({e}, {k})")
        return _Py(f"_rt.cel_index({target.code}, {key.code})", aborts=target.aborts or key.aborts)

    def has(self, arguments: list[Any]) -> _Py:
        field = unwrap(arguments[0]) if len(arguments) == 1 else None
        if field is None or field.data != "member_dot":
            raise self.fail("has() takes one field selection, such as has(self.field)")
        target = self.visit(field.children[0])
        key = literal(str(field.children[1]))
        test = _type_test(target, target.code, dict)
        if test is None:
            return _Py(f"_rt.cel_has({target.code})", aborts=target.aborts)
        if not test:
            return _Py(f"({key} in {target.code})", kind=bool)
        first, later = self.bind(target)
        code = f"({key} in {later} if type({first}) is dict else _rt.cel_has({later}))"
        return _Py(code, aborts=target.aborts)

    def ident(self, tree: Any) -> _Py:
        name = str(tree.children[0])
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name == "now":
            self.uses_now = True
            return _Py("_c0", name=True, kind=int)
        raise self.fail(f"unknown identifier {name!r:.60} (rules see self, now, macro variables)")

    def call(self, tree: Any) -> _Py:
        name = str(tree.children[0])
        arguments = tree.children[1].children if len(tree.children) > 1 else []
        if name == "has":
            return self.has(arguments)
        if name not in _FUNCTIONS or len(arguments) != 1:
            raise self.fail(f"unsupported function {name:.60}() with {len(arguments)} argument(s)")
        return self.convert(name, self.visit(arguments[0]))

    def convert(self, name: str, argument: _Py) -> _Py:
        same, helper = _FUNCTIONS[name]
        # int(), uint() and double() abort on an infinite double (or a huge plain int).
        aborts = argument.aborts or (
            name in ("int", "uint", "double") and argument.helper not in _NOT_NUMBERS
        )
        if name == "int" and argument.helper == "cel_timestamp":
            code = self.remembered("cel_unix_seconds", argument.argument, argument.argument_kind)
            return _Py(
                code, aborts=argument.aborts, helper="cel_unix_seconds",
                argument=argument.argument, argument_kind=argument.argument_kind,
            )  # fmt: skip
        if same is None and name != "size":
            code = self.remembered(helper, argument.code, argument.kind)
            return _Py(
                code, aborts=aborts, helper=helper, argument=argument.code,
                argument_kind=argument.kind,
            )  # fmt: skip
        kind: type = int
        if same is None:
            known = argument.kind in (str, list, dict)
            test, fast = "type({first}) in _rt.CEL_SIZED", "len({later})"
        else:
            known, kind = argument.kind is same, same
            test, fast = f"type({{first}}) is {same.__name__}", "{later}"
        if known:
            return _Py(fast.format(later=argument.code), kind=kind)
        if argument.kind is not None:
            return _Py(f"_rt.{helper}({argument.code})", aborts=aborts, helper=helper)
        first, later = self.bind(argument)
        code = (
            f"({fast.format(later=later)} if {test.format(first=first)} else _rt.{helper}({later}))"
        )
        return _Py(code, aborts=aborts, helper=helper)

    def remembered(self, helper: str, argument: str, kind: type | None) -> str:
        """A call of ``helper``; for a string known to be short enough, straight to the
        runtime's memo of its results (``_kept``: no helper frame for the test)."""
        if helper not in ("cel_timestamp", "cel_unix_seconds", "cel_instant") or kind is not str:
            return f"_rt.{helper}({argument})"
        first, later = argument, argument
        if not argument.isidentifier():
            later = self.temp()
            first = f"({later} := {argument})"
        kept = f"_rt.{helper}_kept({later})"
        return f"({kept} if len({first}) <= {CEL_KEPT} else _rt.{helper}({later}))"

    def method(self, tree: Any) -> _Py:
        name = str(tree.children[1])
        arguments = tree.children[2].children if len(tree.children) > 2 else []
        if name in _MACROS and len(arguments) == 2:
            return self.macro(name, tree.children[0], arguments)
        if name == "size" and not arguments:
            return self.convert("size", self.visit(tree.children[0]))
        if name in _STRING_METHODS and len(arguments) == 1:
            return self.string_method(name, tree.children[0], arguments[0])
        if name == "matches" and len(arguments) == 1:
            return self.matches(tree.children[0], arguments[0])
        raise self.fail(f"unsupported method .{name:.60}() with {len(arguments)} argument(s)")

    def string_method(self, name: str, target_tree: Any, argument_tree: Any) -> _Py:
        target, argument = self.visit(target_tree), self.visit(argument_tree)
        template, helper = _STRING_METHODS[name]
        aborts = target.aborts or argument.aborts
        try:
            test, t2, a2 = self.pair_test(target, argument, frozenset({str}))
        except _Slow:
            return _Py(f"_rt.{helper}({target.code}, {argument.code})", aborts=aborts)
        fast = template.format(a=t2, b=a2)
        if not test:
            return _Py(f"({fast})", kind=bool)
        return _Py(f"({fast} if {test} else _rt.{helper}({t2}, {a2}))", aborts=aborts)

    def matches(self, target_tree: Any, argument_tree: Any) -> _Py:
        argument = self.visit(argument_tree)
        if not (argument.literal and argument.kind is str):
            raise self.fail("matches() takes a string literal pattern")
        try:
            pattern = translate_re2(argument.value)
        except ValueError as exc:
            raise self.fail(f"unsupported matches() pattern {argument.value!r:.60}: {exc}") from exc
        target = self.visit(target_tree)
        return _Py(f"_rt.cel_matches({target.code}, {literal(pattern)})", aborts=target.aborts)

    def macro(self, name: str, target_tree: Any, arguments: list[Any]) -> _Py:
        variable = unwrap(arguments[0])
        if variable.data != "ident":
            raise self.fail(f"the first argument of {name}() must be a variable name")
        cel_name = str(variable.children[0])
        if cel_name in _RESERVED_VARIABLES:
            raise self.fail(f"{cel_name!r} cannot name a macro variable (cel-python reserves it)")
        target = self.visit(target_tree)
        parameter = self.temp()
        element = _Py(parameter, name=True)
        if target.kind is dict:
            element = _Py(parameter, name=True, kind=str)  # a map's keys
        elif target.kind is list and target.shape and target.shape.items:
            element = _shaped(parameter, target.shape.items, name=True)
        self.scopes.append({cel_name: element})
        try:
            body = self.visit(arguments[1])
        finally:
            self.scopes.pop()
        # Over a list or a map (not a string, not anything else) only the body may abort.
        aborts = body.aborts or target.kind not in (list, dict)
        quick = ", False" if name in ("all", "exists") and not aborts else ""
        code = f"_rt.cel_{name}({target.code}, lambda {parameter}: {body.code}{quick})"
        aborts = aborts or name not in ("all", "exists")
        form = pair_form(name, cel_name, arguments[1]) if name in ("all", "exists") else None
        pairs = self.pairs(form, target) if form else None
        if pairs is None:
            return _Py(code, aborts=aborts)
        result = self.temp()
        return _Py(f"({result} if ({result} := {pairs}) is not None else {code})", aborts=aborts)

    def pairs(self, form: PairForm, outer: _Py) -> str | None:
        """The `cel_pairs` call deciding ``form`` in one pass over each list, when both
        targets are lists the schema guarantees (else None; see `pair_form`)."""
        saved, self.done = self.done, {}  # the body's terms, translated again out of it
        try:
            inner = self.visit(form.inner_target)
            if not all(_iterable(target) for target in (outer, inner)):
                return None
            bound = self.visit(form.bound)
            if bound.kind not in (None, int):
                return None
            outer_values = self.values(outer, form.outer_variable, form.outer_term)
            inner_values = self.values(inner, form.inner_variable, form.inner_term)
        finally:
            self.done = saved
        arguments = (
            literal(form.quantifiers), literal(form.relation), bound.code,
            outer_values, inner_values, literal(form.inner_first),
        )  # fmt: skip
        return f"_rt.cel_pairs({', '.join(arguments)})"

    def values(self, target: _Py, variable: str, term: Any) -> str:
        """`cel_extremes` of ``term`` over the elements of ``target`` (a known list); hoisted
        before the rules when it reads no macro variable and no ``now``, with temporaries
        numbered from 1 (dead once it is assigned), so that rules share equal ones."""
        if self.hoisted is not None and len(self.scopes) == 1:
            saved, self.count = self.count, 0
            code = self.comprehension(target, variable, term)
            self.count = saved
            if not re.search(r"\b_c0\b", code):  # ``now`` is bound per rule
                return self.hoisted.name(code)
            self.done = {}  # translate again, with temporaries unique in the rule
        return self.comprehension(target, variable, term)

    def comprehension(self, target: _Py, variable: str, term: Any) -> str:
        parameter = self.temp()
        element = _Py(parameter, name=True)
        if target.shape and target.shape.items:
            element = _shaped(parameter, target.shape.items, name=True)
        self.scopes.append({variable: element})
        try:
            value = self.visit(term)
        finally:
            self.scopes.pop()
        return f"_rt.cel_extremes([{value.code} for {parameter} in {target.code}])"

    def literal_token(self, tree: Any) -> _Py:
        from celpy import celtypes
        from celpy.evaluation import celstr

        token = tree.children[0]
        kind, text = token.type, str(token)
        try:
            if kind == "INT_LIT":
                return _literal(int(celtypes.IntType(text)))
            if kind == "UINT_LIT":
                return _Py(f"_rt.cel_uint({int(celtypes.UintType(text[:-1]))})")
            if kind == "FLOAT_LIT":
                return _double(float(text))
            if kind in ("STRING_LIT", "MLSTRING_LIT"):
                return _literal(str(celstr(token)))
        except ValueError:  # as cel-python: an unrepresentable literal is an error value
            return _Py("_rt.CEL_ERROR", name=True)
        if kind == "BOOL_LIT":
            return _literal(text == "true")
        if kind == "NULL_LIT":
            return _literal(None)
        raise self.fail(f"unsupported literal {text!r:.40} (bytes are not supported)")

    def list_literal(self, tree: Any) -> _Py:
        items = [
            self.visit(child) for child in (tree.children[0].children if tree.children else [])
        ]
        codes = ", ".join(item.code for item in items)
        if all(item.literal for item in items):
            return _Py(f"[{codes}]", kind=list, literal=True, value=[item.value for item in items])
        if all(item.kind is not None for item in items):
            return _Py(f"[{codes}]", kind=list)
        return _Py(f"_rt.cel_list({codes})", aborts=any(item.aborts for item in items))

    def refuse(self, tree: Any) -> _Py:
        what = {
            "map_lit": "map literals", "member_object": "message construction",
            "dot_ident": "names with a leading '.'", "dot_ident_arg": "names with a leading '.'",
        }.get(tree.data, tree.data)  # fmt: skip
        raise self.fail(f"unsupported CEL construct: {what}")

    HANDLERS: Final[dict[str, Callable[[_Translator, Any], _Py]]] = {
        "expr": conditional,
        "conditionalor": logic,
        "conditionaland": logic,
        "relation": relation,
        "addition": arithmetic,
        "multiplication": arithmetic,
        "unary": unary,
        "member_dot": select,
        "member_dot_arg": method,
        "member_index": index,
        "ident": ident,
        "ident_arg": call,
        "literal": literal_token,
        "list_lit": list_literal,
        "map_lit": refuse,
        "member_object": refuse,
        "dot_ident": refuse,
        "dot_ident_arg": refuse,
    }


@dataclass(frozen=True, slots=True)
class _IntForm:
    """Integer arithmetic as plain Python: valid when `guard` holds (see `int_form`)."""

    checks: tuple[str, ...]
    fast: str
    slow: str
    leaf: _Py | None = None  # the operand, for a form that is one
    operands: tuple[str, ...] = ()  # the first uses of operands not known to be ints
    aborts: bool = False

    @property
    def guard(self) -> str:
        """The operands are ints (tested in one chain, which binds them all), then the checks."""
        tests = [f"type({operand}) is" for operand in self.operands]
        return _all(" ".join(tests) + " int" if tests else "", *self.checks)


class _Slow(Exception):
    """The operands are known not to take an inline fast path."""


def _iterable(target: _Py) -> bool:
    """A known list whose code may be a comprehension's iterable (which cannot bind names)."""
    return target.kind is list and ":=" not in target.code


def _double(value: float) -> _Py:
    if value in (math.inf, -math.inf):
        return _Py("1e999" if value > 0 else "(-1e999)", kind=float, literal=True, value=value)
    return _literal(value)


def _parse(expression: str, file: str, pointer: str) -> Any:
    from celpy.celparser import CELParser

    try:
        return CELParser().parse(expression)
    except Exception as exc:  # lark and cel-python raise several error types
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GenerationError(file, pointer, f"CEL syntax error: {message:.200}") from exc


def translate_rule(
    expression: str,
    *,
    subject: str,
    file: str,
    pointer: str,
    shape: Shape | None = None,
    hoisted: Hoisted | None = None,
) -> CelCode:
    """Compile one CEL rule; ``subject`` is the Python name holding the value of ``self``.

    The expression ``holds`` is true iff the rule evaluates to ``true``, false for ``false``,
    an error or anything else; it never raises. ``now`` is read once, as ``_rt.now()``.
    What the schema guarantees about ``self`` (its `Shape`) lets guards go; ``hoisted``
    collects values to compute before the rule (see `rule_statements`):

    >>> translate_rule("self.a < self.b", subject="x", file="-", pointer="/r",
    ...     shape=Shape(dict, {"a": Shape(int), "b": Shape(int)})).holds
    "(x['a'] < x['b'])"
    """
    if not subject.isidentifier() or subject.startswith("_c"):
        raise ValueError(f"bad subject name {subject!r}")
    tree = _parse(expression, file, pointer)
    self_ = _Py(subject, name=True) if shape is None else _shaped(subject, shape, name=True)
    translator = _Translator(self_, file, pointer, hoisted)
    try:
        result = translator.visit(tree)
    except RecursionError as exc:
        raise GenerationError(file, pointer, "the rule is nested too deeply") from exc
    if result.kind is bool and not result.literal:
        holds = result.code
    elif result.kind is not None:
        holds = literal(result.value is True)
    else:
        holds = f"({result.code}) is True"
    if translator.uses_now:
        holds = f"(_c0 := _rt.now()) is not None and {holds}"
    _check_compiles(holds, file, pointer)
    return CelCode(holds, translator.uses_now)


def _check_compiles(source: str, file: str, pointer: str) -> None:
    """Refuse what Python cannot compile (nesting beyond its parser's limits)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(source, "<x-rules>", "eval")
    except (SyntaxError, SyntaxWarning, RecursionError, MemoryError, ValueError) as exc:
        raise GenerationError(file, pointer, "the rule is nested too deeply") from exc


# --- statements for the generated functions ------------------------------------------------


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
