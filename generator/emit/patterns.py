"""Translate ECMA-262 regular expressions (JSON Schema ``pattern``) into Python ``re`` syntax.

JSON Schema patterns are ECMA-262 (with Unicode semantics). Python's ``re`` differs, so each
pattern is parsed once, at generation time, and re-emitted with explicit meaning:

==============  ===========================================  ==================================
ECMA-262        means                                        emitted for Python
==============  ===========================================  ==================================
``\\d \\w``       ASCII only: ``[0-9]``, ``[A-Za-z0-9_]``       explicit classes
``\\s``          the ECMA WhiteSpace + LineTerminator set      explicit class
``$``           end of input (never before a final newline)  ``\\Z``
``.``           anything but ``\\n \\r \\u2028 \\u2029``          explicit class
``\\b \\B``       ASCII word boundary                          ``\\b`` with ``re.ASCII``
``\\cX``         control character ``X % 32``                  the character
``\\uXXXX``      code unit; surrogate pairs joined            the character
``\\u{X}``       code point                                   the character
``\\p{L}``       Unicode general category (and aliases)       explicit class from `unicodedata`
``(?<n>..)``    named group, ``\\k<n>`` its backreference     ``(?P<n>..)``, ``(?P=n)``
``[]`` ``[^]``  nothing / anything                           ``(?!)`` / ``[\\x00-\\U0010ffff]``
==============  ===========================================  ==================================

Anything outside that grammar (Python-only syntax such as ``(?P<n>)``, ``(?i)``, ``\\A``, ``\\Z``,
possessive ``a*+``, unknown escapes like ``\\e``) and anything Python cannot compile (variable
width lookbehind) raises `PatternError`. Every translated pattern is compiled with `FLAGS`.

>>> translate(r"^\\d+$")
'^[0-9]+\\\\Z'
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

from generator.emit.unicode_classes import MAX_CODE_POINT, Ranges, category_ranges

__all__ = ["FLAGS", "PatternError", "translate"]

FLAGS = re.ASCII

_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_DIGITS = ((0x30, 0x39),)
_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
_NOT_LINE_TERMINATOR = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
_CLASS_ESCAPES = {"d": _DIGITS, "w": _WORD, "s": _SPACE}
_CONTROL = {"t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r"}
_QUANTIFIER = re.compile(r"\{([0-9]+)(?:(,)([0-9]*))?\}")
_GROUP_NAME = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")


class PatternError(ValueError):
    """The pattern is not valid ECMA-262, uses unsupported syntax, or Python cannot run it."""


def _char(code: int) -> str:
    """One code point as Python regex text that is literal both inside and outside a class."""
    char = chr(code)
    if char.isascii() and (char.isalnum() or char == "_"):
        return char
    if 0x20 <= code < 0x7F:
        return "\\" + char
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _complement(ranges: Ranges) -> Ranges:
    result: list[tuple[int, int]] = []
    start = 0
    for low, high in sorted(ranges):
        if low > start:
            result.append((start, low - 1))
        start = max(start, high + 1)
    if start <= MAX_CODE_POINT:
        result.append((start, MAX_CODE_POINT))
    return tuple(result)


def _class_body(ranges: Ranges) -> str:
    return "".join(_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}" for lo, hi in ranges)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.groups = 0
        self.max_backref = 0

    def error(self, reason: str) -> PatternError:
        return PatternError(f"{reason} at position {self.pos}")

    def peek(self, text: str) -> bool:
        return self.source.startswith(text, self.pos)

    def take(self) -> str:
        if self.pos >= len(self.source):
            raise self.error("unexpected end of pattern")
        char = self.source[self.pos]
        self.pos += 1
        return char

    def disjunction(self) -> str:
        parts = [self.alternative()]
        while self.peek("|"):
            self.pos += 1
            parts.append(self.alternative())
        return "|".join(parts)

    def alternative(self) -> str:
        out: list[str] = []
        while self.pos < len(self.source) and self.source[self.pos] not in "|)":
            out.append(self.term())
        return "".join(out)

    def term(self) -> str:
        char = self.source[self.pos]
        if char == "^":
            self.pos += 1
            return self.no_quantifier("^")
        if char == "$":
            self.pos += 1
            return self.no_quantifier("\\Z")
        if self.peek("\\b") or self.peek("\\B"):
            text = self.source[self.pos : self.pos + 2]
            self.pos += 2
            return self.no_quantifier(text)
        for opener in ("(?=", "(?!", "(?<=", "(?<!"):
            if self.peek(opener):
                self.pos += len(opener)
                inner = self.disjunction()
                self.close_group()
                return self.no_quantifier(opener + inner + ")")
        atom = self.atom()
        return atom + self.quantifier()

    def no_quantifier(self, text: str) -> str:
        if self.quantifier():
            raise self.error("nothing to repeat")
        return text

    def quantifier(self) -> str:
        if self.pos >= len(self.source):
            return ""
        char = self.source[self.pos]
        if char in "*+?":
            self.pos += 1
            text = char
        else:
            match = _QUANTIFIER.match(self.source, self.pos)
            if match is None:
                return ""
            low, comma, high = match[1], match[2], match[3]
            if high and int(high) < int(low):
                raise self.error("numbers out of order in {} quantifier")
            self.pos = match.end()
            text = (
                "{"
                + str(int(low))
                + ("," + (str(int(high)) if high else "") if comma else "")
                + "}"
            )
        if self.peek("?"):
            self.pos += 1
            text += "?"
        if self.pos < len(self.source) and (
            self.source[self.pos] in "*+?" or _QUANTIFIER.match(self.source, self.pos)
        ):
            raise self.error("nothing to repeat")
        return text

    def close_group(self) -> None:
        if not self.peek(")"):
            raise self.error("missing )")
        self.pos += 1

    def atom(self) -> str:
        char = self.take()
        if char == ".":
            return "[^" + _class_body(_NOT_LINE_TERMINATOR) + "]"
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.atom_escape()
        if char in "*+?" or (char == "{" and _QUANTIFIER.match(self.source, self.pos - 1)):
            raise self.error("nothing to repeat")
        if char == ")":
            raise self.error("unbalanced )")
        return _char(ord(char))

    def group(self) -> str:
        if self.peek("?:"):
            self.pos += 2
            prefix = "(?:"
        elif self.peek("?<"):
            match = _GROUP_NAME.match(self.source, self.pos + 1)
            if match is None:
                raise self.error("bad group name")
            self.pos = match.end()
            self.groups += 1
            prefix = f"(?P<{match[1]}>"
        elif self.peek("?"):
            raise self.error("unsupported group syntax")
        else:
            self.groups += 1
            prefix = "("
        inner = self.disjunction()
        self.close_group()
        return prefix + inner + ")"

    def atom_escape(self) -> str:
        char = self.take()
        if char in _CLASS_ESCAPES:
            return "[" + _class_body(_CLASS_ESCAPES[char]) + "]"
        if char.lower() in _CLASS_ESCAPES:
            return "[^" + _class_body(_CLASS_ESCAPES[char.lower()]) + "]"
        if char in "pP":
            ranges = self.property_ranges()
            return ("[^" if char == "P" else "[") + _class_body(ranges) + "]"
        if char in "123456789":
            digits = char
            while self.pos < len(self.source) and self.source[self.pos].isdigit():
                digits += self.take()
            self.max_backref = max(self.max_backref, int(digits))
            if int(digits) > 99:
                raise self.error("backreference number too large")
            return f"(?:\\{int(digits)})"
        if char == "k":
            match = _GROUP_NAME.match(self.source, self.pos)
            if match is None:
                raise self.error("bad named backreference")
            self.pos = match.end()
            return f"(?P={match[1]})"
        return _char(self.character_escape(char, in_class=False))

    def character_escape(self, char: str, *, in_class: bool) -> int:
        """The code point of an escape that denotes one character (``\\n``, ``\\u0041``...)."""
        if char in _CONTROL:
            return ord(_CONTROL[char])
        if char == "0" and not (self.pos < len(self.source) and self.source[self.pos].isdigit()):
            return 0
        if char == "c":
            letter = self.take()
            if not (letter.isascii() and letter.isalpha()):
                raise self.error("\\c must be followed by a letter")
            return ord(letter) % 32
        if char == "x":
            return self.hex_digits(2)
        if char == "u":
            return self.unicode_escape()
        if char == "b" and in_class:
            return 8
        if char == "-" and in_class:
            return ord("-")
        if char in _SYNTAX or not (char.isalnum() or char == "_"):
            return ord(char)
        raise self.error(f"unsupported escape \\{char}")

    def hex_digits(self, count: int) -> int:
        text = self.source[self.pos : self.pos + count]
        if len(text) != count or not all(c in "0123456789abcdefABCDEF" for c in text):
            raise self.error("bad hexadecimal escape")
        self.pos += count
        return int(text, 16)

    def unicode_escape(self) -> int:
        if self.peek("{"):
            end = self.source.find("}", self.pos)
            text = self.source[self.pos + 1 : end] if end > 0 else ""
            if not text or len(text) > 8 or not all(c in "0123456789abcdefABCDEF" for c in text):
                raise self.error("bad \\u{...} escape")
            self.pos = end + 1
            code = int(text, 16)
            if code > MAX_CODE_POINT:
                raise self.error("code point out of range")
            return code
        code = self.hex_digits(4)
        if 0xD800 <= code <= 0xDBFF and self.peek("\\u"):
            saved = self.pos
            self.pos += 2
            try:
                low = self.hex_digits(4)
            except PatternError:
                low = 0
            if 0xDC00 <= low <= 0xDFFF:
                return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            self.pos = saved
        return code

    def property_ranges(self) -> Ranges:
        end = self.source.find("}", self.pos)
        if not self.peek("{") or end < 0:
            raise self.error("\\p must be followed by {name}")
        name = self.source[self.pos + 1 : end]
        self.pos = end + 1
        ranges = category_ranges(name)
        if ranges is None:
            raise PatternError(f"unsupported Unicode property \\p{{{name}}}")
        return ranges

    def char_class(self) -> str:
        negated = self.peek("^")
        if negated:
            self.pos += 1
        items: list[tuple[int, int]] = []
        while not self.peek("]"):
            low = self.class_atom()
            if self.peek("-") and not self.peek("-]") and isinstance(low, int):
                saved = self.pos
                self.pos += 1
                high = self.class_atom()
                if isinstance(high, int):
                    if high < low:
                        raise self.error("range out of order in character class")
                    items.append((low, high))
                    continue
                self.pos = saved
            if isinstance(low, int):
                items.append((low, low))
            else:
                items.extend(low)
        self.pos += 1
        if not items:
            return "[\\x00-\\U0010ffff]" if negated else "(?!)"
        return ("[^" if negated else "[") + _class_body(tuple(items)) + "]"

    def class_atom(self) -> int | Ranges:
        char = self.take()
        if char != "\\":
            return ord(char)
        char = self.take()
        if char in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[char]
        if char.lower() in _CLASS_ESCAPES:
            return _complement(_CLASS_ESCAPES[char.lower()])
        if char in "pP":
            ranges = self.property_ranges()
            return _complement(ranges) if char == "P" else ranges
        return self.character_escape(char, in_class=True)


@lru_cache(maxsize=4096)
def translate(pattern: str) -> str:
    """Translate an ECMA-262 ``pattern`` to Python syntax; compile with `FLAGS`.

    Raises `PatternError` naming the reason (and position) when it cannot be translated
    faithfully or when Python cannot compile the result.

    >>> translate("a.c")
    'a[^\\\\x0a\\\\x0d\\\\u2028-\\\\u2029]c'
    """
    parser = _Parser(pattern)
    try:
        result = parser.disjunction()
    except RecursionError as exc:
        raise PatternError("pattern is nested too deeply") from exc
    if parser.pos < len(pattern):
        raise parser.error("unbalanced )")
    if parser.max_backref > parser.groups:
        raise PatternError(f"backreference \\{parser.max_backref} to a group that does not exist")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            re.compile(result, FLAGS)
        except (re.error, OverflowError, RecursionError, Warning) as exc:
            raise PatternError(f"Python cannot compile the translated pattern: {exc}") from exc
    return result
