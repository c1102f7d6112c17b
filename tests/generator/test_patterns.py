"""generator.emit.patterns: ECMA-262 patterns translated to Python ``re`` with ECMA meaning."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.emit.patterns import FLAGS, PatternError, translate


def _search(pattern: str, text: str) -> bool:
    return re.compile(translate(pattern), FLAGS).search(text) is not None


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("^abc$", ["abc"], ["abc\n", "abcd"]),
        (r"^\d$", ["0", "9"], ["\u07c0", "\u09ea", "a"]),
        (r"^\D$", ["\u07c0", "a"], ["0"]),
        (r"^\w$", ["a", "Z", "_", "5"], ["é", "\u00c9"]),
        (r"^\W$", ["é", "-"], ["a"]),
        (r"^\s$", [" ", "\t", "\v", "\f", "\u00a0", "\ufeff", "\n", "\u2029", "\u2003"], ["\u0001", "\u2013"]),
        (r"^\S$", ["\u0001", "a"], [" ", "\u00a0"]),
        (r"^\t$", ["\t"], ["\\t"]),
        (r"^\cC$", ["\u0003"], ["\\cC"]),
        (r"^\cc$", ["\u0003"], ["c"]),
        ("^a.c$", ["abc", "a\u00e9c"], ["a\nc", "a\rc", "a\u2028c", "a\u2029c"]),
        (r"^\u00e9\x41$", ["éA"], ["eA"]),
        (r"^\ud83d\udc32$", ["\U0001f432"], ["\ud83d"]),
        (r"^\u{1F432}+$", ["\U0001f432\U0001f432"], [""]),
        ("^\U0001f432*$", ["", "\U0001f432"], ["\U0001f409"]),
        (r"\bfoo\b", ["a foo b", "éfooé"], ["afoo", "foo_"]),
        (r"^[\d-z]+$", ["1-z", "zz"], ["a"]),
        (r"^[^\d\s]+$", ["ab"], ["a b", "a1"]),
        (r"^[\D]$", ["a"], ["1"]),
        (r"^[\b]$", ["\b"], ["b"]),
        ("^[]$", [], ["", "a"]),
        ("^[^]$", ["a", "\n"], [""]),
        ("^a{2}$", ["aa"], ["a", "aaa"]),
        ("^a{,2}$", ["a{,2}"], ["aa"]),
        ("^x{$", ["x{"], ["x"]),
        ("^a]$", ["a]"], []),
        (r"^(?<year>\d{4})-\k<year>$", ["2020-2020"], ["2020-2021"]),
        (r"^(a)\1$", ["aa"], ["ab"]),
        (r"^[\[\]]+$", ["[]"], ["a"]),
        ("^[[]$", ["["], []),
        ("^[a&&b]$", ["&", "a"], ["c"]),
        ("^[--a]$", ["-", "a"], ["b"]),
        (r"^\p{Letter}cole$", ["école", "ecole"], ["1cole"]),
        (r"^\p{digit}+$", ["42", "\u09ea\u09e8"], ["-"]),
        (r"^\P{L}$", ["1"], ["a"]),
        (r"^[\p{Lu}\p{Nd}]+$", ["A1"], ["a"]),
        (r"^\p{General_Category=Lu}$", ["É"], ["é"]),
        (r"^\/\.\*$", ["/.*"], ["/a"]),
        ("(?=a)a", ["a"], ["b"]),
        ("^(?!a).$", ["b"], ["a"]),
        ("(?<=a)b", ["ab"], ["cb"]),
        ("^a*?b+?c??$", ["abc", "b"], ["ac"]),
    ],
)  # fmt: skip
def test_ecma_semantics(pattern: str, matches: list[str], misses: list[str]) -> None:
    assert [_search(pattern, s) for s in matches] == [True] * len(matches)
    assert [_search(pattern, s) for s in misses] == [False] * len(misses)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(", "missing \\)"),
        ("a)", "unbalanced"),
        ("*a", "nothing to repeat"),
        ("a**", "nothing to repeat"),
        ("a*+", "nothing to repeat"),
        ("a{2}{3}", "nothing to repeat"),
        ("{2}", "nothing to repeat"),
        ("^*", "nothing to repeat"),
        ("a{3,2}", "out of order"),
        ("[z-a]", "out of order"),
        ("[a", "unexpected end"),
        ("\\", "unexpected end"),
        ("(?P<n>a)", "unsupported group"),
        ("(?i)a", "unsupported group"),
        ("(?>a)", "unsupported group"),
        ("(?#comment)", "unsupported group"),
        (r"\A", "unsupported escape"),
        (r"\Z", "unsupported escape"),
        (r"\z", "unsupported escape"),
        (r"\e", "unsupported escape"),
        (r"\N{DIGIT ONE}", "unsupported escape"),
        (r"\c1", "followed by a letter"),
        (r"\x4", "hexadecimal"),
        (r"\u12", "hexadecimal"),
        (r"\u{110000}", "out of range"),
        (r"\p{Script=Latin}", "unsupported Unicode property"),
        (r"\p{Greek}", "unsupported Unicode property"),
        (r"\2(a)", "does not exist"),
        (r"(a)\2", "does not exist"),
        (r"\k<nope>", "cannot compile"),
        ("(?<a>x)(?<a>y)", "cannot compile"),
        ("(?<=a+)b", "cannot compile"),
        ("a{4294967296}", "cannot compile"),
        ("(" * 2000 + ")" * 2000, "nested too deeply|cannot compile"),
    ],
)
def test_untranslatable_patterns_raise(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError, match=reason):
        translate(pattern)


def test_translation_is_pure_ascii_and_deterministic() -> None:
    pattern = r"^\p{L}+é\u{1F432}.$"
    first = translate(pattern)
    translate.cache_clear()
    assert translate(pattern) == first
    assert first.isascii()


SAFE = st.text(alphabet="abc01-_ .", max_size=6)
ATOMS = st.sampled_from(
    ["a", "b", "c", "0", "1", "-", ".", "[a-c]", "[^a]", "(?:ab)", "(a|b)", "\\.", "\\-"]
)
QUANTIFIERS = st.sampled_from(["", "*", "+", "?", "{1,2}", "{2}", "*?"])


@given(st.lists(st.tuples(ATOMS, QUANTIFIERS), max_size=5), st.booleans(), st.booleans(), SAFE)
def test_common_subset_agrees_with_python(
    parts: list[tuple[str, str]], start: bool, end: bool, text: str
) -> None:
    """Where ECMA-262 and Python agree (no line terminators, ASCII), so must the translation."""
    pattern = ("^" if start else "") + "".join(a + q for a, q in parts) + ("$" if end else "")
    assert _search(pattern, text) is (re.search(pattern, text) is not None)
