"""What AMAZON.DATE and AMAZON.TIME values mean, as a `Period` of programme days.

Alexa resolves "Wednesday", "next week" or "this summer" into ISO-like strings
(`2026-05-20`, `2026-W22`, `2026-W21-WE`, `2026-05`, `2026`, `202X`, `2026-SU`) and
"this afternoon" into `AF`. Parsing them here keeps the intent handlers free of date
arithmetic and lets the domain be tested without envelopes.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, time, timedelta

from skill.programme.period import PartOfDay, Period, day


class UnsupportedWhen(ValueError):
    """A date or time value the skill cannot turn into days (said back helpfully)."""

    def __init__(self, value: str, slot: str) -> None:
        super().__init__(f"unsupported {slot} value {value!r}")
        self.value = value
        self.slot = slot


# Meteorological seasons (northern hemisphere); winter runs into the next year.
_SEASONS = {"SP": (3, 5, "spring"), "SU": (6, 8, "summer"), "FA": (9, 11, "autumn")}


def parse_date(value: str, today: date) -> Period:
    """An AMAZON.DATE value as days. `today` (the listener's) answers "PRESENT_REF"."""
    text = value.strip().upper()
    try:
        if text == "PRESENT_REF":
            return day(today)
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            return day(date(int(m[1]), int(m[2]), int(m[3])))
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})(-WE)?", text):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                return Period(monday + timedelta(days=5), monday + timedelta(days=6), "weekend")
            return Period(monday, monday + timedelta(days=6), "week")
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last), "month")
        if m := re.fullmatch(r"(\d{4})-(WI|SP|SU|FA)", text):
            year = int(m[1])
            if m[2] == "WI":
                end = date(year + 1, 3, 1) - timedelta(days=1)
                return Period(date(year, 12, 1), end, "season", name="winter")
            first_month, last_month, name = _SEASONS[m[2]]
            last = calendar.monthrange(year, last_month)[1]
            return Period(
                date(year, first_month, 1), date(year, last_month, last), "season", name=name
            )
        if m := re.fullmatch(r"(\d{4})", text):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year, 12, 31), "year")
        if m := re.fullmatch(r"(\d{3})X", text):
            start = int(m[1]) * 10
            return Period(date(start, 1, 1), date(start + 9, 12, 31), "decade")
    except ValueError:  # e.g. 2026-02-30 or week 54
        pass
    raise UnsupportedWhen(value, "date")


def parse_time(value: str) -> PartOfDay | time:
    """An AMAZON.TIME value: "14:00" (a time) or MO/AF/EV/NI (a part of the day)."""
    text = value.strip().upper()
    if text in PartOfDay.__members__:
        return PartOfDay[text]
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})", text):
        try:
            return time(int(m[1]), int(m[2]))
        except ValueError:
            pass
    raise UnsupportedWhen(value, "time")


def period(date_value: str | None, time_value: str | None, today: date) -> Period | None:
    """The period a "what's on" question asks about; None when neither slot was filled."""
    if not date_value and not time_value:
        return None
    base = parse_date(date_value, today) if date_value else day(today)
    return base.with_time(parse_time(time_value) if time_value else None)
