"""Setting, listing, cancelling and reconciling reminders, without any Alexa SDK.

The intents hand in the API client for this request (built from its apiEndpoint and
apiAccessToken), the live programme and "now"; this module decides what to do and keeps the
store in step with what Amazon confirmed, and only with that.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import requests

from skill.programme.model import Session
from skill.programme.programme import Programme
from skill.reminders.api import TIMEOUT, ApiFailed, PermissionMissing, ReminderGone, RemindersApi
from skill.reminders.messaging import SkillMessenger
from skill.reminders.store import Kept, MemoryReminderStore, ReminderStore

log = logging.getLogger(__name__)

LEAD = timedelta(minutes=10)
SCOPE = "alexa::alerts:reminders:skill:readwrite"
# The Messaging.MessageReceived payload the publish paths send.
CHANGED = "programme_changed"


class Outcome(Enum):
    SET = "set"  # a reminder can be set for `session` at `remind_at`
    ALREADY = "already"  # the user has one for it
    OVER = "over"  # every run has ended
    CANCELLED = "cancelled"  # the runs still to come are cancelled
    RUNNING = "running"  # on now, and no later run
    TOO_SOON = "too_soon"  # starts within the lead time


@dataclass(frozen=True)
class Plan:
    outcome: Outcome
    session: Session
    remind_at: datetime | None = None
    kept: Kept | None = None


def plan(prog: Programme, runs: list[Session], now: datetime, kept: Iterable[Kept]) -> Plan:
    """Which run of a session to remind about, or why none can be."""
    mine = {k.session_id: k for k in kept}
    upcoming = prog.still_to_come(runs, now)
    scheduled = [s for s in upcoming if not s.cancelled]
    for s in scheduled:
        if s.id in mine:
            return Plan(Outcome.ALREADY, s, mine[s.id].remind_at, mine[s.id])
        at = prog.starts(s) - LEAD
        if at > now:
            return Plan(Outcome.SET, s, at.astimezone(UTC))
    if scheduled:
        running = [s for s in scheduled if prog.starts(s) <= now]
        return Plan(Outcome.RUNNING if running else Outcome.TOO_SOON, scheduled[0])
    if upcoming:
        return Plan(Outcome.CANCELLED, upcoming[0])
    return Plan(Outcome.OVER, runs[-1])


def reminder_body(
    prog: Programme, remind_at: datetime, now: datetime, locale: str, text: str, ssml: str
) -> dict[str, Any]:
    """The Reminders API's create/update body: SCHEDULED_ABSOLUTE in the programme's zone.

    Shape from Alexa docs, "Reminders REST API Reference" (Create reminder, request body).
    """
    local = remind_at.astimezone(prog.zone)
    return {
        "requestTime": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000"),
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": local.strftime("%Y-%m-%dT%H:%M:%S.000"),
            "timeZoneId": prog.zone_name,
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": locale, "text": text, "ssml": ssml}]}},
        "pushNotification": {"status": "ENABLED"},
    }


#: What the intents supply to word a reminder: (session, remind_at) -> (text, ssml).
Wording = Callable[[Session, datetime], tuple[str, str]]


@dataclass
class Reconciled:
    moved: list[Session] = field(default_factory=list)
    removed: list[Session | None] = field(default_factory=list)  # None: no longer in the programme
    failed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.removed)


class Reminders:
    """The store of reminders made, the API client factory, and the publish-time messenger."""

    def __init__(
        self,
        store: ReminderStore | None = None,
        messenger: SkillMessenger | None = None,
        *,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        self.store: ReminderStore = store or MemoryReminderStore()
        self.messenger = messenger
        self.timeout = timeout
        self._http = requests.Session()

    def api(self, endpoint: str | None, token: str | None) -> RemindersApi | None:
        """A client for this request's user; None when the request carries no token."""
        if not endpoint or not token:
            return None
        try:
            return RemindersApi(endpoint, token, http=self._http, timeout=self.timeout)
        except ApiFailed:
            log.warning("reminders endpoint %r refused (not HTTPS)", endpoint)
            return None

    def kept(self, user_id: str) -> list[Kept]:
        return self.store.for_user(user_id)

    def create(
        self,
        api: RemindersApi,
        user_id: str,
        session: Session,
        remind_at: datetime,
        body: dict[str, Any],
    ) -> Kept:
        """POST, then remember it; raises (and remembers nothing) unless Amazon answered 201."""
        reminder_id = api.create(body)
        kept = Kept(user_id, reminder_id, session.id, remind_at.astimezone(UTC))
        try:
            self.store.put(kept)
        except Exception:  # noqa: BLE001 - the reminder is set; only moving it later is lost
            log.exception("reminder %s set but not stored", reminder_id)
        return kept

    def cancel(self, api: RemindersApi, kept: Kept) -> None:
        """DELETE, then forget; one already gone (deleted in the app) is forgotten too."""
        with contextlib.suppress(ReminderGone):
            api.delete(kept.reminder_id)
        self.store.forget(kept.user_id, kept.reminder_id)

    def upcoming(self, user_id: str, now: datetime) -> list[Kept]:
        """The user's reminders that haven't rung; those that have are forgotten here."""
        found = []
        for k in self.store.for_user(user_id):
            if k.remind_at <= now:
                self.store.forget(user_id, k.reminder_id)
            else:
                found.append(k)
        return found

    def out_of_step(self, user_id: str, prog: Programme, now: datetime) -> bool:
        """Does any of the user's reminders disagree with the live programme? (No API call.)"""
        for k in self.store.for_user(user_id):
            if k.remind_at <= now:
                return True
            s = prog.by_id(k.session_id)
            if s is None or s.cancelled or prog.starts(s) - LEAD != k.remind_at:
                return True
        return False

    def reconcile(
        self,
        api: RemindersApi,
        user_id: str,
        prog: Programme,
        now: datetime,
        body_for: Callable[[Session, datetime], dict[str, Any]],
    ) -> Reconciled:
        """Move (PUT) or delete the user's reminders to match the live programme.

        Raises PermissionMissing when the user has taken the permission back; any other
        failure leaves that reminder as it was, to be tried again next time.
        """
        done = Reconciled()
        for k in self.store.for_user(user_id):
            if k.remind_at <= now:  # it has rung (or is ringing): nothing left to change
                self.store.forget(user_id, k.reminder_id)
                continue
            s = prog.by_id(k.session_id)
            new_at = (prog.starts(s) - LEAD).astimezone(UTC) if s is not None else None
            if s is not None and not s.cancelled and new_at == k.remind_at:
                continue
            try:
                if s is None or s.cancelled or new_at is None or new_at <= now:
                    self.cancel(api, k)
                    done.removed.append(s)
                else:
                    try:
                        api.update(k.reminder_id, body_for(s, new_at))
                    except ReminderGone:  # deleted in the Alexa app meanwhile
                        self.store.forget(user_id, k.reminder_id)
                        continue
                    self.store.put(Kept(user_id, k.reminder_id, s.id, new_at))
                    done.moved.append(s)
            except PermissionMissing:
                raise
            except ApiFailed as exc:
                done.failed += 1
                log.warning("reminder %s not reconciled: %s", k.reminder_id, exc)
        return done

    def notify_changed(self, version: int | None) -> tuple[int, int] | None:
        """After a publish or rollback: a skill message to every user with reminders, so each
        is reconciled now rather than when they next talk to the skill. None: not configured."""
        if self.messenger is None:
            return None
        users = self.store.users()
        if not users:
            return (0, 0)
        return self.messenger.send_all(users, {"reason": CHANGED, "version": version})
