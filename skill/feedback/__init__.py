"""Visitors' feedback on a session, by voice: a rating from one to five and "will you be more
effective at work because of it?" (yes, not sure, no).

Anonymous by construction: an answer is keyed by an HMAC of the Alexa user id and the
session id under the install's feedback secret (`speaker_key`), so one speaker has one
answer per session (a second replaces the first) but no answer can be traced back to an
account, nor two sessions' answers linked to the same person. The spoken words are never
kept: only the number and one of three words. Nothing here imports Flask, boto3 or the
Alexa SDK; the stores are `sqlite` (local) and `dynamo` (cloud).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from skill.programme.model import Session

if TYPE_CHECKING:
    from skill.programme.programme import Programme
    from skill.settings import Settings

YES, NOT_SURE, NO = "yes", "not_sure", "no"
EFFECTIVE = (YES, NOT_SURE, NO)
EFFECTIVE_LABELS = {YES: "Yes", NOT_SURE: "Not sure", NO: "No"}
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Answer:
    """One speaker's answer about one session; either part may have been skipped."""

    session_id: str
    speaker: str  # speaker_key(): an HMAC, never the Alexa user id
    rating: int | None
    effective: str | None  # one of EFFECTIVE
    at: datetime  # UTC, when it was last given

    def __post_init__(self) -> None:
        if self.rating is not None and self.rating not in RATINGS:
            raise ValueError(f"a rating is 1 to 5, not {self.rating!r}")
        if self.effective is not None and self.effective not in EFFECTIVE:
            raise ValueError(f"effective is one of {EFFECTIVE}, not {self.effective!r}")


class FeedbackStore(Protocol):
    def put(self, answer: Answer) -> None:
        """Store the answer, replacing that speaker's earlier one for the session."""

    def answers(self, session_id: str | None = None) -> list[Answer]: ...


class MemoryFeedbackStore:
    """For one-off services (the admin's preview): answers vanish with the process."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], Answer] = {}
        self._lock = threading.Lock()

    def put(self, answer: Answer) -> None:
        with self._lock:
            self._rows[(answer.session_id, answer.speaker)] = answer

    def answers(self, session_id: str | None = None) -> list[Answer]:
        with self._lock:
            rows = list(self._rows.values())
        return [a for a in rows if session_id is None or a.session_id == session_id]


def speaker_key(secret: bytes, user_id: str, session_id: str) -> str:
    """HMAC-SHA256(secret, user id + "#" + session id), hex. Per session, so the same
    person's answers to two sessions can't be told to be one person's."""
    message = f"{user_id}#{session_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class Feedback:
    """What the voice intents and the admin results page use."""

    def __init__(
        self,
        store: FeedbackStore,
        secret: Callable[[], bytes],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self._secret = secret
        self._loaded: list[bytes] = []
        self.clock = clock

    def _key(self, user_id: str, session_id: str) -> str:
        if not self._loaded:  # loaded on first use: a cold start never waits for it
            self._loaded.append(self._secret())
        return speaker_key(self._loaded[0], user_id, session_id)

    def give(
        self, user_id: str, session_id: str, rating: int | None, effective: str | None
    ) -> Answer:
        """This conversation's answer so far; replaces the speaker's earlier one."""
        answer = Answer(
            session_id=session_id,
            speaker=self._key(user_id, session_id),
            rating=rating,
            effective=effective,
            at=self.clock().astimezone(UTC),
        )
        self.store.put(answer)
        return answer

    def results(self, prog: Programme, now: datetime) -> list[Result]:
        """Every session with answers, and those asking for feedback that have ended."""
        return results(prog.sessions, self.store.answers(), lambda s: prog.ends(s) <= now)


def memory_feedback(clock: Callable[[], datetime]) -> Feedback:
    import secrets

    key = secrets.token_bytes(32)
    return Feedback(MemoryFeedbackStore(), lambda: key, clock)


# --- which session, and may it be asked about --------------------------------------------


class NotAskable(Exception):
    """The session can't take feedback now; `reason` is one of the constants below."""

    NOT_ENDED, CANCELLED, NOT_ASKED = "not_ended", "cancelled", "not_asked"

    def __init__(self, session: Session, reason: str) -> None:
        super().__init__(f"{session.title}: {reason}")
        self.session = session
        self.reason = reason


def latest_ended(prog: Programme, now: datetime, since: datetime | None = None) -> Session | None:
    """The session asking for feedback that ended most recently by `now` (not cancelled),
    ending after `since` if given: what "I want to give feedback" and the stand offer."""
    best: Session | None = None
    for s in prog.sessions:
        if s.cancelled or not s.asks_feedback:
            continue
        end = prog.ends(s)
        if end > now or (since is not None and end <= since):
            continue
        if best is None or end >= prog.ends(best):
            best = s
    return best


def askable(prog: Programme, occurrences: list[Session], now: datetime) -> Session:
    """The occurrence of a title to ask about: the last one that has ended; NotAskable says
    why none can be (the first reason that applies to the most relevant occurrence)."""
    ended = [s for s in occurrences if prog.ends(s) <= now]
    held = [s for s in ended if not s.cancelled]
    if held:
        chosen = held[-1]
        if not chosen.asks_feedback:
            raise NotAskable(chosen, NotAskable.NOT_ASKED)
        return chosen
    live = [s for s in occurrences if not s.cancelled]
    if live:
        raise NotAskable(live[0], NotAskable.NOT_ENDED)
    raise NotAskable(occurrences[-1], NotAskable.CANCELLED)


# --- results for admins ------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    session_id: str
    title: str
    when: datetime | None  # the session's start in the programme's zone; None: not in it
    answers: int
    ratings: dict[int, int] = field(default_factory=dict)  # 1..5 -> count
    effective: dict[str, int] = field(default_factory=dict)  # EFFECTIVE -> count
    asks_feedback: bool = True

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def average(self) -> float | None:
        if not self.rated:
            return None
        return sum(r * n for r, n in self.ratings.items()) / self.rated


def results(
    sessions: Iterable[Session],
    answers: Iterable[Answer],
    list_empty: Callable[[Session], bool] = lambda s: True,
) -> list[Result]:
    """Per session, in programme order. A session asking for feedback with no answers is
    listed when `list_empty` says so (it has ended); answers for sessions no longer in the
    programme come last, under their id."""
    by_session: dict[str, list[Answer]] = {}
    for a in answers:
        by_session.setdefault(a.session_id, []).append(a)
    out: list[Result] = []
    known = {s.id: s for s in sessions}
    for s in sorted(known.values(), key=lambda s: (s.date, s.start, s.title)):
        given = by_session.pop(s.id, [])
        if not given and (not s.asks_feedback or s.cancelled or not list_empty(s)):
            continue
        out.append(_result(s.id, s.title, datetime.combine(s.date, s.start), given, s))
    for session_id, given in sorted(by_session.items()):
        out.append(_result(session_id, session_id, None, given, None))
    return out


def _result(
    session_id: str, title: str, when: datetime | None, given: list[Answer], s: Session | None
) -> Result:
    ratings = {r: 0 for r in RATINGS}
    effective = dict.fromkeys(EFFECTIVE, 0)
    for a in given:
        if a.rating is not None:
            ratings[a.rating] += 1
        if a.effective is not None:
            effective[a.effective] += 1
    return Result(
        session_id,
        title,
        when,
        len(given),
        ratings,
        effective,
        asks_feedback=s.asks_feedback if s is not None else True,
    )


def local_time(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


# --- wiring ------------------------------------------------------------------------------


def open_store(settings: Settings) -> FeedbackStore:
    if settings.store == "dynamodb":
        from skill.feedback.dynamo import dynamodb_feedback_store

        return dynamodb_feedback_store(settings)
    from skill.feedback.sqlite import SqliteFeedbackStore

    return SqliteFeedbackStore(settings.data_dir / "feedback.sqlite3")


def open_feedback(settings: Settings, clock: Callable[[], datetime]) -> Feedback:
    from skill.feedback.secret import load_secret

    return Feedback(open_store(settings), lambda: load_secret(settings), clock)
