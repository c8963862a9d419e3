"""Programme questions at 50 and 10,000 sessions: indexed look-ups should barely notice.

Both programmes have the demo week's density (five sessions a weekday, each day like the
last), so the larger one is simply a longer programme — the thing that grows when a council
keeps every year's sessions. Each figure is one question asked of an in-memory snapshot
(what every request does after the cache), at a moment inside the programme.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta

from _common import TOPICS, summary, time_calls

from skill.intents.when import PartOfDay, Period
from skill.programme.model import Session, assign_ids
from skill.programme.programme import Programme

SIZES = (50, 10_000)
SLOTS = [(time(9, 30), time(10, 30)), (time(11, 0), time(12, 0)), (time(12, 30), time(13, 0)),
         (time(14, 0), time(15, 0)), (time(15, 30), time(16, 30))]  # fmt: skip


def realistic(n: int, first: date = date(2026, 5, 18)) -> Programme:
    sessions, day = [], first
    while len(sessions) < n:
        if day.weekday() < 5:
            for start, end in SLOTS[: n - len(sessions)]:
                title = f"{TOPICS[len(sessions) % len(TOPICS)]} {len(sessions)}"
                sessions.append(Session("", day, start, end, title, room="Room 1"))
        day += timedelta(days=1)
    return Programme(assign_ids(sessions), version=1)


def run(n: int = 2000) -> dict:
    results: dict[str, dict] = {}
    for size in SIZES:
        prog = realistic(size)
        first, last = prog.sessions[0].date, prog.sessions[-1].date
        span_minutes = ((last - first).days + 1) * 24 * 60
        start = datetime.combine(first, time(0, 0), prog.zone)
        rng = random.Random(7)

        def moment(rng=rng, start=start, span=span_minutes) -> datetime:
            return start + timedelta(minutes=rng.randrange(span))

        def afternoon(moment=moment) -> Period:
            day = moment().date()
            return Period(day, day, part=PartOfDay.AF)

        questions = {
            "on now": lambda prog=prog, moment=moment: prog.on_at(moment()),
            "next": lambda prog=prog, moment=moment: prog.next_after(moment()),
            "afternoon": lambda prog=prog, afternoon=afternoon: prog.in_period(afternoon()),
            "by title": lambda prog=prog: prog.find("the coding session"),
            "misheard": lambda prog=prog: prog.find("the knitting sesion"),
        }
        for name, ask in questions.items():
            results[f"{size} sessions: {name}"] = summary(time_calls(ask, n))
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
