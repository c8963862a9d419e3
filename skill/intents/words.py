"""Times, days and places as a British speaker says them: "half past ten", "on Wednesday".

Plain text only (the intent layer escapes it into SSML). Alexa's own `say-as time` reads
"10:30" as "ten thirty a.m.", which is not how anyone at the stand talks.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from skill.numbers import number_words
from skill.programme.period import PartOfDay, Period

_HOURS = [number_words(12 if h == 0 else h) for h in range(12)]
_MINUTES = {5: "five", 10: "ten", 20: "twenty", 25: "twenty-five"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _hour(hour: int) -> str:
    return "midnight" if hour % 24 == 0 else _HOURS[hour % 12]


def _minutes(n: int) -> str:
    if n in _MINUTES:
        return _MINUTES[n]
    word = number_words(n, joiner="-")
    return f"{word} minute" if n == 1 else f"{word} minutes"


def clock(t: time) -> str:
    """10:30 -> "half past ten", 13:45 -> "a quarter to two", 14:00 -> "two o'clock"."""
    h, m = t.hour, t.minute
    if m == 0:
        if h == 0:
            return "midnight"
        return "noon" if h == 12 else f"{_HOURS[h % 12]} o'clock"
    if m == 15:
        return f"a quarter past {_hour(h)}"
    if m == 30:
        return f"half past {_hour(h)}"
    if m == 45:
        return f"a quarter to {_hour(h + 1)}"
    if m < 30:
        return f"{_minutes(m)} past {_hour(h)}"
    return f"{_minutes(60 - m)} to {_hour(h + 1)}"


def at(t: time) -> str:
    """ "at half past ten"; early and late hours say so, as there is no a.m./p.m."""
    spoken = f"at {clock(t)}"
    if t.hour >= 18 or (0 < t.hour < 7):
        spoken += " in the evening" if t.hour >= 18 else " in the morning"
    return spoken


def until(t: time) -> str:
    return f"until {clock(t)}"


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def full_date(day: date, today: date) -> str:
    """ "Wednesday the 20th of May" (with the year when it is not this year)."""
    text = f"{WEEKDAYS[day.weekday()]} the {ordinal(day.day)} of {MONTHS[day.month]}"
    return text if day.year == today.year else f"{text} {day.year}"


def same_week(a: date, b: date) -> bool:
    return a.isocalendar()[:2] == b.isocalendar()[:2]


def near(day: date, today: date) -> bool:
    """Whether the weekday alone is clear: the coming six days, or earlier this week."""
    ahead = (day - today).days
    return 0 <= ahead <= 6 or (ahead < 0 and same_week(day, today))


def on_day(day: date, today: date) -> str:
    """ "today", "tomorrow", "yesterday", "on Wednesday" (near) or the full date."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day == today - timedelta(days=1):
        return "yesterday"
    if near(day, today):
        return f"on {WEEKDAYS[day.weekday()]}"
    return f"on {full_date(day, today)}"


def day_range(first: date, last: date, today: date) -> str:
    """ "from Monday the 18th to Friday the 22nd of May"; "from tomorrow to Friday" when
    the whole range is still to come and near."""
    if first == last:
        return on_day(first, today)
    if today <= first and near(last, today):
        return f"from {on_day(first, today).removeprefix('on ')} to {WEEKDAYS[last.weekday()]}"
    if (first.year, first.month) == (last.year, last.month):
        start = f"{WEEKDAYS[first.weekday()]} the {ordinal(first.day)}"
        return f"from {start} to {full_date(last, today)}"
    return f"from {full_date(first, today)} to {full_date(last, today)}"


def _part(part: PartOfDay, day: date, today: date) -> str:
    if day == today:
        return "tonight" if part is PartOfDay.NI else f"this {part.word}"
    if day == today + timedelta(days=1):
        return f"tomorrow {part.word}"
    if near(day, today):
        return f"on {WEEKDAYS[day.weekday()]} {part.word}"
    return f"on {full_date(day, today)}, in the {part.word}"


def period(p: Period, today: date) -> str:
    """How to name the period asked about: "on Wednesday afternoon", "next week"."""
    if p.kind == "day":
        if p.part is not None:
            return _part(p.part, p.first, today)
        text = on_day(p.first, today)
        return f"{at(p.at)} {text}" if p.at is not None else text
    if p.kind in ("week", "weekend"):
        this = today - timedelta(days=today.weekday())
        monday = p.first - timedelta(days=p.first.weekday())
        weeks = (monday - this).days // 7
        if -1 <= weeks <= 1:
            return {-1: "last", 0: "this", 1: "next"}[weeks] + f" {p.kind}"
        return f"in the {p.kind} of {full_date(p.first, today)}"
    if p.kind == "month":
        name = MONTHS[p.first.month]
        return f"in {name}" if p.first.year == today.year else f"in {name} {p.first.year}"
    if p.kind == "season":
        if p.first.year == today.year:
            return f"this {p.name}"
        return f"in {p.name} {p.first.year}"
    if p.kind == "year":
        return "this year" if p.first.year == today.year else f"in {p.first.year}"
    if p.kind == "decade":
        return f"in the {p.first.year}s"
    return day_range(p.first, p.last, today)


def room(name: str) -> str:
    """ "in the Training Room", "in Room 3", "in Training Room 1", "online".

    A room named by a number or letter ("Training Room 2", "Committee Room A") is a
    proper name and takes no "the"; nor does one that starts with "Room" or a digit.
    """
    text = spoken(name)
    lower = text.lower()
    if lower in {"online", "virtual"}:
        return "online"
    if lower.startswith(("the ", "room ", "online ")) or text[:1].isdigit():
        return f"in {text}"
    if re.search(r"\s(?:\d+[A-Za-z]?|[A-Z]\d*)$", text):
        return f"in {text}"
    return f"in the {text}"


# Pictographs, dingbats, flags, variation selectors and joiners: fine on a screen,
# read out by Alexa as their names ("snake") or as nothing at all.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff"
    "\U00002b00-\U00002bff\U0000fe00-\U0000fe0f\U0000200d\U000020e3\U00002300-\U000023ff]"
)


def spoken(text: str) -> str:
    """Admin-typed text as it should be read out: emoji dropped, spaces tidied."""
    tidy = " ".join(_EMOJI.sub(" ", text).split())
    return re.sub(r" (?=[,.;:!?])", "", tidy)


def sentence(text: str) -> str:
    """Text ending as a sentence does, so what follows doesn't run into it."""
    text = spoken(text)
    if not text or text[-1] in ".!?…":
        return text
    return text.rstrip(",;:-–") + "."


def count(n: int, noun: str = "session") -> str:
    """ "no sessions", "one session", "5 sessions"."""
    if n == 0:
        return f"no {noun}s"
    if n == 1:
        return f"one {noun}"
    return f"{n} {noun}s"


def join_plain(items: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c" (plain text; `speech.join` is the SSML twin)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def zone_name(key: str) -> str:
    """ "UK time" for Europe/London, else "Paris time" and so on."""
    if key in {"Europe/London", "GB", "Europe/Belfast"}:
        return "UK time"
    return key.rsplit("/", 1)[-1].replace("_", " ") + " time"
