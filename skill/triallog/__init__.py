"""The occupational therapists' trial log: did voice control work for this person, day by day?

Each answered request becomes one `Entry`: when, which intent, which device (a registry id),
and the outcome. Never audio, never what was said, and never the Alexa user id itself: users
are keyed by an HMAC of their id (see `hashing`), so the log can't be joined back to anyone
by hashing known ids. Nothing here imports Flask or the Alexa SDK.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from skill.triallog.outcome import Outcome
from skill.triallog.wording import OUTCOME_WORDS

if TYPE_CHECKING:
    from skill.settings import Settings

log = logging.getLogger(__name__)

#: Outcome values, in the order reports show them.
OUTCOMES = tuple(Outcome)
OUTCOME_LABELS = {o.value: OUTCOME_WORDS[o] for o in Outcome}
#: A per-user state flag; False withdraws one person from an install that logs.
CONSENT_KEY = "trial_consent"
# Only identifiers reach the log: anything else (a stray client's intent name, a spoken
# value passed as a device by mistake) is replaced rather than stored.
_INTENT = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,79}")
_DEVICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
PURGE_EVERY = timedelta(hours=6)


@dataclass(frozen=True)
class Entry:
    at: datetime  # UTC
    day: str  # YYYY-MM-DD in the install's time zone, for per-day reports
    user: str  # keyed hash of the Alexa user id
    intent: str
    device: str | None
    outcome: str
    key: str = ""  # store-unique suffix (DynamoDB sort key); empty until stored
    home: str = ""  # the home whose speaker was asked (skill/homes), "" before homes


class TrialStore(Protocol):
    def add(self, entry: Entry) -> None: ...

    def entries(
        self,
        start: date | None = None,
        end: date | None = None,
        user: str | None = None,
        home: str | None = None,
    ) -> list[Entry]: ...

    def delete_user(self, user: str) -> int: ...

    def purge(self, before: datetime) -> int: ...


def clean_intent(name: str | None) -> str:
    return name if name and _INTENT.fullmatch(name) else "Other"


def clean_device(device: str | None) -> str | None:
    if device is None:
        return None
    return device if _DEVICE.fullmatch(device) else "other"


def new_key() -> str:
    return secrets.token_hex(4)


class TrialLog:
    """The recorder `render()` calls after every spoken answer (only wired with consent on)."""

    def __init__(
        self,
        store: TrialStore,
        hash_user: Callable[[str], str],
        *,
        timezone: str,
        retention_days: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.hash_user = hash_user
        self.zone = ZoneInfo(timezone)
        self.retention = timedelta(days=max(1, retention_days))
        self.clock = clock
        self._last_purge: datetime | None = None
        self._lock = threading.Lock()

    def record(
        self,
        *,
        user_id: str,
        asked: str | None,
        device: str | None,
        outcome: str,
        consented: bool,
        home: str = "",
        opted_in: bool = False,
    ) -> None:
        """One answered request; nothing at all for a person who withdrew consent.

        `opted_in`: they said "start recording me", which wins over an OT having deleted
        them from the log (after which nothing more is recorded for them otherwise).
        """
        if not consented:
            return
        user = self.hash_user(user_id)
        withdrawn = getattr(self.store, "withdrawn", None)
        if not opted_in and withdrawn is not None and withdrawn(user):
            return
        now = self.clock().astimezone(UTC)
        self.store.add(
            Entry(
                at=now,
                day=now.astimezone(self.zone).date().isoformat(),
                user=user,
                intent=clean_intent(asked),
                device=clean_device(device),
                outcome=Outcome(outcome).value if outcome in OUTCOMES else Outcome.INFO.value,
                key=new_key(),
                home=clean_device(home) or "",
            )
        )
        self._purge_if_due(now)

    def _purge_if_due(self, now: datetime) -> None:
        """Retention is enforced on write, at most every few hours per process."""
        if not getattr(self.store, "purge_on_write", True):
            return
        with self._lock:
            if self._last_purge and now - self._last_purge < PURGE_EVERY:
                return
            self._last_purge = now
        removed = self.store.purge(now - self.retention)
        if removed:
            log.info("trial log: purged %d entries older than %s", removed, self.retention)

    def purge(self) -> int:
        return self.store.purge(self.clock().astimezone(UTC) - self.retention)


def open_store(settings: Settings) -> TrialStore:
    """The store for this install, whether or not recording is switched on (admin, CLI)."""
    if settings.store == "dynamodb":
        from skill.triallog.dynamo import dynamodb_trial_store

        return dynamodb_trial_store(settings)
    from skill.triallog.sqlite import SqliteTrialStore

    return SqliteTrialStore(settings.data_dir / "trial_log.sqlite3")


def open_log(settings: Settings, clock: Callable[[], datetime]) -> TrialLog:
    from skill.triallog.hashing import user_hasher

    return TrialLog(
        open_store(settings),
        user_hasher(settings),
        timezone=settings.timezone,
        retention_days=settings.trial_retention_days,
        clock=clock,
    )


class Recorder(Protocol):
    """What answers are recorded into: the trial log, or nothing (`NotRecording`)."""

    def record(
        self,
        *,
        user_id: str,
        asked: str | None,
        device: str | None,
        outcome: str,
        consented: bool,
        home: str = "",
        opted_in: bool = False,
    ) -> None: ...


class NotRecording:
    """The recorder of an install without the OT trial switched on."""

    def record(
        self,
        *,
        user_id: str,
        asked: str | None,
        device: str | None,
        outcome: str,
        consented: bool,
        home: str = "",
        opted_in: bool = False,
    ) -> None:
        return None
