"""Schema helpers of the runtime: violations, JSON equality, exact ``multipleOf``, formats.

Generated code calls these helpers; nothing here knows about specs or the generator. Violations
are data, and their messages are built here, at validation time, from the instance and the
keyword's value passed as arguments (never from a template containing spec text)::

    >>> v = violation(("items", 0), ("properties", "items", "maxLength"), "maxLength", "abcd", 3)
    >>> v.pointer, v.message
    ('/items/0', "'abcd' is longer than 3 characters")
"""

from __future__ import annotations

import binascii
import ipaddress
import re
from base64 import b64decode
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from math import isfinite

__all__ = [
    "Violation",
    "has_duplicates",
    "is_byte",
    "is_date",
    "is_date_time",
    "is_email",
    "is_hostname",
    "is_ipv4",
    "is_ipv6",
    "is_multiple",
    "is_uri",
    "is_utc_second",
    "is_uuid",
    "json_in",
    "violation",
]

Path = tuple[str | int, ...]


def _escape_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Violation:
    """One reason why an instance is invalid.

    ``instance_path`` locates the offending value in the instance; ``schema_path`` locates the
    failing keyword in the schema document (after ``$ref`` resolution).

    >>> Violation(("a/b", 0), ("type",), "type", "0 is not of type 'string'").pointer
    '/a~1b/0'
    """

    instance_path: Path
    schema_path: Path
    keyword: str
    message: str

    @property
    def pointer(self) -> str:
        """The RFC 6901 JSON pointer of the offending value in the instance."""
        return "".join("/" + _escape_token(token) for token in self.instance_path)

    @property
    def schema_pointer(self) -> str:
        """The RFC 6901 JSON pointer of the failing keyword in the schema document."""
        return "".join("/" + _escape_token(token) for token in self.schema_path)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _show_types(expected: object) -> str:
    if isinstance(expected, (list, tuple)):
        return " or ".join(repr(name) for name in expected)
    return repr(expected)


_Message = Callable[[object, object], str]


def _invalid(instance: object, expected: object) -> str:
    return f"{_show(instance)} is not valid"


_MESSAGES: dict[str, _Message] = {
    "type": lambda i, e: f"{_show(i)} is not of type {_show_types(e)}",
    "enum": lambda i, e: f"{_show(i)} is not one of {_show(e)}",
    "format": lambda i, e: f"{_show(i)} is not a {e!r}",
    "minimum": lambda i, e: f"{_show(i)} is less than the minimum of {e!r}",
    "exclusiveMinimum": lambda i, e: f"{_show(i)} is less than or equal to the minimum of {e!r}",
    "maximum": lambda i, e: f"{_show(i)} is greater than the maximum of {e!r}",
    "exclusiveMaximum": lambda i, e: f"{_show(i)} is greater than or equal to the maximum of {e!r}",
    "multipleOf": lambda i, e: f"{_show(i)} is not a multiple of {e!r}",
    "minLength": lambda i, e: f"{_show(i)} is shorter than {e!r} characters",
    "maxLength": lambda i, e: f"{_show(i)} is longer than {e!r} characters",
    "pattern": lambda i, e: f"{_show(i)} does not match {e!r}",
    "minItems": lambda i, e: f"{_show(i)} has fewer than {e!r} items",
    "maxItems": lambda i, e: f"{_show(i)} has more than {e!r} items",
    "uniqueItems": lambda i, e: f"{_show(i)} has non-unique elements",
    "additionalItems": lambda i, e: f"additional items are not allowed: {_show(i)}",
    "minProperties": lambda i, e: f"{_show(i)} has fewer than {e!r} properties",
    "maxProperties": lambda i, e: f"{_show(i)} has more than {e!r} properties",
    "required": lambda i, e: f"{e!r} is a required property",
    "additionalProperties": lambda i, e: f"additional property {e!r} is not allowed",
    "dependencies": lambda i, e: f"{e!r} is a dependency of another property that is present",
    "anyOf": lambda i, e: f"{_show(i)} is not valid under any of the given schemas",
    "oneOf": lambda i, e: (
        f"{_show(i)} is valid under more than one of the given schemas"
        if e
        else f"{_show(i)} is not valid under any of the given schemas"
    ),
    "not": lambda i, e: f"{_show(i)} must not be valid under the 'not' schema",
    "nullable": lambda i, e: "None is not allowed here (the schema is not nullable)",
    "readOnly": lambda i, e: "a read-only property must not be sent in a request",
    "writeOnly": lambda i, e: "a write-only property must not be returned in a response",
    "discriminator": lambda i, e: (
        f"discriminator property {e!r} is missing or has an unknown value"
    ),
    "x-rules": lambda i, e: str(e),  # the rule's own message, passed as a constant
}


def violation(
    path: Path, schema_path: Path, keyword: str, instance: object, expected: object
) -> Violation:
    """Build a `Violation` whose message is made from ``instance`` and ``expected`` now."""
    build = _MESSAGES.get(keyword, _invalid)
    return Violation(path, schema_path, keyword, build(instance, expected))


def _freeze(value: object) -> Hashable:
    """A hashable key with JSON equality: 1 == 1.0, True != 1, lists and dicts deep."""
    if value is True or value is False:
        return ("b", value)
    kind = type(value)
    if kind is str:
        return ("s", value)
    if kind is int or kind is float:
        return ("n", value)
    if value is None:
        return ("z",)
    if isinstance(value, list):
        return ("l", tuple(_freeze(item) for item in value))
    if isinstance(value, dict):
        return ("d", frozenset((key, _freeze(item)) for key, item in value.items()))
    return ("o", id(value))


_HASHABLE_ALIKE = ({str}, {int}, {float}, {int, float}, {bool})


def has_duplicates(items: list[object]) -> bool:
    """True if two items are equal under JSON Schema equality (draft 4 ``uniqueItems``)."""
    if len(items) < 2:
        return False
    kinds = set(map(type, items))
    if kinds in _HASHABLE_ALIKE:  # plain hashing is JSON equality within these kinds
        return len(set(items)) != len(items)
    seen: set[Hashable] = set()
    for item in items:
        key = _freeze(item)
        if key in seen:
            return True
        seen.add(key)
    return False


def json_in(value: object, choices: list[object]) -> bool:
    """True if ``value`` equals one of ``choices`` under JSON equality (``enum`` members)."""
    key = _freeze(value)
    return any(_freeze(choice) == key for choice in choices)


def is_multiple(value: int | float, numerator: int, denominator: int) -> bool:
    """Whether ``value`` is an exact multiple of ``numerator / denominator``.

    Floats are taken at their shortest decimal spelling, the number written in the JSON text:
    0.0075 is a multiple of 0.0001 here, unlike in binary floating point.
    """
    if type(value) is int:
        return (value * denominator) % numerator == 0
    text = repr(value)
    if "e" in text or "n" in text:  # 1e+300, inf, nan
        if not isfinite(value):
            return False
        return (Fraction(text) * denominator / numerator).denominator == 1
    whole, _, fraction = text.partition(".")
    scale: int = 10 ** len(fraction)
    return int(whole + fraction) * denominator % (numerator * scale) == 0


# --- formats --------------------------------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))\Z"
)


def is_date(value: str) -> bool:
    """RFC 3339 ``full-date``: ``2024-02-29``."""
    match = _DATE.match(value)
    if match is None:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


# The common shape (upper-case T and Z, hours < 24, seconds < 60, at most 6 fraction digits,
# offsets < 24:00), where datetime.fromisoformat agrees with RFC 3339 and is 4x faster.
_COMMON_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])\Z"
)
_match_common_date_time = _COMMON_DATE_TIME.match


def _checked_from_iso(value: str) -> datetime:
    """`datetime.fromisoformat` behind the common shape's regex, for a lax implementation."""
    if _match_common_date_time(value) is None:
        raise ValueError(f"not the common date-time shape: {value!r}")
    return datetime.fromisoformat(value)


def _from_iso_is_strict() -> bool:
    """True if fromisoformat refuses what CPython's C parser refuses and the checks below count
    on: a sign, a space, an underscore or non-ASCII digits in a number (a parser built on
    ``int()``, as a pure-Python datetime is, takes them), hour 24 and second 60."""
    lax = (*(f"{year}-01-01T00:00:00Z" for year in ("+026", " 026", "2_26", "\uff12" * 4)),
           "2000-01-01T24:00:00Z", "2000-01-01T23:59:60Z")  # fmt: skip
    for value in lax:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            continue
        return False
    return True


_from_iso = datetime.fromisoformat if _from_iso_is_strict() else _checked_from_iso


def is_utc_second(value: str) -> bool:
    """``YYYY-MM-DDTHH:MM:SSZ`` of a real date and time from year 1: the commonest `date-time`.

    Every string it accepts is a `date-time`, and matches every ``pattern`` the generator
    proves to contain that shape (`generator.emit.utc_patterns`), so generated code tests it
    first and runs the format and pattern checks only when it is false.

    >>> is_utc_second("2024-02-29T23:59:59Z"), is_utc_second("2023-02-29T23:59:59Z")
    (True, False)
    """
    if len(value) == 20 and value[4::3] == "--T::Z":
        try:
            _from_iso(value)
        except ValueError:
            return False
        return True
    return False


def is_date_time(value: str) -> bool:
    """RFC 3339 ``date-time``, leap seconds only at 23:59:60 UTC: ``1998-12-31T23:59:60Z``."""
    # The commonest shape, ``YYYY-MM-DDTHH:MM:SSZ``, by its separators: fromisoformat then
    # checks that the rest are ASCII digits of a real date and time (`_from_iso_is_strict`).
    if len(value) == 20 and value[4::3] == "--T::Z":
        try:
            _from_iso(value)
        except ValueError:
            return _is_date_time(value)
        return True
    if _match_common_date_time(value) is not None:
        try:
            _from_iso(value)
        except ValueError:
            return _is_date_time(value)
        return True
    return _is_date_time(value)


def _is_date_time(value: str) -> bool:
    """`is_date_time` for every shape: the regex, then each field by hand."""
    match = _DATE_TIME.match(value)
    if match is None or not is_date(value[:10]):
        return False
    hour, minute, second = int(match[4]), int(match[5]), int(match[6])
    if hour > 23 or minute > 59 or second > 60:
        return False
    if match[7] is not None:
        off_hour, off_minute = int(match[8]), int(match[9])
        if off_hour > 23 or off_minute > 59:
            return False
        if second == 60:
            sign = 1 if match[7] == "+" else -1
            utc = (hour * 60 + minute - sign * (off_hour * 60 + off_minute)) % 1440
            return utc == 1439
    return second < 60 or (hour == 23 and minute == 59)


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\Z")
_EMAIL = re.compile(rf"({_ATOM}(?:\.{_ATOM})*)@(.+)\Z")


def is_hostname(value: str) -> bool:
    """RFC 1123 host name (ASCII, labels of 1-63 characters, at most 253): ``www.example.com``."""
    return len(value) <= 253 and _HOSTNAME.match(value) is not None


def is_email(value: str) -> bool:
    """RFC 5321 mailbox with a dot-atom local part: ``joe.bloggs@example.com``."""
    match = _EMAIL.match(value)
    if match is None:
        return False
    domain = match[2]
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        return is_ipv6(literal[5:]) if literal.startswith("IPv6:") else is_ipv4(literal)
    return is_hostname(domain)


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}\Z")


def is_ipv4(value: str) -> bool:
    """Dotted-quad IPv4 without leading zeros: ``192.168.0.1``."""
    return _IPV4.match(value) is not None


def is_ipv6(value: str) -> bool:
    """RFC 4291 IPv6 text form, no zone id: ``::ffff:192.168.0.1``."""
    if not value.isascii() or "%" in value or value.strip() != value:
        return False
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


_UUID = re.compile(r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\Z")


def is_uuid(value: str) -> bool:
    """RFC 4122 text form: ``123e4567-e89b-12d3-a456-426614174000``."""
    return _UUID.match(value) is not None


_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_IP_LITERAL = r"\[([0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\.[" + _UNRESERVED + _SUB_DELIMS + r":]+)\]"
_URI = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.\-]*:"
    rf"(?://(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
    rf"(?:{_IP_LITERAL}|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)(?::[0-9]*)?"
    rf"(?:/{_PCHAR}*)*"
    rf"|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?\Z"
)


def is_uri(value: str) -> bool:
    """RFC 3986 absolute URI (a scheme is required): ``http://example.com/a?b#c``."""
    match = _URI.match(value)
    if match is None:
        return False
    literal = match[1]
    if literal is None or literal[:1] in "vV":
        return True
    return is_ipv6(literal)


def is_byte(value: str) -> bool:
    """OpenAPI ``byte``: base64 text (RFC 4648 alphabet, padded): ``aGVsbG8=``."""
    if not value.isascii():
        return False
    try:
        b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True
