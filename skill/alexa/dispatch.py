"""The skill's one request handler, its renderer and its last-resort exception handler.

`Dispatcher` looks up what was asked in the dispatch table merged from the intent
modules (`skill.alexa.builder`); `render` is the only place a `Reply` becomes an SDK
response, so SSML, session state, the speaking rate and the trial log are handled once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler

from skill import speech
from skill.alexa.turn import LAST, PENDING, Handler, Reply, Turn

if TYPE_CHECKING:
    from skill.services import Services

log = logging.getLogger(__name__)

ErrorTable = dict[type[Exception], Callable[[Exception], Reply]]
SORRY = "Sorry, something went wrong on my side. Please try again."
WHAT_NEXT = "What would you like to do?"


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
        errors: ErrorTable,
        hooks: tuple[Callable[[Turn], None], ...] = (),
    ) -> None:
        self.services = services
        self.table = table
        self.errors = errors
        # Run before every handler (intent modules' BEFORE_TURN); a failing hook is logged,
        # never costs the answer.
        self.hooks = hooks

    def find(self, turn: Turn) -> Handler:
        key = dispatch_key(turn)
        if turn.follow_up is not None:
            follow_up = self.table.get(f"{key}/{turn.follow_up.kind}")
            if follow_up is not None:
                turn.continuing = True
                return follow_up
        if key in self.table:
            return self.table[key]
        if turn.request_type == "IntentRequest":
            # An intent this build doesn't know (an older model, a stray client): steer back.
            return self.table["AMAZON.FallbackIntent"]
        return _acknowledge

    def error_reply(self, exc: Exception) -> Reply | None:
        """The reply for a domain error: the nearest class in its hierarchy that has one."""
        for kind in type(exc).__mro__:
            answer = self.errors.get(kind)
            if answer is not None:
                return answer(exc)
        return None

    def can_handle(self, handler_input: Any) -> bool:
        return True

    def handle(self, handler_input: Any) -> Any:
        turn = Turn(handler_input, self.services)
        for hook in self.hooks:
            try:
                hook(turn)
            except Exception:  # noqa: BLE001 - housekeeping must not cost the answer
                log.exception("turn hook %s failed", getattr(hook, "__name__", hook))
        handler = self.find(turn)
        try:
            reply = handler(turn)
        except Exception as exc:
            answer = self.error_reply(exc)
            if answer is None:
                raise
            reply = answer
        return render(handler_input, turn, reply)


def _acknowledge(turn: Turn) -> Reply:
    """Requests that expect no speech (System.ExceptionEncountered, events): an empty answer."""
    log.info("no handler for %s; answering with an empty response", turn.request_type)
    return Reply("", remember=False, silent=True)


def render(handler_input: Any, turn: Turn, reply: Reply) -> Any:
    """Turn a Reply into the SDK response: SSML, session state for follow-ups, the trial log."""
    builder = handler_input.response_builder
    if reply.silent:
        return builder.response
    rate = turn.preferences.get("rate")
    builder.speak(speech.speak(reply.speech, rate))
    end = reply.end_session if reply.end_session is not None else reply.reprompt is None
    if reply.handover:
        pass  # Alexa asks next (Connections.SendRequest): no reprompt, no shouldEndSession
    elif reply.reprompt is not None and not end:
        builder.ask(speech.speak(reply.reprompt, rate))
    if not reply.handover:
        builder.set_should_end_session(end)
    for directive in reply.directives:
        builder.add_directive(directive)
    if reply.card:
        from ask_sdk_model.ui import SimpleCard

        builder.set_card(SimpleCard(title=reply.card[0], content=reply.card[1]))
    if reply.consent_card:
        from ask_sdk_model.ui import AskForPermissionsConsentCard

        builder.set_card(AskForPermissionsConsentCard(permissions=list(reply.consent_card)))
    pending = reply.follow_up.to_session() if reply.follow_up is not None else None
    if pending is not None:
        turn.session[PENDING] = pending
    else:
        turn.session.pop(PENDING, None)
    if reply.remember:
        turn.session[LAST] = {
            "speech": str(speech.escape(reply.speech)),
            "reprompt": None if reply.reprompt is None else str(speech.escape(reply.reprompt)),
            "pending": pending,
        }
    try:
        turn.services.trial_log.record(
            user_id=turn.user_id,
            asked=dispatch_key(turn),
            device=reply.device,
            outcome=reply.outcome,
            consented=turn.preferences.get("trial_consent") is not False,
            home=turn.home_id or "",
            opted_in=turn.preferences.get("trial_consent") is True,
        )
    except Exception:  # noqa: BLE001 - the log must never cost the person an answer
        log.exception("trial log write failed")
    return builder.response


class CatchAll(AbstractExceptionHandler):
    """Anything unexpected: log it with the request id, apologise, keep the session usable."""

    def can_handle(self, handler_input: Any, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: Any, exception: Exception) -> Any:
        request = handler_input.request_envelope.request
        log.error(
            "unhandled error for %s %s",
            getattr(request, "object_type", "?"),
            getattr(request, "request_id", "?"),
            exc_info=exception,
        )
        return (
            handler_input.response_builder.speak(speech.speak(SORRY))
            .ask(speech.speak(WHAT_NEXT))
            .set_should_end_session(False)
            .response
        )
