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
  subset `translate_re2` accepts);
* the macros ``all``, ``exists``, ``exists_one``, ``map``, ``filter``.

Refused: bytes and map literals, message construction, ``.name``, other functions and methods.

>>> print(translate_rule("self.n > 0", subject="x", file="-", pointer="/r").holds)
((_c1 > 0 if type(_c1) is int else _rt.cel_gt(_c1, 0)) if (_c1 := (x['n'] if type(x) is \
dict and 'n' in x else _rt.cel_no_field(x))) is _c1 else None) is True
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from generator.emit.writer import literal
from generator.errors import GenerationError
from generator.model import Rule

__all__ = ["CelCode", "emit_rule_checks", "rule_statements", "translate_re2", "translate_rule"]

_MIN: Final = -(2**63)
_MAX: Final = 2**63 - 1
_NONE = type(None)

# Single-child nodes of cel-python's grammar that only carry precedence.
_PASS: Final = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication"}
    | {"unary", "member", "primary", "paren_expr"}
)
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
_MACROS: Final = frozenset({"all", "exists", "exists_one", "map", "filter"})
# A macro variable by this name would be shadowed by cel-python's protobuf package namespace.
_RESERVED_VARIABLES: Final = frozenset({"google"})


@dataclass(frozen=True, slots=True)
class CelCode:
    """A compiled rule: ``holds`` is a Python expression, true iff the rule holds."""

    holds: str
    uses_now: bool


@dataclass(frozen=True, slots=True)
class _Py:
    """A translated subexpression: Python source and what is known about it."""

    code: str
    name: bool = False  # a bare name: repeated rather than bound to a temporary
    kind: type | None = None  # the Python type of a literal
    value: Any = None  # the literal's value
    aborts: bool = False  # may stand for an evaluation cel-python abandons (raises)
    helper: str = ""  # the runtime function whose result this is, if any


def _literal(value: object) -> _Py:
    """A literal operand; a negative number is parenthesized (``x - (-1)``)."""
    text = literal(value)
    return _Py(f"({text})" if text.startswith("-") else text, kind=type(value), value=value)


class _Translator:
    """Walks one rule's parse tree; ``subject`` is the Python name holding ``self``."""

    def __init__(self, subject: str, file: str, pointer: str) -> None:
        self.file = file
        self.pointer = pointer
        self.scopes: list[dict[str, str]] = [{"self": subject}]
        self.count = 0
        self.uses_now = False

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
        if py.kind in (int, float, str, list):
            return self.bind(_Py(py.code))
        return self.bind(py)

    # -- the walk ------------------------------------------------------------------------------

    def visit(self, tree: Any) -> _Py:
        data = tree.data
        if data in _PASS and len(tree.children) == 1:
            return self.visit(tree.children[0])
        handler = self.HANDLERS.get(data)
        if handler is None:
            raise self.fail(f"unsupported CEL construct: {data}")
        return handler(self, tree)

    def conditional(self, tree: Any) -> _Py:
        condition, then, otherwise = (self.visit(child) for child in tree.children)
        first, later = self.bind(condition)
        code = f"_rt.cel_cond({then.code} if {first} else {otherwise.code}, {later})"
        return _Py(code, aborts=condition.aborts or then.aborts or otherwise.aborts)

    def logic(self, tree: Any) -> _Py:
        operator = "or" if tree.data == "conditionalor" else "and"
        left, right = (self.visit(child) for child in tree.children)
        l1, l2 = self.bind_for_is(left)
        r1, r2 = self.bind(right)
        helper = f"_rt.cel_{operator}({l2}, {r2})"
        if right.aborts:  # cel-python evaluates both sides, so the right one's abort counts
            code = f"(({l2} {operator} {r2}) if type({l1}) is type({r1}) is bool else {helper})"
        else:
            decided, other = ("True", "False") if operator == "or" else ("False", "True")
            code = (
                f"({decided} if {l1} is {decided} else "
                f"({r2} if type({r1}) is bool and {l2} is {other} else {helper}))"
            )
        return _Py(code, aborts=left.aborts or right.aborts)

    def relation(self, tree: Any) -> _Py:
        operation = tree.children[0].data
        left, right = self.visit(tree.children[0].children[0]), self.visit(tree.children[1])
        if operation == "relation_in":
            return self.member_of(left, right)
        symbol, helper = _RELATIONS[operation]
        aborts = left.aborts or right.aborts
        equality = symbol in ("==", "!=")
        if left.kind is not None and right.kind is not None:
            return _Py(f"_rt.{helper}({left.code}, {right.code})", aborts=aborts)
        if equality and _NONE in (left.kind, right.kind):
            other = right if left.kind is _NONE else left
            first, later = self.bind(other)
            args = f"{later}, None" if other is left else f"None, {later}"
            decided = "True" if symbol == "==" else "False"
            return _Py(f"({decided} if {first} is None else _rt.{helper}({args}))", aborts=aborts)
        known = left.kind or right.kind
        if known is not None and known not in (int, str, bool, float):
            return _Py(f"_rt.{helper}({left.code}, {right.code})", aborts=aborts)
        l1, l2 = self.bind(left)
        r1, r2 = self.bind(right)
        if known is not None:
            guard = f"type({r1 if left.kind else l1}) is {known.__name__}"
        else:
            guard = f"type({l1}) is type({r1}) in _rt.CEL_{'EQ' if equality else 'ORD'}_FAST"
        code = f"({l2} {symbol} {r2} if {guard} else _rt.{helper}({l2}, {r2}))"
        return _Py(code, aborts=aborts)

    def member_of(self, item: _Py, container: _Py) -> _Py:
        aborts = item.aborts or container.aborts
        values = container.value if container.kind is list else None
        kinds = {type(value) for value in values or ()}
        if item.kind is None and len(kinds) == 1 and kinds <= {int, str}:
            first, later = self.bind(item)
            options = literal(tuple(values or ()))
            code = (
                f"({later} in {options} if type({first}) is {kinds.pop().__name__} "
                f"else _rt.cel_in({later}, {container.code}))"
            )
            return _Py(code, aborts=aborts)
        return _Py(f"_rt.cel_in({item.code}, {container.code})", aborts=aborts)

    def arithmetic(self, tree: Any) -> _Py:
        symbol, helper = _ARITHMETIC[tree.children[0].data]
        left, right = self.visit(tree.children[0].children[0]), self.visit(tree.children[1])
        aborts = left.aborts or right.aborts
        literals = [py for py in (left, right) if py.kind is not None]
        # Python's floor division is CEL's truncation when both sides are positive.
        signs = symbol in ("//", "%") and (
            (right.kind is int and right.value <= 0) or (left.kind is int and left.value < 0)
        )
        if len(literals) == 2 or any(py.kind is not int for py in literals) or signs:
            return _Py(f"_rt.{helper}({left.code}, {right.code})", aborts=aborts)
        l1, l2 = self.bind(left)
        r1, r2 = self.bind(right)
        slow = f"_rt.{helper}({l2}, {r2})"
        if not literals:
            checks = [f"type({l1}) is type({r1}) is int"]
        else:
            checks = [f"type({r1 if left.kind else l1}) is int"]
        if symbol in ("//", "%"):
            checks += [f"{l2} >= 0"] if left.kind is None else []
            checks += [f"{r2} > 0"] if right.kind is None else []
            code = f"({l2} {symbol} {r2} if {' and '.join(checks)} else {slow})"
            return _Py(code, aborts=aborts)
        result = self.temp()
        checks.append(f"{_MIN} <= ({result} := {l2} {symbol} {r2}) <= {_MAX}")
        return _Py(f"({result} if {' and '.join(checks)} else {slow})", aborts=aborts)

    def unary(self, tree: Any) -> _Py:
        operand = self.visit(tree.children[1])
        helper = "cel_not" if tree.children[0].data == "unary_not" else "cel_neg"
        if operand.kind is not None:
            return _Py(f"_rt.{helper}({operand.code})", aborts=operand.aborts)
        first, later = self.bind(operand)
        if helper == "cel_not":
            code = f"(not {later} if type({first}) is bool else _rt.cel_not({later}))"
        else:
            guard = f"type({first}) is int and {later} != {_MIN}"
            code = f"(-{later} if {guard} else _rt.cel_neg({later}))"
        return _Py(code, aborts=operand.aborts)

    def select(self, tree: Any) -> _Py:
        target = self.visit(tree.children[0])
        return self.lookup(target, _literal(str(tree.children[1])), "_rt.cel_no_field({e})")

    def lookup(self, target: _Py, key: _Py, slow: str) -> _Py:
        """``target[key]`` for a dict holding ``key`` (a string literal), else ``slow``."""
        if target.kind is not None:
            return _Py(slow.format(e=target.code, k=key.code), aborts=target.aborts)
        first, later = self.bind(target)
        fallback = slow.format(e=later, k=key.code)
        guard = f"type({first}) is dict and {key.code} in {later}"
        code = f"({later}[{key.code}] if {guard} else {fallback})"
        return _Py(code, aborts=target.aborts)

    def index(self, tree: Any) -> _Py:
        target, key = (self.visit(child) for child in tree.children)
        if key.kind is str:
            return self.lookup(target, key, "_rt.cel_index({e}, {k})")
        return _Py(f"_rt.cel_index({target.code}, {key.code})", aborts=target.aborts or key.aborts)

    def has(self, arguments: list[Any]) -> _Py:
        field = _unwrap(arguments[0]) if len(arguments) == 1 else None
        if field is None or field.data != "member_dot":
            raise self.fail("has() takes one field selection, such as has(self.field)")
        target = self.visit(field.children[0])
        key = literal(str(field.children[1]))
        if target.kind is not None:
            return _Py(f"_rt.cel_has({target.code})", aborts=target.aborts)
        first, later = self.bind(target)
        code = f"({key} in {later} if type({first}) is dict else _rt.cel_has({later}))"
        return _Py(code, aborts=target.aborts)

    def ident(self, tree: Any) -> _Py:
        name = str(tree.children[0])
        for scope in reversed(self.scopes):
            if name in scope:
                return _Py(scope[name], name=True)
        if name == "now":
            self.uses_now = True
            return _Py("_c0", name=True)
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
        if argument.kind is not None or (same is None and name != "size"):
            return _Py(f"_rt.{helper}({argument.code})", aborts=aborts, helper=helper)
        first, later = self.bind(argument)
        if same is None:
            test, fast = f"type({first}) in _rt.CEL_SIZED", f"len({later})"
        else:
            test, fast = f"type({first}) is {same.__name__}", later
        return _Py(f"({fast} if {test} else _rt.{helper}({later}))", aborts=aborts, helper=helper)

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
        if target.kind is not None or argument.kind not in (None, str):
            return _Py(f"_rt.{helper}({target.code}, {argument.code})", aborts=aborts)
        t1, t2 = self.bind(target)
        a1, a2 = self.bind(argument)
        slow = f"_rt.{helper}({t2}, {a2})"
        guard = f"type({t1}) is str" if argument.kind else f"type({t1}) is type({a1}) is str"
        return _Py(f"({template.format(a=t2, b=a2)} if {guard} else {slow})", aborts=aborts)

    def matches(self, target_tree: Any, argument_tree: Any) -> _Py:
        argument = self.visit(argument_tree)
        if argument.kind is not str:
            raise self.fail("matches() takes a string literal pattern")
        try:
            pattern = translate_re2(argument.value)
        except ValueError as exc:
            raise self.fail(f"unsupported matches() pattern {argument.value!r:.60}: {exc}") from exc
        target = self.visit(target_tree)
        return _Py(f"_rt.cel_matches({target.code}, {literal(pattern)})", aborts=target.aborts)

    def macro(self, name: str, target_tree: Any, arguments: list[Any]) -> _Py:
        variable = _unwrap(arguments[0])
        if variable.data != "ident":
            raise self.fail(f"the first argument of {name}() must be a variable name")
        cel_name = str(variable.children[0])
        if cel_name in _RESERVED_VARIABLES:
            raise self.fail(f"{cel_name!r} cannot name a macro variable (cel-python reserves it)")
        target = self.visit(target_tree)
        parameter = self.temp()
        self.scopes.append({cel_name: parameter})
        try:
            body = self.visit(arguments[1])
        finally:
            self.scopes.pop()
        quick = ", False" if name in ("all", "exists") and not body.aborts else ""
        return _Py(
            f"_rt.cel_{name}({target.code}, lambda {parameter}: {body.code}{quick})", aborts=True
        )

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
        aborts = any(item.aborts for item in items)
        codes = ", ".join(item.code for item in items)
        if all(item.kind in (int, str, bool, float, _NONE) for item in items):
            return _Py(f"[{codes}]", kind=list, value=[item.value for item in items])
        return _Py(f"_rt.cel_list({codes})", aborts=aborts)

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


def _double(value: float) -> _Py:
    if value != value or value in (float("inf"), float("-inf")):
        text = "1e999" if value > 0 else "(-1e999)"
        return _Py(text, kind=float, value=value)
    return _literal(value)


def _unwrap(tree: Any) -> Any:
    """The node under the precedence-only chain above it (``(self.a)`` -> ``self.a``)."""
    while tree.data in _PASS and len(tree.children) == 1:
        tree = tree.children[0]
    return tree


def _parse(expression: str, file: str, pointer: str) -> Any:
    from celpy.celparser import CELParser

    try:
        return CELParser().parse(expression)
    except Exception as exc:  # lark and cel-python raise several error types
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GenerationError(file, pointer, f"CEL syntax error: {message:.200}") from exc


def translate_rule(expression: str, *, subject: str, file: str, pointer: str) -> CelCode:
    """Compile one CEL rule; ``subject`` is the Python name holding the value of ``self``.

    The expression ``holds`` is true iff the rule evaluates to ``true``, false for ``false``,
    an error or anything else; it never raises. ``now`` is read once, as ``_rt.now()``.
    """
    if not subject.isidentifier() or subject.startswith("_c"):
        raise ValueError(f"bad subject name {subject!r}")
    tree = _parse(expression, file, pointer)
    translator = _Translator(subject, file, pointer)
    try:
        result = translator.visit(tree)
    except RecursionError as exc:
        raise GenerationError(file, pointer, "the rule is nested too deeply") from exc
    constant = result.kind is not None
    holds = literal(result.value is True) if constant else f"({result.code}) is True"
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


# --- RE2 patterns for matches() ---------------------------------------------------------------

_RE2_CLASSES: Final = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\f\\r "}
_RE2_CONTROL: Final = {"n": "\\n", "t": "\\t", "r": "\\r", "f": "\\f", "v": "\\v"}
_RE2_ESCAPABLE: Final = frozenset("\\^$.|?*+()[]{}-/")
_RE2_REPEAT: Final = re.compile(r"\{([0-9]{1,4})(,([0-9]{0,4}))?\}")


def _re2_escape(pattern: str, index: int, in_class: bool) -> tuple[str, int]:
    """The Python text of the escape at ``pattern[index]`` (after the backslash)."""
    char = pattern[index : index + 1]
    if not char:
        raise ValueError("a pattern cannot end with a backslash")
    if char in _RE2_CONTROL:
        return _RE2_CONTROL[char], index + 1
    if char and char in _RE2_ESCAPABLE:
        return re.escape(char), index + 1
    if char.lower() in _RE2_CLASSES:
        body = _RE2_CLASSES[char.lower()]
        if in_class and char.isupper():
            raise ValueError(f"\\{char} inside a class")
        if in_class:
            return body, index + 1
        return ("[^" if char.isupper() else "[") + body + "]", index + 1
    raise ValueError(f"unsupported escape \\{char}")


def _re2_class(pattern: str, index: int) -> tuple[str, int]:
    """The class starting after ``[`` at ``index``; returns its text and the index after."""
    out = ["[^" if pattern[index : index + 1] == "^" else "["]
    index += len(out[0]) - 1
    start = index
    while index < len(pattern) and pattern[index] != "]":
        char = pattern[index]
        if char == "[":
            raise ValueError("'[' inside a class")
        if char == "\\":
            text, index = _re2_escape(pattern, index + 1, in_class=True)
            out.append(text)
            continue
        if pattern[index + 1 : index + 2] == "-" and pattern[index + 2 : index + 3] not in (
            "]",
            "",
        ):
            low, high = char, pattern[index + 2]
            if low > high or high in "[\\":
                raise ValueError(f"unsupported range {low}-{high}")
            out.append(f"{re.escape(low)}-{re.escape(high)}")
            index += 3
            continue
        out.append(re.escape(char))
        index += 1
    if index >= len(pattern) or index == start:
        raise ValueError("empty or unterminated class")
    return "".join(out) + "]", index + 1


def translate_re2(pattern: str) -> str:
    """A Python regex with the meaning of an RE2 ``pattern`` in a conservative subset.

    Literals, ``.``, ``^``, ``$`` (end of text), classes ``[a-z]`` ``[^...]``, ``\\d \\w \\s``
    (ASCII, as RE2), groups ``(...)`` ``(?:...)``, ``|``, and ``* + ? {n} {n,} {n,m}`` (counts up
    to 1000, not nested), each also lazy. Anything else raises ``ValueError``.

    >>> translate_re2(r"^\\d{3}-[a-z]+$")
    '^[0-9]{3}\\\\-[a-z]+\\\\Z'
    """
    out: list[str] = []
    groups: list[bool] = []  # per open group: whether it holds a counted repetition
    index, repeatable, counted = 0, False, False
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char in "*+?{":
            if not repeatable:
                raise ValueError(f"nothing to repeat at {index - 1}")
            text = char
            if char == "{":
                match = _RE2_REPEAT.match(pattern, index - 1)
                if match is None:
                    raise ValueError("'{' that is not a repetition count")
                counts = [int(n) for n in (match[1], match[3]) if n]
                if max(counts) > 1000 or (match[3] and counts[0] > counts[-1]) or counted:
                    raise ValueError("unsupported repetition count")
                text, index = match[0], match.end()
                if groups:
                    groups[-1] = True
            if pattern[index : index + 1] == "?":
                text, index = text + "?", index + 1
            out.append(text)
            repeatable = counted = False
            continue
        counted = False
        if char == "\\":
            text, index = _re2_escape(pattern, index, in_class=False)
        elif char == "[":
            text, index = _re2_class(pattern, index)
        elif char == "(":
            if pattern[index : index + 1] == "?" and pattern[index : index + 2] != "?:":
                raise ValueError("only (...) and (?:...) groups are supported")
            text = "(?:" if pattern[index : index + 1] == "?" else "("
            index += len(text) - 1
            groups.append(False)
        elif char == ")":
            if not groups:
                raise ValueError("unbalanced ')'")
            text, counted = ")", groups.pop()
            if counted and groups:
                groups[-1] = True
        else:
            text = {"^": "^", "$": "\\Z", ".": ".", "|": "|"}.get(char, re.escape(char))
        out.append(text)
        repeatable = char not in "^$|(" or char == "\\"
    if groups:
        raise ValueError("unbalanced '('")
    result = "".join(out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            re.compile(result)
        except (re.error, Warning) as exc:
            raise ValueError(str(exc)) from exc
    return result


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
) -> tuple[list[str], list[str]]:
    """The statements checking ``rules`` on ``subject``: (fast form, collector form).

    The fast form returns ``False`` at the first rule that does not hold; the collector form
    appends a ``x-rules`` `Violation` per failing rule, at ``path_expr`` plus the rule's
    ``path``, whose message is the rule's (spec text, so a constant from ``unit_const``).
    ``schema_paths`` default to the rules' pointers. Lines are indented relative to each other.
    """
    fast: list[str] = []
    collect: list[str] = []
    locations = schema_paths or [_rule_location(rule) for rule in rules]
    for rule, location in zip(rules, locations, strict=True):
        code = translate_rule(rule.rule, subject=subject, file=file, pointer=f"{rule.pointer}/rule")
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
    return fast, collect


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
