"""Room-overlap checking stays O(n log n): counted comparisons, not a stopwatch.

A quadratic check (every session against every later one in its room) made a 136 KiB CSV
take 132 s. Times here count their own comparisons, so the test measures the algorithm's
work, which a busy machine cannot disturb.
"""

from __future__ import annotations

import math
from datetime import date, time

from skill.programme.editing.validate import validate
from skill.programme.model import Session, assign_ids


class CountedTime(time):
    """A time that counts how often it is compared."""

    comparisons = 0

    def _count(self) -> None:
        CountedTime.comparisons += 1

    def __lt__(self, other):  # type: ignore[no-untyped-def]
        self._count()
        return time.__lt__(self, other)

    def __le__(self, other):  # type: ignore[no-untyped-def]
        self._count()
        return time.__le__(self, other)

    def __gt__(self, other):  # type: ignore[no-untyped-def]
        self._count()
        return time.__gt__(self, other)

    def __ge__(self, other):  # type: ignore[no-untyped-def]
        self._count()
        return time.__ge__(self, other)

    def __eq__(self, other):  # type: ignore[no-untyped-def]
        self._count()
        return time.__eq__(self, other)

    __hash__ = time.__hash__


def crowded(n: int) -> list[Session]:
    """n sessions in one room, all running at once: the worst case for pairwise checks."""
    return list(
        assign_ids(
            Session(
                "",
                date(2026, 5, 18),
                CountedTime(9, i % 60),
                CountedTime(17, i % 60),
                f"Session {i}",
                room="Hall",
            )
            for i in range(n)
        )
    )


def comparisons(n: int) -> tuple[int, int]:
    sessions = crowded(n)
    CountedTime.comparisons = 0
    problems = validate(sessions)
    return CountedTime.comparisons, len(problems)


def test_overlaps_cost_n_log_n_comparisons_and_one_warning_per_session():
    small, warned_small = comparisons(500)
    large, warned_large = comparisons(2000)
    assert (warned_small, warned_large) == (499, 1999)  # not one per pair (1,999,000)
    assert large < 30 * 2000 * math.log2(2000)  # pairwise would be about 2,000,000
    assert large / small < 5.5  # four times the sessions: n log n gives ~4.9, n² gives 16


def test_every_overlap_is_still_found():
    def at(start: str, end: str, title: str, room: str = "Room 1") -> Session:
        return Session(
            "",
            date(2026, 5, 18),
            time.fromisoformat(start),
            time.fromisoformat(end),
            title,
            room=room,
        )

    sessions = assign_ids(
        [
            at("09:00", "12:00", "Long"),
            at("09:30", "10:00", "Inside long"),
            at("11:00", "11:30", "Also inside long"),  # overlaps Long, not "Inside long"
            at("12:00", "13:00", "Right after"),  # touching is fine
            at("10:00", "11:00", "Other room", room="room 2"),
            at("10:30", "11:30", "Same room, other spelling", room="Room 2 "),
        ]
    )
    found = sorted(p.message.split(" overlaps ")[0] for p in validate(sessions))
    assert found == [
        "“Also inside long” on Monday 18 May at 11:00",
        "“Inside long” on Monday 18 May at 09:30",
        "“Same room, other spelling” on Monday 18 May at 10:30",
    ]
