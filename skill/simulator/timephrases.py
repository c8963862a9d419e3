"""AMAZON.DATE and AMAZON.TIME for the phrases people really say to this skill.

The simulator can't call Alexa's resolver, so it knows a modest grammar: "today",
"tomorrow", weekdays ("Wednesday", "this Friday", "next Tuesday"), "this week",
"next week", "this weekend", "the twentieth of May", "May", "this month", "this year",
"now", and for times "morning", "afternoon", "noon", "half past two", "2 pm", "ten
thirty", "14:30". Values use Alexa's formats (the AMAZON.DATE and AMAZON.TIME entries of
Amazon's slot type reference,
https://developer.amazon.com/en-US/docs/alexa/custom-skills/slot-type-reference.html):
2026-05-20, 2026-W21, 2026-W21-WE, 2026-05, 2026, PRESENT_REF for "now"; 14:30, MO, AF,
EV, NI.

Rules where Alexa's exact behaviour isn't documented, chosen to match it in practice:
- a bare weekday or date means the next one on or after today;
- "next Tuesday" means Tuesday of next week;
- an hour without am/pm is in the working day (1 to 7 are afternoon, 8 to 11 morning).

Input is already normalised (lower case, no punctuation except ':' in times, no apostrophes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from skill.numbers import TENS, UNITS, number_words, ordinal_words

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_UNITS = UNITS
_TENS = {word: 10 * n for n, word in enumerate(TENS) if word}


_NUMBERS = {number_words(n): n for n in range(60)} | {f"oh {_UNITS[n]}": n for n in range(1, 10)}
_ORDINALS = {ordinal_words(n): n for n in range(1, 32)}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _to_int(text: str) -> int:
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", text)
    if digits:
        return int(digits[1])
    return _ORDINALS.get(text) or _NUMBERS[text]


# --- AMAZON.DATE ------------------------------------------------------------------------

_DAY_NUM = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_alternation(_ORDINALS)})"
_MONTH = _alternation(MONTHS)
_WEEKDAY = _alternation(WEEKDAYS)


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _next_date(today: date, month: int, day: int) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def _weekday(today: date, which: str | None, name: str) -> date:
    target = WEEKDAYS.index(name)
    if which == "next":
        monday_next = today + timedelta(days=7 - today.weekday())
        return monday_next + timedelta(days=target)
    return today + timedelta(days=(target - today.weekday()) % 7)


def _day_of_month(today: date, m: re.Match) -> str | None:
    found = _next_date(today, MONTHS.index(m["month"]) + 1, _to_int(m["day"]))
    return found.isoformat() if found else None


def _month(today: date, name: str) -> str:
    """A bare month is the next one on or after this month (Alexa: "december" -> 2015-12)."""
    month = MONTHS.index(name) + 1
    year = today.year if month >= today.month else today.year + 1
    return f"{year}-{month:02d}"


def _shift_month(today: date, months: int) -> str:
    index = today.year * 12 + today.month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


_DATES: list[tuple[str, Callable[[date, re.Match], str | None]]] = [
    # Alexa sends "now" and "right now" as PRESENT_REF, not as today's date.
    (r"(?:right )?now", lambda t, m: "PRESENT_REF"),
    (r"today", lambda t, m: t.isoformat()),
    (r"tomorrow", lambda t, m: (t + timedelta(days=1)).isoformat()),
    (r"the day after tomorrow", lambda t, m: (t + timedelta(days=2)).isoformat()),
    (r"yesterday", lambda t, m: (t - timedelta(days=1)).isoformat()),
    (
        rf"(?:(?P<which>this|next|coming|this coming) )?(?P<name>{_WEEKDAY})",
        lambda t, m: _weekday(t, m["which"], m["name"]).isoformat(),
    ),
    (r"this week", lambda t, m: _week(t)),
    (r"next week", lambda t, m: _week(t + timedelta(days=7))),
    (r"(?:this |the )?weekend", lambda t, m: _week(t) + "-WE"),
    (r"next weekend", lambda t, m: _week(t + timedelta(days=7)) + "-WE"),
    (rf"(?:the )?(?P<day>{_DAY_NUM}) (?:of )?(?P<month>{_MONTH})", _day_of_month),
    (rf"(?P<month>{_MONTH}) (?:the )?(?P<day>{_DAY_NUM})", _day_of_month),
    (rf"(?P<month>{_MONTH})", lambda t, m: _month(t, m["month"])),
    (r"this month", lambda t, m: _shift_month(t, 0)),
    (r"next month", lambda t, m: _shift_month(t, 1)),
    (r"this year", lambda t, m: str(t.year)),
    (r"next year", lambda t, m: str(t.year + 1)),
]

# --- AMAZON.TIME ------------------------------------------------------------------------

_HOUR = rf"(?:1[0-9]|2[0-3]|0?[0-9]|{_alternation(_UNITS[1:13])})"
_MINUTES = rf"(?:[0-5][0-9]|{_alternation(_NUMBERS)})"
_MERIDIEM = r"am|pm|in the morning|in the afternoon|in the evening|at night|oclock"
_PARTS = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "noon": "12:00",
    "midday": "12:00",
    "lunchtime": "12:00",
    "lunch time": "12:00",
    "midnight": "00:00",
}


def _clock(hour: int, minute: int, meridiem: str | None) -> str | None:
    """24-hour "HH:MM" from a spoken hour; without am/pm the working day decides."""
    if hour > 23 or minute > 59:
        return None
    if meridiem in ("pm", "in the afternoon", "in the evening", "at night") and hour < 12:
        hour += 12
    elif meridiem in ("am", "in the morning") and hour == 12:
        hour = 0
    elif meridiem in (None, "oclock") and 1 <= hour <= 7:
        hour += 12
    return f"{hour:02d}:{minute:02d}"


def _past_to(m: re.Match) -> str | None:
    minute = {"half": 30, "quarter": 15}.get(m["minutes"]) or _to_int(m["minutes"])
    hour = _to_int(m["hour"])
    if m["dir"] == "to":
        hour, minute = (hour - 1) % 12 or 12, 60 - minute
    return _clock(hour, minute, m["meridiem"])


_TIMES: list[tuple[str, Callable[[re.Match], str | None]]] = [
    (_alternation(_PARTS), lambda m: _PARTS[m[0]]),
    (
        rf"(?:a )?(?P<minutes>half|quarter|{_MINUTES})(?: minutes)? (?P<dir>past|after|to)"
        rf" (?P<hour>{_HOUR})(?: (?P<meridiem>{_MERIDIEM}))?",
        _past_to,
    ),
    (
        rf"(?P<hour>{_HOUR})(?::(?P<colon>[0-5][0-9])| (?P<minutes>{_MINUTES}))?"
        rf"(?: (?P<meridiem>{_MERIDIEM}))?",
        lambda m: _clock(
            _to_int(m["hour"]),
            _to_int(m["colon"] or m["minutes"] or "0"),
            m["meridiem"],
        ),
    ),
]


def _embeddable(patterns: Iterable[tuple[str, object]]) -> str:
    """One alternation without named groups, to sit inside a sample utterance's regex."""
    return "|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(?:', p)})" for p, _ in patterns)


DATE_PATTERN = _embeddable(_DATES)
TIME_PATTERN = _embeddable(_TIMES)


def resolve_date(text: str, today: date) -> str | None:
    """The AMAZON.DATE value for `text` relative to `today`, or None if it isn't a date."""
    for pattern, value in _DATES:
        m = re.fullmatch(pattern, text)
        if m:
            return value(today, m)
    return None


def resolve_time(text: str) -> str | None:
    """The AMAZON.TIME value for `text`, or None if it isn't a time we know."""
    for pattern, value in _TIMES:
        m = re.fullmatch(pattern, text)
        if m:
            return value(m)
    return None
