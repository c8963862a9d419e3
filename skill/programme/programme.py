"""An immutable, indexed snapshot of one published programme version.

A request takes one snapshot and asks it everything, so an answer never mixes two
versions. Sessions are sorted by start instant once; time questions bisect that list
and title questions go through a token index, so a 10,000-session programme answers
as fast as the demo week.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from skill.programme.matching import Match, TitleIndex, phrase_key
from skill.programme.model import Session
from skill.programme.period import Period

DEFAULT_ZONE = "Europe/London"
# How far into a part of the day a session that began earlier must run to be listed in it.
SPILL = timedelta(minutes=30)


@dataclass(frozen=True)
class FoundTitle:
    """The occurrences of the title some words name, other titles tied with it, and
    whether the title holds every word asked."""

    sessions: list[Session]
    others: list[Session]
    sure: bool = True


class Programme:
    """Sessions of one version, in one time zone. Treat as read-only (it is shared)."""

    __slots__ = (
        "version",
        "zone",
        "sessions",
        "_starts",
        "_ends",
        "_start_ts",
        "_end_ts",
        "_longest_s",
        "_by_id",
        "_groups",
        "_group_of",
        "_titles",
    )

    def __init__(
        self,
        sessions: Iterable[Session] = (),
        zone: str = DEFAULT_ZONE,
        version: int | None = None,
    ) -> None:
        self.version = version
        self.zone = ZoneInfo(zone)
        # Instants in UTC: aware datetimes sharing a tzinfo compare by wall clock, which
        # gets the hour the clocks go back wrong.
        timed = sorted(((_utc(s.starts_at(self.zone)), s) for s in sessions), key=_order)
        self.sessions: tuple[Session, ...] = tuple(s for _, s in timed)
        self._starts: tuple[datetime, ...] = tuple(t for t, _ in timed)
        self._ends = tuple(_utc(s.ends_at(self.zone)) for s in self.sessions)
        # The bisect indexes hold POSIX seconds: comparing floats is far cheaper than
        # comparing aware datetimes, so a longer programme costs a few more float compares.
        self._start_ts = tuple(t.timestamp() for t in self._starts)
        self._end_ts = tuple(t.timestamp() for t in self._ends)
        # "On now" looks back no further than the longest session.
        self._longest_s = max(
            (e - s for s, e in zip(self._start_ts, self._end_ts, strict=True)), default=0.0
        )
        self._by_id = {s.id: i for i, s in enumerate(self.sessions)}
        groups: dict[str, list[int]] = {}
        for i, s in enumerate(self.sessions):
            groups.setdefault(phrase_key(s.title) or s.id, []).append(i)
        self._groups = {k: tuple(v) for k, v in groups.items()}
        self._group_of = {i: k for k, v in self._groups.items() for i in v}
        self._titles = TitleIndex(
            (k, [self.sessions[v[0]].title, *(a for i in v for a in self.sessions[i].aliases)])
            for k, v in self._groups.items()
        )

    @property
    def zone_name(self) -> str:
        return self.zone.key

    def __len__(self) -> int:
        return len(self.sessions)

    def __bool__(self) -> bool:
        return bool(self.sessions)

    # --- time questions -----------------------------------------------------------------

    def starts(self, session: Session) -> datetime:
        return self._starts[self._by_id[session.id]]

    def ends(self, session: Session) -> datetime:
        return self._ends[self._by_id[session.id]]

    def on_at(self, instant: datetime) -> list[Session]:
        """Sessions running at `instant` (started, not yet ended), cancelled ones included."""
        at = instant.timestamp()
        lo = bisect_right(self._start_ts, at - self._longest_s)
        hi = bisect_right(self._start_ts, at)
        return [self.sessions[i] for i in range(lo, hi) if self._end_ts[i] > at]

    def starting_between(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions starting in [start, end), in time order."""
        lo = bisect_left(self._start_ts, start.timestamp())
        hi = bisect_left(self._start_ts, end.timestamp())
        return list(self.sessions[lo:hi])

    def next_after(self, instant: datetime) -> list[Session]:
        """The next scheduled session(s) starting after `instant` (several if they start
        together). Cancelled ones are skipped: see `cancelled_between` to mention them."""
        i = bisect_right(self._start_ts, instant.timestamp())
        while i < len(self.sessions) and self.sessions[i].cancelled:
            i += 1
        if i == len(self.sessions):
            return []
        hi = bisect_right(self._start_ts, self._start_ts[i])
        return [s for s in self.sessions[i:hi] if not s.cancelled]

    def cancelled_between(self, start: datetime, end: datetime) -> list[Session]:
        return [s for s in self.starting_between(start, end) if s.cancelled]

    def running_between(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions on at any moment of [start, end), in time order: one that began
        before `start` and is still going counts (a 9-to-4 drop-in is on in the afternoon)."""
        return [self.sessions[i] for i in self._running(start.timestamp(), end.timestamp())]

    def _running(self, start: float, end: float, spill: float = 0.0) -> list[int]:
        """Indexes of sessions on in [start, end); one begun before `start` must run
        past `start + spill`."""
        lo = bisect_right(self._start_ts, start - self._longest_s)
        hi = bisect_left(self._start_ts, end)
        starts, ends = self._start_ts, self._end_ts
        return [
            i
            for i in range(lo, hi)
            if ends[i] > start and (starts[i] >= start or ends[i] > start + spill)
        ]

    def in_period(self, period: Period, not_before: datetime | None = None) -> list[Session]:
        """Sessions a "what's on" question about `period` should list, in time order.

        Whole days and parts of days list sessions running in them: one that started
        earlier counts when it runs at least `SPILL` into the part; a single time lists
        sessions running at that time. `not_before` drops sessions already over (for
        questions about today).
        """
        midnight = datetime.min.time()
        if period.at is None and period.part is None:
            start = datetime.combine(period.first, midnight, self.zone)
            end = datetime.combine(period.last + timedelta(days=1), midnight, self.zone)
            found = self.running_between(start, end)
        else:
            found = []
            for offset in range(period.days):
                day = period.first + timedelta(days=offset)
                if period.at is not None:
                    found.extend(self.on_at(datetime.combine(day, period.at, self.zone)))
                    continue
                assert period.part is not None
                first, last = period.part.hours
                begin = datetime.combine(day, midnight, self.zone) + timedelta(hours=first)
                end = datetime.combine(day, midnight, self.zone) + timedelta(hours=last)
                # A morning session overrunning by a few minutes is not an afternoon one.
                hits = self._running(begin.timestamp(), end.timestamp(), SPILL.total_seconds())
                found.extend(self.sessions[i] for i in hits)
        if not_before is not None:
            found = [s for s in found if self.ends(s) > not_before]
        return found

    def started_before(self, session: Session, period: Period) -> bool:
        """Whether `session` was already on when `period` (a part of a day) began."""
        if period.part is None:
            return False
        return session.start.hour < period.part.hours[0]

    @property
    def first_day(self) -> date | None:
        return self.sessions[0].date if self.sessions else None

    @property
    def last_day(self) -> date | None:
        return self.sessions[-1].date if self.sessions else None

    # --- naming questions ---------------------------------------------------------------

    def by_id(self, session_id: str) -> Session | None:
        i = self._by_id.get(session_id)
        return None if i is None else self.sessions[i]

    def still_to_come(self, sessions: Iterable[Session], now: datetime) -> list[Session]:
        """Those of `sessions` that have not ended by `now`."""
        return [s for s in sessions if self.ends(s) > now]

    def featured(self, sessions: list[Session], now: datetime) -> tuple[Session, bool]:
        """The occurrence to talk about (the next scheduled one still to come, else the next
        cancelled one, else the last), and whether it is past."""
        upcoming = self.still_to_come(sessions, now)
        scheduled = [s for s in upcoming if not s.cancelled]
        if scheduled or upcoming:
            return (scheduled or upcoming)[0], False
        return sessions[-1], True

    def occurrences(self, session: Session) -> list[Session]:
        """Every session with the same title (a workshop run on two days), in time order."""
        key = self._group_of[self._by_id[session.id]]
        return [self.sessions[i] for i in self._groups[key]]

    def find(self, spoken: str) -> tuple[list[Session], list[Session]]:
        """Sessions the words most likely mean (all occurrences of one title), and the
        first occurrence of every other title that matched equally well."""
        found = self.find_title(spoken)
        return (found.sessions, found.others) if found else ([], [])

    def find_title(self, spoken: str) -> FoundTitle | None:
        """Like `find`, saying whether the title holds every word asked (`sure`) or is
        only a guess worth a "Did you mean …?"."""
        match: Match | None = self._titles.best(spoken)
        if match is None:
            return None
        best = [self.sessions[i] for i in self._groups[match.key]]
        others = [self.sessions[self._groups[k][0]] for k in match.tied]
        return FoundTitle(best, others, match.sure)

    def by_presenter(self, spoken: str) -> list[Session]:
        """Sessions run by the presenter these words name exactly ("learning and
        development" is Learning & Development), so a presenter isn't taken for a title."""
        key = phrase_key(spoken)
        if not key:
            return []
        return [s for s in self.sessions if s.presenter and phrase_key(s.presenter) == key]

    def upcoming_titles(self, after: datetime, count: int = 2) -> list[str]:
        """A few real titles to suggest ("you could ask about …"), soonest first."""
        i = bisect_right(self._start_ts, after.timestamp())
        pool = self.sessions[i:] or self.sessions
        titles: list[str] = []
        for s in pool:
            if not s.cancelled and s.title not in titles:
                titles.append(s.title)
                if len(titles) == count:
                    break
        return titles


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _order(item: tuple[datetime, Session]) -> tuple[datetime, str, str]:
    return item[0], item[1].title.lower(), item[1].id
