"""Programme questions at 50 and 10,000 sessions: indexed look-ups should barely notice.

Each figure is one question asked of an in-memory snapshot (what every request does
after the cache), so it isolates the query cost from HTTP and the store.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from _common import summary, time_calls

from skill.programme.when import PartOfDay, Period
from tests.programme.test_queries import LONDON, synthetic

SIZES = (50, 10_000)


def run(n: int = 2000) -> dict:
    results: dict[str, dict] = {}
    for size in SIZES:
        prog = synthetic(size)
        rng = random.Random(7)
        start = datetime(2026, 1, 5, 9, tzinfo=LONDON)

        def moment() -> datetime:
            return start + timedelta(minutes=rng.randrange(500_000))

        def afternoon() -> Period:
            day = moment().date()
            return Period(day, day, part=PartOfDay.AF)

        questions = {
            "on now": lambda: prog.on_at(moment()),
            "next": lambda: prog.next_after(moment()),
            "afternoon": lambda: prog.in_period(afternoon()),
            "by title": lambda: prog.find("the coding session"),
            "misheard": lambda: prog.find("the knitting sesion"),
        }
        for name, ask in questions.items():
            results[f"{size} sessions: {name}"] = summary(time_calls(ask, n))
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
