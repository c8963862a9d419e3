"""A simulated Alexa session: utterance in, the real skill's reply out, state carried over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from skill.alexa.envelope import parse
from skill.model import MODEL_DIR, Entity, InteractionModel, load
from skill.model.builtins import split_invocation
from skill.simulator import envelopes
from skill.simulator.matcher import Match, Matcher, SlotValue, normalise
from skill.speech import plain_text

FALLBACK = "AMAZON.FallbackIntent"
# Alexa's own words when a skill sends Connections.SendRequest "AskFor" (Alexa docs, "Set Up
# Voice Permissions for Reminders", standard prompt AskForConsentReminders).
ASK_FOR_CONSENT = (
    "Do you give {skill} permission to update your reminders? You can say I approve or no."
)
APPROVE = {"i approve", "approve", "yes", "yes please", "i do", "ok", "okay", "sure"}
REFUSE = {"no", "no thanks", "no thank you", "i do not approve", "do not", "nope"}


@dataclass
class Exchange:
    """One turn: what was heard, what was sent, what came back."""

    utterance: str
    request: dict[str, Any]
    response: dict[str, Any]
    match: Match | None = None
    alexa_says: str = ""  # what Alexa itself asks next (a permission request)

    @property
    def speech(self) -> str:
        speech = (self.response.get("response") or {}).get("outputSpeech") or {}
        return plain_text(speech.get("ssml") or speech.get("text") or "")

    @property
    def ends_session(self) -> bool:
        body = self.response.get("response") or {}
        end = body.get("shouldEndSession")
        return bool(end) if end is not None else not body.get("reprompt")

    @property
    def intent(self) -> str:
        request = self.request["request"]
        return request.get("intent", {}).get("name") or request["type"]


def _authority(skill_id: str, slot_type: str, dynamic: bool = False) -> str:
    middle = "dynamic." if dynamic else ""
    return f"amzn1.er-authority.echo-sdk.{middle}{skill_id}.{slot_type}"


def slot_json(value: SlotValue, skill_id: str, dynamic_types: set[str]) -> dict[str, Any]:
    """A filled slot as Alexa sends it: dynamic authority first (when the session has
    dynamic values of this type), then the static one; built-in types carry no resolutions."""
    if not value.custom:
        return envelopes.slot_with(value.name, value.value)
    resolutions = []
    if value.type in dynamic_types:
        resolutions.append(
            envelopes.authority_result(
                _authority(skill_id, value.type, dynamic=True),
                [{"id": e.id, "name": e.name} for e in value.dynamic],
            )
        )
    resolutions.append(
        envelopes.authority_result(
            _authority(skill_id, value.type),
            [{"id": e.id, "name": e.name} for e in value.static],
        )
    )
    return envelopes.slot_with(value.name, value.said, resolutions)


class Simulator:
    """A person talking to one Echo: `say` one thing at a time; the session carries on
    while the skill keeps it open."""

    def __init__(
        self,
        skill,
        clock: Callable[[], datetime],
        zone: str = "Europe/London",
        locale: str = "en-GB",
        model: InteractionModel | None = None,
        skill_id: str | None = None,
        user_id: str = envelopes.USER_ID,
        api_endpoint: str = "https://api.eu.amazonalexa.com",
        api_access_token: str | None = None,
        consent_token: str | None = None,
    ) -> None:
        self.skill = skill
        self.clock = clock
        self.zone = ZoneInfo(zone)
        self.locale = locale
        self.model = model or load(locale, MODEL_DIR)
        self.skill_id = skill_id or envelopes.SKILL_ID
        self.user_id = user_id
        self.attributes: dict[str, Any] = {}
        self.in_session = False
        self.dynamic: dict[str, tuple[Entity, ...]] = {}
        self._matcher = Matcher(self.model)
        self._sessions = 0
        # context.System as Alexa fills it: where the skill calls back, with what token, and
        # (once the person has granted a permission) user.permissions.consentToken.
        self.api_endpoint = api_endpoint
        self.api_access_token = api_access_token
        self.consent_token = consent_token
        self.asking_permission: str | None = None  # the AskFor token Alexa is asking about

    @classmethod
    def for_settings(cls, settings, clock=None, **kw) -> Simulator:
        """The real thing: the services and skill `voice-demo serve` would build."""
        from skill.alexa.builder import build_skill
        from skill.services import build_services

        services = build_services(settings, clock) if clock else build_services(settings)
        kw.setdefault("skill_id", settings.skill_id)
        return cls(build_skill(services), services.clock, settings.timezone, **kw)

    # --- one turn -------------------------------------------------------------------------

    def say(self, utterance: str) -> Exchange:
        """What Alexa would send for these words, sent; the reply read back."""
        text = normalise(utterance)
        if self.asking_permission is not None:
            return self._permission_answer(utterance, text)
        parsed = split_invocation(text, normalise(self.model.invocation_name))
        if not text or (parsed and parsed[0] == "launch"):
            return self._send(utterance, envelopes.LAUNCH, None)
        requests = parsed[1] if parsed else [text]
        matches = [m for m in (self._matcher.match(r, self._today()) for r in requests) if m]
        match = max(matches, key=lambda m: m.score, default=None)
        return self._send(utterance, self._intent_request(match), match)

    def _permission_answer(self, utterance: str, text: str) -> Exchange:
        """Play Alexa's part of a voice permission: the person's words become a
        Connections.Response; approving adds the consent token to later requests."""
        token, self.asking_permission = self.asking_permission or "", None
        status = "ACCEPTED" if text in APPROVE else "DENIED" if text in REFUSE else "NOT_ANSWERED"
        if status == "ACCEPTED" and self.consent_token is None:
            self.consent_token = "simulator-consent-token"
        return self._send(utterance, envelopes.connections_response(status, token), None)

    def end(self, reason: str = "USER_INITIATED") -> Exchange | None:
        """Close an open session the way Alexa does when the person walks away."""
        if not self.in_session:
            return None
        return self._send("", envelopes.session_ended_request(reason), None)

    # --- plumbing -------------------------------------------------------------------------

    def _today(self):
        return self.clock().astimezone(self.zone).date()

    def _intent_request(self, match: Match | None) -> dict[str, Any]:
        name = match.intent if match else FALLBACK
        declared = self.model.intents[name].slots if name in self.model.intents else {}
        filled = match.slots if match else {}
        slots = {
            slot: slot_json(filled[slot], self.skill_id, set(self.dynamic))
            if slot in filled
            else envelopes.slot_with(slot, None)
            for slot in declared
        }
        return envelopes.intent_request(name, slots)

    def _send(self, utterance: str, request: dict[str, Any], match: Match | None) -> Exchange:
        new = not self.in_session
        if new:
            self.attributes = {}
            if self.dynamic:  # dynamic entities last only as long as their session
                self.dynamic = {}
                self._matcher = Matcher(self.model)
            self._sessions += 1
        body = envelopes.envelope(
            request,
            attributes=self.attributes,
            new=new,
            user_id=self.user_id,
            skill_id=self.skill_id,
            timestamp=envelopes.iso_timestamp(self.clock()),
            session_id=f"{envelopes.SESSION_ID}.{self._sessions}",
            locale=self.locale,
            api_endpoint=self.api_endpoint,
            api_access_token=self.api_access_token,
            consent_token=self.consent_token,
        )
        response = self.skill.serializer.serialize(self.skill.invoke(parse(body), None))
        exchange = Exchange(utterance, body, response, match)
        self.attributes = response.get("sessionAttributes") or {}
        self.in_session = request["type"] != "SessionEndedRequest" and not exchange.ends_session
        for directive in (response.get("response") or {}).get("directives") or []:
            if (
                directive.get("type") == "Connections.SendRequest"
                and directive.get("name") == "AskFor"
            ):
                self.asking_permission = str(directive.get("token") or "")
                self.in_session = True  # Alexa asks, and the session carries on
                exchange.alexa_says = ASK_FOR_CONSENT.format(skill=self.model.invocation_name)
        self._learn_entities(response)
        return exchange

    def _learn_entities(self, response: dict[str, Any]) -> None:
        """Dialog.UpdateDynamicEntities in a reply changes what the next turn resolves."""
        for directive in (response.get("response") or {}).get("directives") or []:
            if directive.get("type") != "Dialog.UpdateDynamicEntities":
                continue
            if directive.get("updateBehavior") == "CLEAR":
                self.dynamic = {}
            else:
                self.dynamic = {
                    t["name"]: tuple(Entity.from_json(v) for v in t.get("values") or [])
                    for t in directive.get("types") or []
                }
            self._matcher = Matcher(self.model, self.dynamic)
