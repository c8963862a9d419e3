"""The seam between Alexa and the domain: a `Turn` in, a `Reply` out.

Intent modules expose `INTENTS`, a dispatch table from what was asked (an intent name,
or a request type such as "LaunchRequest") to a function `Turn -> Reply`. A key of the
form "AMAZON.YesIntent/confirm_power" only applies while that kind of follow-up is
pending, so "yes" means whatever the last answer asked. Modules may also expose
`ERRORS`: domain exception types mapped to the one reply each deserves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from skill import speech
from skill.speech import SSML

if TYPE_CHECKING:
    from skill.services import Services

log = logging.getLogger(__name__)

PENDING = "pending"
LAST = "last"


@dataclass
class Reply:
    """What the skill says back. A reprompt keeps the session open; no reprompt ends it."""

    speech: str | SSML
    reprompt: str | SSML | None = None
    end_session: bool | None = None
    pending: dict[str, Any] | None = None  # the follow-up "yes"/"more" will continue
    directives: list[Any] = field(default_factory=list)
    card: tuple[str, str] | None = None
    # For the OT trial log: done | not_understood | unreachable | refused | info
    outcome: str = "info"
    device: str | None = None
    remember: bool = True  # store as the answer "repeat" replays
    silent: bool = False  # no speech at all (SessionEndedRequest and other events)


Handler = Callable[["Turn"], Reply]

ANYTHING_ELSE = "Anything else?"


def keep_listening(reply: Reply, conversational: bool, reprompt: str | SSML) -> Reply:
    """In a conversation (the skill was opened) an answer asks for more and waits; a
    one-shot request ("Alexa, ask … when is …") just ends, as Alexa users expect."""
    if conversational and reply.reprompt is None and reply.end_session is None:
        reply.speech = speech.sentences(reply.speech, ANYTHING_ELSE)
        reply.reprompt = reprompt
    return reply


class Turn:
    """One request, with the helpers intents need and nothing Alexa-specific leaking further."""

    def __init__(self, handler_input, services: Services) -> None:
        self.handler_input = handler_input
        self.services = services
        envelope = handler_input.request_envelope
        self.request = envelope.request
        self.request_type: str = getattr(self.request, "object_type", None) or ""
        intent = getattr(self.request, "intent", None)
        self.intent_name: str | None = getattr(intent, "name", None)
        self.slots: dict[str, Any] = dict(getattr(intent, "slots", None) or {})
        self.session: dict[str, Any] = handler_input.attributes_manager.session_attributes
        system = envelope.context.system if envelope.context else None
        self.user_id: str = getattr(getattr(system, "user", None), "user_id", None) or "anonymous"
        self.device_id: str | None = getattr(getattr(system, "device", None), "device_id", None)
        self.locale: str = getattr(self.request, "locale", None) or "en-GB"
        self.new_session: bool = (
            bool(getattr(envelope.session, "new", True)) if envelope.session else True
        )

    # --- slots -----------------------------------------------------------------------

    def slot(self, name: str) -> str | None:
        """The words the person said for a slot, or None."""
        slot = self.slots.get(name)
        value = getattr(slot, "value", None)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def resolved_id(self, name: str) -> str | None:
        """The custom type's id when entity resolution matched (static or dynamic)."""
        slot = self.slots.get(name)
        resolutions = getattr(slot, "resolutions", None)
        for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
            code = getattr(getattr(getattr(authority, "status", None), "code", None), "value", None)
            if code == "ER_SUCCESS_MATCH" and authority.values:
                return authority.values[0].value.id
        return None

    # --- context -----------------------------------------------------------------------

    @property
    def pending(self) -> dict[str, Any] | None:
        value = self.session.get(PENDING)
        return value if isinstance(value, dict) else None

    @cached_property
    def zone(self) -> ZoneInfo:
        """The device's time zone (Alexa Settings API), else the programme's."""
        fallback = ZoneInfo(self.services.settings.timezone)
        return self.services.device_zones.lookup(self.handler_input, fallback)

    @cached_property
    def now(self) -> datetime:
        """ "Now", computed once per request in the listener's time zone."""
        return self.services.clock().astimezone(self.zone)

    @cached_property
    def preferences(self) -> dict[str, Any]:
        return self.services.state.get(self.user_id)

    @property
    def supports_apl(self) -> bool:
        envelope = self.handler_input.request_envelope
        system = envelope.context.system if envelope.context else None
        interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
        return getattr(interfaces, "alexa_presentation_apl", None) is not None

    @property
    def viewport(self) -> Any:
        envelope = self.handler_input.request_envelope
        return getattr(envelope.context, "viewport", None) if envelope.context else None


def dispatch_key(turn: Turn) -> str:
    return (
        turn.intent_name
        if turn.request_type == "IntentRequest" and turn.intent_name
        else turn.request_type
    )


class Dispatcher(AbstractRequestHandler):
    """The one request handler: looks up what was asked in the merged dispatch table."""

    def __init__(
        self,
        services: Services,
        table: dict[str, Handler],
        errors: dict[type[Exception], Callable[[Exception], Reply]],
    ) -> None:
        self.services = services
        self.table = table
        self.errors = errors

    def _find(self, turn: Turn) -> Handler:
        key = dispatch_key(turn)
        pending = turn.pending
        follow_up = self.table.get(f"{key}/{pending.get('kind')}") if pending else None
        if follow_up is not None:
            return follow_up
        if key in self.table:
            return self.table[key]
        if turn.request_type == "IntentRequest":
            # An intent this build doesn't know (an older model, a stray client): steer back.
            return self.table["AMAZON.FallbackIntent"]
        return _acknowledge

    def can_handle(self, handler_input) -> bool:
        return True

    def handle(self, handler_input):
        turn = Turn(handler_input, self.services)
        handler = self._find(turn)
        try:
            reply = handler(turn)
        except tuple(self.errors) as exc:
            reply = next(fn for kind, fn in self.errors.items() if isinstance(exc, kind))(exc)
        return render(turn, reply)


def _acknowledge(turn: Turn) -> Reply:
    """Requests that expect no speech (System.ExceptionEncountered, events): an empty answer."""
    log.info("no handler for %s; answering with an empty response", turn.request_type)
    return Reply("", remember=False, silent=True)


def render(turn: Turn, reply: Reply):
    """Turn a Reply into the SDK response: SSML, session state for follow-ups, the trial log."""
    builder = turn.handler_input.response_builder
    if reply.silent:
        return builder.response
    rate = turn.preferences.get("rate")
    builder.speak(speech.speak(reply.speech, rate))
    end = reply.end_session if reply.end_session is not None else reply.reprompt is None
    if reply.reprompt is not None and not end:
        builder.ask(speech.speak(reply.reprompt, rate))
    builder.set_should_end_session(end)
    for directive in reply.directives:
        builder.add_directive(directive)
    if reply.card:
        from ask_sdk_model.ui import SimpleCard

        builder.set_card(SimpleCard(title=reply.card[0], content=reply.card[1]))
    if reply.pending is not None:
        turn.session[PENDING] = reply.pending
    else:
        turn.session.pop(PENDING, None)
    if reply.remember:
        turn.session[LAST] = {
            "speech": str(speech.escape(reply.speech)),
            "reprompt": None if reply.reprompt is None else str(speech.escape(reply.reprompt)),
            "pending": reply.pending,
        }
    recorder = turn.services.trial_log
    if recorder is not None:
        try:
            recorder.record(turn, reply)
        except Exception:  # noqa: BLE001 - the log must never cost the person an answer
            log.exception("trial log write failed")
    return builder.response


def utc_now() -> datetime:
    return datetime.now(UTC)
