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
(``cel_instant``); ``timestamp()`` of a string reads the runtime's memo dict inline first.

The values the walk composes (`Py`, `Shape`) are in `generator.emit.celterms`, the tree forms
it compiles specially in `generator.emit.celforms`; `generator.emit.celrules` turns a node's
compiled rules into the statements of its generated functions.

>>> print(translate_rule("has(self.a)", subject="x", file="-", pointer="/r").holds)
(('a' in x if type(x) is dict else _rt.cel_has(x))) is True
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from generator.emit.celforms import PairForm, pair_form, timestamp_argument, unwrap
from generator.emit.celterms import (
    IntForm,
    Py,
    Shape,
    all_of,
    constant,
    double_constant,
    iterable,
    shaped,
    type_test,
)
from generator.emit.re2 import translate_re2
from generator.emit.writer import literal
from generator.errors import GenerationError

__all__ = ["CelCode", "Hoisted", "Shape", "translate_rule"]

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
# The runtime's memo of each remembered helper's results (`CelTranslator.remembered`).
_MEMOS: Final = {
    "cel_timestamp": "CEL_TIMESTAMPS",
    "cel_instant": "CEL_INSTANTS",
    "cel_unix_seconds": "CEL_UNIX_SECONDS",
}
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


class _Translator:
    """Walks one rule's parse tree; ``self`` is the Python value ``subject``."""

    def __init__(
        self, subject: Py, file: str, pointer: str, hoisted: Hoisted | None = None
    ) -> None:
        self.file = file
        self.pointer = pointer
        self.hoisted = hoisted
        self.scopes: list[dict[str, Py]] = [{"self": subject}]
        self.count = 0
        self.uses_now = False
        self.done: dict[int, Py] = {}

    def fail(self, reason: str) -> GenerationError:
        return GenerationError(self.file, self.pointer, reason)

    def temp(self) -> str:
        self.count += 1
        return f"_c{self.count}"

    def bind(self, py: Py) -> tuple[str, str]:
        """(text for the first use, text for later uses) of ``py``'s value."""
        if py.name or py.kind is not None:
            return py.code, py.code
        name = self.temp()
        return f"({name} := {py.code})", name

    def bind_for_is(self, py: Py) -> tuple[str, str]:
        """As `bind`, but never a literal Python would warn about in ``x is ...``."""
        if py.literal and py.kind in (int, float, str, list):
            return self.bind(Py(py.code))
        return self.bind(py)

    def pair_test(self, left: Py, right: Py, kinds: frozenset[type]) -> tuple[str, str, str]:
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
                type_test(right if left.kind else left, r1 if left.kind else l1, known[0]) or "",
                l2,
                r2,
            )
        if len(kinds) == 1:
            return f"type({l1}) is type({r1}) is {next(iter(kinds)).__name__}", l2, r2
        return f"type({l1}) is type({r1}) in _rt.{_FAST_SETS[kinds]}", l2, r2

    # -- the walk ------------------------------------------------------------------------------

    def visit(self, tree: Any) -> Py:
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

    def conditional(self, tree: Any) -> Py:
        condition, then, otherwise = (self.visit(child) for child in tree.children)
        aborts = condition.aborts or then.aborts or otherwise.aborts
        if condition.kind is bool and not aborts:
            code = f"({then.code} if {condition.code} else {otherwise.code})"
            return Py(code, kind=then.kind if then.kind is otherwise.kind else None)
        first, later = self.bind(condition)
        code = f"_rt.cel_cond({then.code} if {first} else {otherwise.code}, {later})"
        return Py(code, aborts=aborts)

    def logic(self, tree: Any) -> Py:
        """``a && b && ...`` (or ``||``): nested inline checks, or one call for a long chain."""
        operator, data = ("or" if tree.data == "conditionalor" else "and"), tree.data
        operands = []
        while tree.data == data and len(tree.children) == 2:
            operands.append(tree.children[1])
            tree = tree.children[0]
        translated = [self.visit(child) for child in (tree, *reversed(operands))]
        if len(translated) > _INLINE_CHAIN:  # inline, each operand would nest the source deeper
            codes = ", ".join(py.code for py in translated)
            return Py(f"_rt.cel_{operator}({codes})", aborts=any(py.aborts for py in translated))
        result = translated[0]
        for right in translated[1:]:
            result = self.combine(operator, result, right)
        return result

    def combine(self, operator: str, left: Py, right: Py) -> Py:
        aborts = left.aborts or right.aborts
        if left.kind is bool and right.kind is bool:
            return Py(f"({left.code} {operator} {right.code})", kind=bool)
        if {left.kind, right.kind} - {None, bool}:  # a known non-bool: no inline path
            return Py(f"_rt.cel_{operator}({left.code}, {right.code})", aborts=aborts)
        l1, l2 = self.bind_for_is(left)
        r1, r2 = self.bind(right)
        helper = f"_rt.cel_{operator}({l2}, {r2})"
        if right.aborts:  # cel-python evaluates both sides, so the right one's abort counts
            tests = [f"type({text}) is" for py, text in ((left, l1), (right, r1)) if not py.kind]
            test = " ".join(tests) + " bool"
            return Py(f"(({l2} {operator} {r2}) if {test} else {helper})", aborts=aborts)
        decided, other = ("True", "False") if operator == "or" else ("False", "True")
        test = all_of(type_test(right, r1, bool) or "", f"{l2} is {other}")
        code = f"({decided} if {l1} is {decided} else ({r2} if {test} else {helper}))"
        return Py(code, aborts=aborts)

    def relation(self, tree: Any) -> Py:
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
                return Py(code, aborts=aborts)
        try:
            test, l2, r2 = self.pair_test(left, right, _EQ_FAST if equality else _ORD_FAST)
        except _Slow:
            return Py(f"_rt.{helper}({left.code}, {right.code})", aborts=aborts)
        if not test:
            return Py(f"({l2} {symbol} {r2})", kind=bool)
        return Py(f"({l2} {symbol} {r2} if {test} else _rt.{helper}({l2}, {r2}))", aborts=aborts)

    def instants(self, left_tree: Any, right_tree: Any) -> tuple[Py, Py]:
        """The operands of a comparison; ``timestamp(a) < timestamp(b)`` compares the two
        instants as ints (`cel_instant`), not as timestamps built to be compared."""
        arguments = [timestamp_argument(side) for side in (left_tree, right_tree)]
        if arguments[0] is None or arguments[1] is None:
            return self.visit(left_tree), self.visit(right_tree)
        left, right = (self.visit(argument) for argument in arguments)
        return (
            Py(self.remembered("cel_instant", left.code, left.kind), aborts=left.aborts),
            Py(self.remembered("cel_instant", right.code, right.kind), aborts=right.aborts),
        )

    def int_relation(self, tree: Any, symbol: str, helper: str) -> Py | None:
        """A comparison of arithmetic results (`int_form`): one guarded Python comparison."""
        left = self.int_form(tree.children[0].children[0])
        right = self.int_form(tree.children[1]) if left else None
        if left is None or right is None or not (left.checks or right.checks):
            return None
        both = IntForm(left.checks + right.checks, "", "", None, left.operands + right.operands)
        if len(both.operands) > 2:
            return None
        slow = f"_rt.{helper}({left.slow}, {right.slow})"
        code = f"({left.fast} {symbol} {right.fast} if {both.guard} else {slow})"
        return Py(code, aborts=left.aborts or right.aborts)

    def member_of(self, item: Py, container: Py) -> Py:
        aborts = item.aborts or container.aborts
        values = container.value if container.literal and container.kind is list else None
        kinds = {type(value) for value in values or ()}
        if len(kinds) == 1 and kinds <= {int, str} and item.kind in (None, *kinds):
            first, later = self.bind(item)
            options = literal(tuple(values or ()))
            test = type_test(item, first, kinds.pop())
            if not test:
                return Py(f"({later} in {options})", kind=bool)
            code = f"({later} in {options} if {test} else _rt.cel_in({later}, {container.code}))"
            return Py(code, aborts=aborts)
        return Py(f"_rt.cel_in({item.code}, {container.code})", aborts=aborts)

    def int_form(self, tree: Any) -> IntForm | None:
        """``tree`` as integer arithmetic, if it is that: plain Python operators guarded by
        checks (the operands are ints, every step is in range, a division is of naturals), and
        a runtime-only form ``slow`` that gives cel-python's answer otherwise."""
        tree = unwrap(tree)
        if tree.data not in ("addition", "multiplication") or len(tree.children) != 2:
            leaf = self.visit(tree)
            if leaf.kind is int:
                return IntForm((), leaf.code, leaf.code, leaf)
            if leaf.kind is not None:
                return None
            first, later = self.bind(leaf)
            return IntForm((), later, later, leaf, (first,), leaf.aborts)
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
            return IntForm(tuple(checks), fast, slow, None, operands, aborts)
        result = self.temp()
        checks.append(f"{_MIN} <= ({result} := {left.fast} {symbol} {right.fast}) <= {_MAX}")
        return IntForm(tuple(checks), result, slow, None, operands, aborts)

    def arithmetic(self, tree: Any) -> Py:
        """``a + b`` and the like: an `int_form` if it is one, else inline on two ints."""
        form = self.int_form(tree)
        if form is not None and not form.guard:
            return Py(form.fast, kind=int)
        if form is not None:
            return Py(f"({form.fast} if {form.guard} else {form.slow})", aborts=form.aborts)
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
            return Py(slow, aborts=aborts)
        try:
            test, l2, r2 = self.pair_test(left, right, _INT)
        except _Slow:
            return Py(slow, aborts=aborts)
        slow = f"_rt.{helper}({l2}, {r2})"
        if symbol in ("//", "%"):
            signs_test = all_of(
                "" if left.literal else f"{l2} >= 0", "" if right.literal else f"{r2} > 0"
            )
            return Py(
                f"({l2} {symbol} {r2} if {all_of(test, signs_test)} else {slow})", aborts=aborts
            )
        result = self.temp()
        check = f"{_MIN} <= ({result} := {l2} {symbol} {r2}) <= {_MAX}"
        return Py(f"({result} if {all_of(test, check)} else {slow})", aborts=aborts)

    def unary(self, tree: Any) -> Py:
        operand = self.visit(tree.children[1])
        negate = tree.children[0].data == "unary_not"
        helper = "cel_not" if negate else "cel_neg"
        test = type_test(operand, operand.code, bool if negate else int)
        if operand.literal or test is None:
            return Py(f"_rt.{helper}({operand.code})", aborts=operand.aborts)
        if negate and not test:
            return Py(f"(not {operand.code})", kind=bool)
        first, later = self.bind(operand)
        test = type_test(operand, first, bool if negate else int) or ""
        if negate:
            return Py(f"(not {later} if {test} else _rt.cel_not({later}))", aborts=operand.aborts)
        test = all_of(test, f"{later} != {_MIN}")
        return Py(f"(-{later} if {test} else _rt.cel_neg({later}))", aborts=operand.aborts)

    def select(self, tree: Any) -> Py:
        target = self.visit(tree.children[0])
        return self.lookup(target, constant(str(tree.children[1])), "_rt.cel_no_field({e})")

    def lookup(self, target: Py, key: Py, slow: str) -> Py:
        """``target[key]`` for a dict holding ``key`` (a string literal), else ``slow``."""
        known = target.shape.fields.get(key.value) if target.shape else None
        if known is not None and target.shape and key.value in target.shape.held:
            return shaped(target.shape.held[key.value], known, name=True)
        if known is not None:
            return shaped(f"{target.code}[{key.code}]", known)
        test = type_test(target, target.code, dict)
        if test is None:
            return Py(slow.format(e=target.code, k=key.code), aborts=target.aborts)
        first, later = self.bind(target)
        test = all_of(type_test(target, first, dict) or "", f"{key.code} in {later}")
        fallback = slow.format(e=later, k=key.code)
        return Py(f"({later}[{key.code}] if {test} else {fallback})", aborts=target.aborts)

    def index(self, tree: Any) -> Py:
        target, key = (self.visit(child) for child in tree.children)
        if key.literal and key.kind is str:
            return self.lookup(target, key, "_rt.cel_index({e}, {k})")
        return Py(f"_rt.cel_index({target.code}, {key.code})", aborts=target.aborts or key.aborts)

    def has(self, arguments: list[Any]) -> Py:
        field = unwrap(arguments[0]) if len(arguments) == 1 else None
        if field is None or field.data != "member_dot":
            raise self.fail("has() takes one field selection, such as has(self.field)")
        target = self.visit(field.children[0])
        key = literal(str(field.children[1]))
        test = type_test(target, target.code, dict)
        if test is None:
            return Py(f"_rt.cel_has({target.code})", aborts=target.aborts)
        if not test:
            return Py(f"({key} in {target.code})", kind=bool)
        first, later = self.bind(target)
        code = f"({key} in {later} if type({first}) is dict else _rt.cel_has({later}))"
        return Py(code, aborts=target.aborts)

    def ident(self, tree: Any) -> Py:
        name = str(tree.children[0])
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name == "now":
            self.uses_now = True
            return Py("_c0", name=True, kind=int)
        raise self.fail(f"unknown identifier {name!r:.60} (rules see self, now, macro variables)")

    def call(self, tree: Any) -> Py:
        name = str(tree.children[0])
        arguments = tree.children[1].children if len(tree.children) > 1 else []
        if name == "has":
            return self.has(arguments)
        if name not in _FUNCTIONS or len(arguments) != 1:
            raise self.fail(f"unsupported function {name:.60}() with {len(arguments)} argument(s)")
        return self.convert(name, self.visit(arguments[0]))

    def convert(self, name: str, argument: Py) -> Py:
        same, helper = _FUNCTIONS[name]
        # int(), uint() and double() abort on an infinite double (or a huge plain int).
        aborts = argument.aborts or (
            name in ("int", "uint", "double") and argument.helper not in _NOT_NUMBERS
        )
        if name == "int" and argument.helper == "cel_timestamp":
            code = self.remembered("cel_unix_seconds", argument.argument, argument.argument_kind)
            return Py(
                code, aborts=argument.aborts, helper="cel_unix_seconds",
                argument=argument.argument, argument_kind=argument.argument_kind,
            )  # fmt: skip
        if same is None and name != "size":
            code = self.remembered(helper, argument.code, argument.kind)
            return Py(
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
            return Py(fast.format(later=argument.code), kind=kind)
        if argument.kind is not None:
            return Py(f"_rt.{helper}({argument.code})", aborts=aborts, helper=helper)
        first, later = self.bind(argument)
        code = (
            f"({fast.format(later=later)} if {test.format(first=first)} else _rt.{helper}({later}))"
        )
        return Py(code, aborts=aborts, helper=helper)

    def remembered(self, helper: str, argument: str, kind: type | None) -> str:
        """A call of ``helper``; for a string, its runtime memo is read first, inline (a dict
        lookup, no helper frame), and ``helper`` called only for a string it lacks."""
        memo = _MEMOS.get(helper)
        if memo is None or kind is not str:
            return f"_rt.{helper}({argument})"
        first, later = argument, argument
        if not argument.isidentifier():
            later = self.temp()
            first = f"({later} := {argument})"
        found = self.temp()
        return (
            f"({found} if ({found} := _rt.{memo}.get({first})) is not None"
            f" else _rt.{helper}({later}))"
        )

    def method(self, tree: Any) -> Py:
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

    def string_method(self, name: str, target_tree: Any, argument_tree: Any) -> Py:
        target, argument = self.visit(target_tree), self.visit(argument_tree)
        template, helper = _STRING_METHODS[name]
        aborts = target.aborts or argument.aborts
        try:
            test, t2, a2 = self.pair_test(target, argument, frozenset({str}))
        except _Slow:
            return Py(f"_rt.{helper}({target.code}, {argument.code})", aborts=aborts)
        fast = template.format(a=t2, b=a2)
        if not test:
            return Py(f"({fast})", kind=bool)
        return Py(f"({fast} if {test} else _rt.{helper}({t2}, {a2}))", aborts=aborts)

    def matches(self, target_tree: Any, argument_tree: Any) -> Py:
        argument = self.visit(argument_tree)
        if not (argument.literal and argument.kind is str):
            raise self.fail("matches() takes a string literal pattern")
        try:
            pattern = translate_re2(argument.value)
        except ValueError as exc:
            raise self.fail(f"unsupported matches() pattern {argument.value!r:.60}: {exc}") from exc
        target = self.visit(target_tree)
        return Py(f"_rt.cel_matches({target.code}, {literal(pattern)})", aborts=target.aborts)

    def macro(self, name: str, target_tree: Any, arguments: list[Any]) -> Py:
        variable = unwrap(arguments[0])
        if variable.data != "ident":
            raise self.fail(f"the first argument of {name}() must be a variable name")
        cel_name = str(variable.children[0])
        if cel_name in _RESERVED_VARIABLES:
            raise self.fail(f"{cel_name!r} cannot name a macro variable (cel-python reserves it)")
        target = self.visit(target_tree)
        parameter = self.temp()
        element = Py(parameter, name=True)
        if target.kind is dict:
            element = Py(parameter, name=True, kind=str)  # a map's keys
        elif target.kind is list and target.shape and target.shape.items:
            element = shaped(parameter, target.shape.items, name=True)
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
            return Py(code, aborts=aborts)
        result = self.temp()
        return Py(f"({result} if ({result} := {pairs}) is not None else {code})", aborts=aborts)

    def pairs(self, form: PairForm, outer: Py) -> str | None:
        """The `cel_pairs` call deciding ``form`` in one pass over each list, when both
        targets are lists the schema guarantees (else None; see `pair_form`)."""
        saved, self.done = self.done, {}  # the body's terms, translated again out of it
        try:
            inner = self.visit(form.inner_target)
            if not all(iterable(target) for target in (outer, inner)):
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

    def values(self, target: Py, variable: str, term: Any) -> str:
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

    def comprehension(self, target: Py, variable: str, term: Any) -> str:
        parameter = self.temp()
        element = Py(parameter, name=True)
        if target.shape and target.shape.items:
            element = shaped(parameter, target.shape.items, name=True)
        self.scopes.append({variable: element})
        try:
            value = self.visit(term)
        finally:
            self.scopes.pop()
        return f"_rt.cel_extremes([{value.code} for {parameter} in {target.code}])"

    def literal_token(self, tree: Any) -> Py:
        from celpy import celtypes
        from celpy.evaluation import celstr

        token = tree.children[0]
        kind, text = token.type, str(token)
        try:
            if kind == "INT_LIT":
                return constant(int(celtypes.IntType(text)))
            if kind == "UINT_LIT":
                return Py(f"_rt.cel_uint({int(celtypes.UintType(text[:-1]))})")
            if kind == "FLOAT_LIT":
                return double_constant(float(text))
            if kind in ("STRING_LIT", "MLSTRING_LIT"):
                return constant(str(celstr(token)))
        except ValueError:  # as cel-python: an unrepresentable literal is an error value
            return Py("_rt.CEL_ERROR", name=True)
        if kind == "BOOL_LIT":
            return constant(text == "true")
        if kind == "NULL_LIT":
            return constant(None)
        raise self.fail(f"unsupported literal {text!r:.40} (bytes are not supported)")

    def list_literal(self, tree: Any) -> Py:
        items = [
            self.visit(child) for child in (tree.children[0].children if tree.children else [])
        ]
        codes = ", ".join(item.code for item in items)
        if all(item.literal for item in items):
            return Py(f"[{codes}]", kind=list, literal=True, value=[item.value for item in items])
        if all(item.kind is not None for item in items):
            return Py(f"[{codes}]", kind=list)
        return Py(f"_rt.cel_list({codes})", aborts=any(item.aborts for item in items))

    def refuse(self, tree: Any) -> Py:
        what = {
            "map_lit": "map literals", "member_object": "message construction",
            "dot_ident": "names with a leading '.'", "dot_ident_arg": "names with a leading '.'",
        }.get(tree.data, tree.data)  # fmt: skip
        raise self.fail(f"unsupported CEL construct: {what}")

    HANDLERS: Final[dict[str, Callable[[_Translator, Any], Py]]] = {
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


class _Slow(Exception):
    """The operands are known not to take an inline fast path."""


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
    collects values to compute before the rule (see `generator.emit.celrules.rule_statements`):

    >>> translate_rule("self.a < self.b", subject="x", file="-", pointer="/r",
    ...     shape=Shape(dict, {"a": Shape(int), "b": Shape(int)})).holds
    "(x['a'] < x['b'])"
    """
    if not subject.isidentifier() or subject.startswith("_c"):
        raise ValueError(f"bad subject name {subject!r}")
    tree = _parse(expression, file, pointer)
    self_ = Py(subject, name=True) if shape is None else shaped(subject, shape, name=True)
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
