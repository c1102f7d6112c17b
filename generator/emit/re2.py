"""RE2 patterns (CEL ``matches()``) as Python regexes, for a conservative common subset.

cel-python runs ``matches()`` with RE2; the generated code has Python's ``re``. The two agree on
the subset below once a few meanings are spelled out (``$`` is the end of the text, ``\\s`` has
no vertical tab, ``\\d \\w`` are ASCII); anything else, including what RE2 would refuse (counts
above 1000, nested counts), raises ``ValueError`` and the rule is not compiled.
`generator.emit.patterns` is not used: ECMA-262's ``.`` and ``\\s`` mean something else again.
"""

from __future__ import annotations

import re
import warnings
from typing import Final

__all__ = ["translate_re2"]

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
