"""Unicode General_Category classes for ``\\p{...}`` in patterns, built from `unicodedata`.

The ranges follow the Unicode version of the running Python (``unicodedata.unidata_version``),
so generated patterns are deterministic for one Python minor version.
"""

from __future__ import annotations

import unicodedata
from functools import cache

__all__ = ["MAX_CODE_POINT", "Ranges", "category_ranges"]

MAX_CODE_POINT = 0x10FFFF
Ranges = tuple[tuple[int, int], ...]

# General_Category values and their aliases (Unicode PropertyValueAliases.txt).
_CATEGORY_ALIASES = {
    "L": "L Letter", "LC": "LC Cased_Letter", "Lu": "Lu Uppercase_Letter",
    "Ll": "Ll Lowercase_Letter", "Lt": "Lt Titlecase_Letter", "Lm": "Lm Modifier_Letter",
    "Lo": "Lo Other_Letter", "M": "M Mark Combining_Mark", "Mn": "Mn Nonspacing_Mark",
    "Mc": "Mc Spacing_Mark", "Me": "Me Enclosing_Mark", "N": "N Number",
    "Nd": "Nd Decimal_Number digit", "Nl": "Nl Letter_Number", "No": "No Other_Number",
    "P": "P Punctuation punct", "Pc": "Pc Connector_Punctuation", "Pd": "Pd Dash_Punctuation",
    "Ps": "Ps Open_Punctuation", "Pe": "Pe Close_Punctuation", "Pi": "Pi Initial_Punctuation",
    "Pf": "Pf Final_Punctuation", "Po": "Po Other_Punctuation", "S": "S Symbol",
    "Sm": "Sm Math_Symbol", "Sc": "Sc Currency_Symbol", "Sk": "Sk Modifier_Symbol",
    "So": "So Other_Symbol", "Z": "Z Separator", "Zs": "Zs Space_Separator",
    "Zl": "Zl Line_Separator", "Zp": "Zp Paragraph_Separator", "C": "C Other",
    "Cc": "Cc Control cntrl", "Cf": "Cf Format", "Cs": "Cs Surrogate", "Co": "Co Private_Use",
    "Cn": "Cn Unassigned",
}  # fmt: skip
_CATEGORY_BY_NAME = {
    alias: short for short, names in _CATEGORY_ALIASES.items() for alias in names.split()
}


@cache
def _category_runs() -> tuple[tuple[int, int, str], ...]:
    runs: list[tuple[int, int, str]] = []
    start, current = 0, unicodedata.category(chr(0))
    for code in range(1, MAX_CODE_POINT + 1):
        category = unicodedata.category(chr(code))
        if category != current:
            runs.append((start, code - 1, current))
            start, current = code, category
    runs.append((start, MAX_CODE_POINT, current))
    return tuple(runs)


@cache
def category_ranges(name: str) -> Ranges | None:
    """Code point ranges of a General_Category name or alias (``L``, ``Letter``, ``digit``).

    ``None`` for anything else (scripts, binary properties): those are not supported.
    """
    for prefix in ("General_Category=", "gc="):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    short = _CATEGORY_BY_NAME.get(name)
    if short is None:
        return None
    wanted = {"LC": ("Lu", "Ll", "Lt")}.get(short)
    merged: list[tuple[int, int]] = []
    for low, high, category in _category_runs():
        if (category in wanted) if wanted else category.startswith(short):
            if merged and merged[-1][1] == low - 1:
                merged[-1] = (merged[-1][0], high)
            else:
                merged.append((low, high))
    return tuple(merged)
