"""The time rules' repairs: move valid time fields so that every ``x-rules`` rule holds, or
exactly one breaks (see `tests.contract._repair`).

Each function takes the fields (a body or a query) and the repair context, whose
``variant(breaks)`` names the rule to break (``valid``: none) and ``number(salt)`` gives
stable pseudo-random numbers derived from the generated values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from tests.contract._repair import Context

__all__ = ["ivc_times", "jd_times", "tencent_times"]

MARGIN = 120
"""Seconds kept between a repaired time and a rule's boundary."""
DAY = 86_400
WEEK = 7 * DAY
CST = 8 * 3600
_UTC = re.compile(
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
)


def _unsigned(value: Any) -> bool:
    return type(value) is int and 0 <= value < 2**63


def _read_unsigned(fields: dict[str, Any], name: str) -> int | None:
    """An int64 >= 0 field as a number (query values may still be its decimal text)."""
    value = fields.get(name)
    if isinstance(value, str) and re.fullmatch(r"0|[1-9][0-9]{0,18}", value):
        value = int(value)
    return value if _unsigned(value) else None


def _write(fields: dict[str, Any], name: str, value: int) -> None:
    fields[name] = str(value) if isinstance(fields.get(name), str) else value


def tencent_times(fields: dict[str, Any], ctx: Context) -> None:
    """EndTime in (now, now + 7 d), after StartTime by at most 24 h (or now, without it)."""
    has_start = "StartTime" in fields
    if _read_unsigned(fields, "EndTime") is None or (
        has_start and _read_unsigned(fields, "StartTime") is None
    ):
        return
    now, a, b = ctx.now, ctx.number(1), ctx.number(2)
    if has_start:
        variant = ctx.variant(["order", "future", "week", "span"])
        if variant == "order":
            end = now + MARGIN + a % (5 * DAY)
            start = end + b % 3600
        elif variant == "future":
            end = now - MARGIN - a % DAY
            start = end - 1 - b % (DAY - 1)
        elif variant == "week":
            end = now + WEEK + MARGIN + a % DAY
            start = end - 1 - b % (DAY - 1)
        elif variant == "span":
            end = now + MARGIN + a % (5 * DAY)
            start = end - DAY - 1 - b % DAY
        else:
            end = now + MARGIN + a % (6 * DAY)
            start = end - 1 - b % (DAY - 1)
        _write(fields, "StartTime", start)
    else:
        variant = ctx.variant(["future", "span"])
        if variant == "future":
            end = now - MARGIN - a % DAY
        elif variant == "span":
            end = now + DAY + MARGIN + a % (5 * DAY)
        else:
            end = now + MARGIN + a % (DAY - 2 * MARGIN)
    _write(fields, "EndTime", end)


def ivc_times(fields: dict[str, Any], ctx: Context) -> None:
    """StartTime < EndTime on the same China Standard Time day (so at most one day apart)."""
    if _read_unsigned(fields, "StartTime") is None or _read_unsigned(fields, "EndTime") is None:
        return
    a, b = ctx.number(1), ctx.number(2)
    day_start = (1 + a % 20_000) * DAY - CST
    variant = ctx.variant(["order", "day"])
    if variant == "order":
        start = day_start + 1 + b % (DAY - 1)
        end = start - b % (start - day_start + 1)
    elif variant == "day":
        start = day_start + DAY - 1 - b % 3600
        end = day_start + DAY + a % 3600
    else:
        start = day_start + b % (DAY - 1)
        end = start + 1 + a % (day_start + DAY - 1 - start)
    _write(fields, "StartTime", start)
    _write(fields, "EndTime", end)


def _utc(text: Any) -> dt.datetime | None:
    if not isinstance(text, str) or not _UTC.fullmatch(text):
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _segments(segments: list[dict[str, Any]], ctx: Context, variant: str) -> None:
    """Every segment starts before it ends; all segments span 10 s to 8 h."""
    first = _utc(segments[0]["startTime"])
    assert first is not None
    base = first.replace(year=2000 + first.year % 90, month=1, day=1)
    single = len(segments) == 1
    for index, segment in enumerate(segments):
        length = ctx.number(index) % 1990 + 10 if single else ctx.number(index) % 1999 + 1
        start, end = index * 2000, index * 2000 + length
        if variant == "short":
            start, end = 0, 1 + ctx.number(0) % 9
        elif variant == "long" and index == len(segments) - 1:
            end = 8 * 3600 + 1 + ctx.number(index) % 3600
        elif variant == "order" and index == 1:
            end = start - ctx.number(index) % 100
        segment["startTime"] = _format(base, start)
        segment["endTime"] = _format(base, end)


def _format(base: dt.datetime, seconds: int) -> str:
    return (base + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def jd_times(ctx: Context) -> None:
    """The time rules of ``recordTimes``; path parameters repeated in the body equal the path."""
    body = ctx.case.body
    if not isinstance(body, dict):
        return
    segments = body.get("recordTimes")
    timed = (
        isinstance(segments, list)
        and bool(segments)
        and all(
            isinstance(s, dict) and _utc(s.get("startTime")) and _utc(s.get("endTime"))
            for s in segments
        )
    )
    path = ctx.case.path_parameters or {}
    copies = [
        name
        for name in ("publishDomain", "appName", "streamName")
        if isinstance(body.get(name), str) and isinstance(path.get(name), str)
    ]
    breaks = (["order"] if timed and len(segments) > 1 else []) + (
        ["short", "long"] if timed else []
    )
    variant = ctx.variant(breaks + (["path"] if copies else []))
    if timed:
        _segments(segments, ctx, variant)
    for name in copies:
        body[name] = unquote(path[name]) + (
            "-other" if variant == "path" and name == copies[0] else ""
        )
