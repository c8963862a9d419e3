"""Reminders on the visitor's own Echo: "remind me about 3D printing", "what reminders have
I got?", "cancel my reminder for 3D printing".

A reminder rings ten minutes before the session starts. Without the reminders permission
the skill asks for it by voice (Connections.SendRequest "AskFor"); Alexa asks the person
and answers with a Connections.Response, whose token says which session they wanted. A
reply says a reminder is set only when the Reminders API answered 201. docs/reminders.md.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from skill import speech
from skill.alexa.turn import FollowUp, Reply, Turn
from skill.intents import words
from skill.intents.programme import add_session_question, lookup_session
from skill.programme.model import Session
from skill.programme.programme import Programme
from skill.reminders import (
    SCOPE,
    ApiFailed,
    Kept,
    Outcome,
    PermissionMissing,
    RemindersApi,
    StoreUnavailable,
    plan,
)
from skill.reminders.service import CHANGED, reminder_body
from skill.triallog.outcome import Outcome as Logged

log = logging.getLogger(__name__)

PAGE = 3
SKILL_NAME = "learning week demo"
MORE_QUESTION = "Would you like to hear more?"
ANYTHING_ELSE_REPROMPT = "You can ask what's on, or ask me to remind you about a session."
HOW_TO_ALLOW = (
    f"To allow them later, open the Alexa app, go to Skills and Games, Your Skills, "
    f"{SKILL_NAME}, Settings, and turn on Reminders. I've put a link to it in the app."
)
# Connections.SendRequest "AskFor", version 2: Alexa docs, "Set Up Voice Permissions for
# Reminders" (developer.amazon.com/docs/alexa/smapi/voice-permissions-for-reminders.html).
ASK_FOR = "AskFor"


# --- phrasing -------------------------------------------------------------------------


def _title(s: Session) -> str:
    return words.spoken(s.title)


def _when(s: Session, today: date) -> str:
    return f"{words.on_day(s.date, today)} {words.at(s.start)}"


def _ring(at: datetime, prog: Programme, today: date) -> str:
    """ "today at ten to two": when the reminder rings, on the programme's clock."""
    local = at.astimezone(prog.zone)
    return f"{words.on_day(local.date(), today)} {words.at(local.time())}"


def wording(s: Session) -> tuple[str, str]:
    """What the Echo says when it rings: plain text, and the same as escaped SSML."""
    text = f"{_title(s)} starts in ten minutes"
    if s.room:
        text += f", {words.room(s.room)}"
    text += "."
    return text, speech.speak(text)


def _body(turn: Turn, prog: Programme, s: Session, at: datetime) -> dict[str, Any]:
    text, ssml = wording(s)
    return reminder_body(prog, at, turn.now, turn.locale, text, ssml)


# --- asking for the permission ----------------------------------------------------------


def _ask_permission(turn: Turn, s: Session) -> Reply:
    """Hand over to Alexa, which asks "Do you give … permission…?"; the token carries the
    session asked about, so the Connections.Response can finish the job."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    directive = SendRequestDirective(
        name=ASK_FOR,
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=json.dumps({"remind": s.id}),
    )
    return Reply(
        f"To remind you about {_title(s)}, I need your permission to set reminders.",
        directives=[directive],
        handover=True,
        remember=False,
    )


def _no_permission(first: str) -> Reply:
    return Reply(f"{first} {HOW_TO_ALLOW}", consent_card=(SCOPE,), outcome=Logged.INFO)


def _status(payload: Any) -> str:
    """ACCEPTED / DENIED / NOT_ANSWERED from a Connections.Response payload (version 1 puts
    it at the top; Amazon's version 2 example lists it beside the permission scopes)."""
    if not isinstance(payload, dict):
        return "NOT_ANSWERED"
    found = payload.get("status")
    for scope in payload.get("permissionScopes") or []:
        if isinstance(scope, dict) and scope.get("status"):
            found = found or scope["status"]
    return str(found or "NOT_ANSWERED").upper()


def connections_response(turn: Turn) -> Reply:
    """Alexa's answer to our AskFor: set the reminder asked for, or say how to allow it."""
    if turn.request_value("name") != ASK_FOR:
        return Reply("What would you like to do?", reprompt=ANYTHING_ELSE_REPROMPT)
    try:
        asked = json.loads(turn.request_value("token") or "{}")
    except ValueError:
        asked = {}
    session_id = asked.get("remind") if isinstance(asked, dict) else None
    status = _status(turn.request_value("payload"))
    if status != "ACCEPTED":
        return _no_permission("All right, I won't set a reminder.")
    prog = turn.services.programme.current()
    s = prog.by_id(session_id) if isinstance(session_id, str) else None
    if s is None:
        return Reply(
            "Thanks. I couldn't find that session in the programme any more, so I haven't "
            "set a reminder. You can ask me to remind you about another session."
        )
    return _remind(turn, prog, [s], asked_again=True)


# --- setting one ------------------------------------------------------------------------


def remind_me(turn: Turn) -> Reply:
    found = lookup_session(turn)
    if isinstance(found, Reply):
        return found
    prog, runs = found
    return _remind(turn, prog, runs)


def _remind(turn: Turn, prog: Programme, runs: list[Session], asked_again: bool = False) -> Reply:
    service = turn.services.reminders
    now, today = turn.now, turn.now.date()
    chosen = plan(prog, runs, now, service.upcoming(turn.user_id, now))
    s, title = chosen.session, _title(chosen.session)
    if chosen.outcome is Outcome.OVER:
        return Reply(f"{title} has finished, so I can't set a reminder for it.")
    if chosen.outcome is Outcome.CANCELLED:
        return Reply(f"{title} {_when(s, today)} has been cancelled, so I haven't set a reminder.")
    if chosen.outcome is Outcome.RUNNING:
        where = f" {words.room(s.room)}" if s.room else ""
        return Reply(
            f"{title} is on now{where}, {words.until(s.end)}, so it's too late for a reminder."
        )
    if chosen.outcome is Outcome.TOO_SOON:
        return Reply(
            f"{title} starts in less than ten minutes, {words.at(s.start)}, "
            "so there isn't time for a reminder."
        )
    assert chosen.remind_at is not None
    ring = _ring(chosen.remind_at, prog, today)
    if chosen.outcome is Outcome.ALREADY:
        return Reply(f"You already have a reminder for {title}: I'll remind you {ring}.")
    api = service.api(turn.api_endpoint, turn.api_access_token)
    if api is None or turn.consent_token is None:
        if asked_again:  # Alexa said yes but sent no token to use: don't ask in a loop
            return _no_permission("Sorry, Alexa didn't give me permission to set reminders.")
        return _ask_permission(turn, s)
    body = _body(turn, prog, s, chosen.remind_at)
    try:
        service.create(api, turn.user_id, s, chosen.remind_at, body)
    except PermissionMissing:
        if asked_again:
            return _no_permission("Sorry, Alexa still won't let me set reminders.")
        return _ask_permission(turn, s)
    except ApiFailed as exc:
        log.warning("reminder for %s not set: %s", s.id, exc)
        return Reply(
            f"Sorry, I couldn't set a reminder for {title}: Alexa's reminders didn't answer. "
            "Please try again in a moment.",
            outcome=Logged.UNREACHABLE,
        )
    return Reply(
        f"OK. I'll remind you about {title} {ring}, ten minutes before it starts.",
        outcome=Logged.DONE,
    )


# --- listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderPage(FollowUp):
    """ "What reminders have I got?" read three at a time."""

    kind: ClassVar[str] = "reminder_list"
    offset: int = 0


def _mine(turn: Turn) -> list[Kept]:
    """The user's reminders still to ring; those deleted in the Alexa app are dropped when
    the API can say so (if it can't, the skill's own list stands)."""
    service = turn.services.reminders
    kept = service.upcoming(turn.user_id, turn.now)
    api = service.api(turn.api_endpoint, turn.api_access_token)
    if kept and api is not None:
        try:
            active = api.active()
        except ApiFailed as exc:
            log.info("reminder list unchecked: %s", exc)
            return kept
        for k in [k for k in kept if k.reminder_id not in active]:
            service.store.forget(turn.user_id, k.reminder_id)
        kept = [k for k in kept if k.reminder_id in active]
    return kept


def list_reminders(turn: Turn) -> Reply:
    offset = turn.follow_up.offset if isinstance(turn.follow_up, ReminderPage) else 0
    return _list_page(turn, offset if turn.continuing else 0)


def _list_page(turn: Turn, offset: int) -> Reply:
    prog = turn.services.programme.current()
    today = turn.now.date()
    items = []
    for k in _mine(turn):
        s = prog.by_id(k.session_id)
        if s is not None:
            items.append(f"{_title(s)} {_when(s, today)}")
    if not items:
        return Reply(
            "You don't have any reminders from me. You can say, remind me about, and a "
            "session's name."
        )
    page = items[offset : offset + PAGE]
    parts = []
    if offset == 0:
        parts.append(f"You have {words.count(len(items), 'reminder')}, each ten minutes before:")
    parts.append(words.join_plain(page) + ".")
    if offset + PAGE >= len(items):
        return Reply(" ".join(parts))
    parts.append(MORE_QUESTION)
    return Reply(
        " ".join(parts),
        reprompt=MORE_QUESTION,
        follow_up=ReminderPage(oneshot=turn.oneshot, offset=offset + PAGE),
    )


def no_more(turn: Turn) -> Reply:
    return Reply("All right.", reprompt=ANYTHING_ELSE_REPROMPT)


# --- cancelling ---------------------------------------------------------------------------


def cancel_reminder(turn: Turn) -> Reply:
    found = lookup_session(turn)
    if isinstance(found, Reply):
        return found
    _, runs = found
    title = _title(runs[0])
    ids = {s.id for s in runs}
    service = turn.services.reminders
    mine = [k for k in service.upcoming(turn.user_id, turn.now) if k.session_id in ids]
    if not mine:
        return Reply(f"You don't have a reminder for {title} from me.")
    api = service.api(turn.api_endpoint, turn.api_access_token)
    try:
        if api is None:
            raise PermissionMissing("no token")
        for k in mine:
            service.cancel(api, k)
    except PermissionMissing:
        return _no_permission(
            f"I couldn't cancel your reminder for {title}: I don't have permission to change "
            "your reminders any more. You can delete it in the Alexa app."
        )
    except ApiFailed as exc:
        log.warning("reminder for %s not cancelled: %s", title, exc)
        return Reply(
            f"Sorry, I couldn't cancel your reminder for {title}: Alexa's reminders didn't "
            "answer. Please try again in a moment.",
            outcome=Logged.UNREACHABLE,
        )
    return Reply(f"OK, I've cancelled your reminder for {title}.", outcome=Logged.DONE)


# --- keeping them in step with the programme ---------------------------------------------


def _reconcile(turn: Turn, api: RemindersApi) -> None:
    prog = turn.services.programme.current()
    done = turn.services.reminders.reconcile(
        api,
        turn.user_id,
        prog,
        turn.now,
        lambda s, at: _body(turn, prog, s, at),
    )
    if done.changed or done.failed:
        log.info(
            "reminders reconciled: %d moved, %d removed, %d failed",
            len(done.moved),
            len(done.removed),
            done.failed,
        )


def reconcile_before(turn: Turn) -> None:
    """When someone with reminders talks to the skill, first move or delete any the
    programme has changed under (one store read; the API only when something changed)."""
    if turn.request_type not in ("LaunchRequest", "IntentRequest"):
        return
    if turn.consent_token is None or turn.user_id == "anonymous":
        return
    service = turn.services.reminders
    api = service.api(turn.api_endpoint, turn.api_access_token)
    if api is None:
        return
    if not service.out_of_step(turn.user_id, turn.services.programme.current(), turn.now):
        return
    try:
        _reconcile(turn, api)
    except PermissionMissing:
        log.info("reminders not reconciled: permission withdrawn")


def message_received(turn: Turn) -> Reply:
    """Messaging.MessageReceived (sent by the publish paths): reconcile this user's
    reminders with the token Alexa just gave us. Such requests take no speech."""
    message = turn.request_value("message")
    if isinstance(message, dict) and message.get("reason") == CHANGED:
        api = turn.services.reminders.api(turn.api_endpoint, turn.api_access_token)
        if api is not None:
            try:
                _reconcile(turn, api)
            except (PermissionMissing, StoreUnavailable) as exc:
                log.info("reminders not reconciled: %s", exc)
    return Reply("", remember=False, silent=True)


# --- the tables ---------------------------------------------------------------------------


def _store_down(exc: Exception) -> Reply:
    return Reply(
        "Sorry, I can't reach my list of reminders just now. Please try again in a moment.",
        outcome=Logged.UNREACHABLE,
    )


def _conversational(handler: Any) -> Any:
    def answer(turn: Turn) -> Reply:
        return turn.keep_listening(handler(turn), ANYTHING_ELSE_REPROMPT)

    answer.__name__ = answer.__qualname__ = handler.__name__
    answer.__doc__ = handler.__doc__
    return answer


RemindPage = ReminderPage.kind

INTENTS = {
    "RemindMeIntent": _conversational(remind_me),
    "ListRemindersIntent": _conversational(list_reminders),
    "CancelReminderIntent": _conversational(cancel_reminder),
    f"AMAZON.MoreIntent/{RemindPage}": _conversational(list_reminders),
    f"AMAZON.NextIntent/{RemindPage}": _conversational(list_reminders),
    f"AMAZON.YesIntent/{RemindPage}": _conversational(list_reminders),
    f"AMAZON.NoIntent/{RemindPage}": no_more,
    "Connections.Response": _conversational(connections_response),
    "Messaging.MessageReceived": message_received,
}

ERRORS = {StoreUnavailable: _store_down}

BEFORE_TURN = (reconcile_before,)

# "Which session?" then a bare name finishes the reminder, as it does a programme question.
add_session_question("RemindMeIntent", remind_me)
add_session_question("CancelReminderIntent", cancel_reminder)
