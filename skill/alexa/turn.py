"""The seam between Alexa and the intents: a `Turn` in, a `Reply` out.

Intent modules expose `INTENTS`, a dispatch table from what was asked (an intent name,
or a request type such as "LaunchRequest") to a function `Turn -> Reply`. A key of the
form "AMAZON.YesIntent/confirm_power" only applies while that kind of `FollowUp` is
pending, so "yes" means whatever the last answer asked. Modules may also expose
`ERRORS`: domain exception types mapped to the one reply each deserves (looked up along
the exception's class hierarchy, most specific first).

`Turn` is all an intent sees of the request: slots, ids, the session, "now" in the
listener's zone, whether this is a conversation, and what the screen is. The SDK's
objects stay inside `skill.alexa`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from skill import speech
from skill.homes import HomeNotFound
from skill.speech import SSML
from skill.triallog.outcome import Outcome

if TYPE_CHECKING:
    from skill.devices import DeviceService
    from skill.services import Services

log = logging.getLogger(__name__)

PENDING = "pending"
LAST = "last"
ANYTHING_ELSE = "Anything else?"


# The field types a follow-up may hold: what survives a round trip through session JSON.
_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "bool": bool,
    "int": int,
    "str": str,
    "str | None": (str, type(None)),
    "dict[str, Any]": dict,
    "dict[str, Any] | None": (dict, type(None)),
}


@dataclass(frozen=True)
class FollowUp:
    """What the next "yes", "no" or "more" continues, kept in the session between turns.

    Subclasses name their `kind` (the part after "/" in a dispatch key) and add the
    fields they need; `oneshot` remembers how the exchange began, so a one-shot request
    still ends after its last step.
    """

    kind: ClassVar[str] = ""
    _kinds: ClassVar[dict[str, type[FollowUp]]] = {}

    oneshot: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            FollowUp._kinds[cls.kind] = cls

    def __post_init__(self) -> None:
        for f in fields(self):
            expected = _FIELD_TYPES.get(str(f.type))
            if expected is None:
                raise TypeError(f"{type(self).__name__}.{f.name}: unsupported type {f.type}")
            value = getattr(self, f.name)
            # bool is an int: a stored True must not pass for a page offset.
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise TypeError(f"{type(self).__name__}.{f.name} = {value!r}")

    def to_session(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}

    @staticmethod
    def from_session(data: object) -> FollowUp | None:
        """The follow-up stored in the session, or None for anything unknown or malformed
        (session attributes come back from the client and are not trusted)."""
        if not isinstance(data, dict):
            return None
        cls = FollowUp._kinds.get(data.get("kind"))  # type: ignore[arg-type]
        if cls is None:
            return None
        try:
            return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
        except (TypeError, ValueError):
            return None


@dataclass
class Reply:
    """What the skill says back. A reprompt keeps the session open; no reprompt ends it."""

    speech: str | SSML
    reprompt: str | SSML | None = None
    end_session: bool | None = None
    follow_up: FollowUp | None = None  # what "yes"/"more" will continue
    directives: list[Any] = field(default_factory=list)
    card: tuple[str, str] | None = None
    outcome: Outcome = Outcome.INFO  # for the OT trial log
    device: str | None = None
    remember: bool = True  # store as the answer "repeat" replays
    silent: bool = False  # no speech at all (SessionEndedRequest and other events)
    # Alexa takes the conversation over (a Connections.SendRequest directive): no reprompt,
    # shouldEndSession left out, as Amazon's examples send it.
    handover: bool = False
    # An AskForPermissionsConsent card asking for these permission scopes.
    consent_card: tuple[str, ...] = ()


Handler = Callable[["Turn"], Reply]


@dataclass(frozen=True)
class Screen:
    """The device's screen, in pixels and dpi as Alexa reports them (`context.Viewport`)."""

    pixel_width: int | None = None
    pixel_height: int | None = None
    dpi: int | None = None
    round: bool = False


class Turn:
    """One request, with what intents need and nothing of the SDK leaking further."""

    def __init__(self, handler_input: Any, services: Services) -> None:
        self._input = handler_input
        self.services = services
        envelope = handler_input.request_envelope
        request = envelope.request
        self._request = request
        self.request_type: str = getattr(request, "object_type", None) or ""
        intent = getattr(request, "intent", None)
        self.intent_name: str | None = getattr(intent, "name", None)
        self.slots: dict[str, Any] = dict(getattr(intent, "slots", None) or {})
        # Out-of-session requests (Messaging.MessageReceived) have no attributes to keep.
        self.session: dict[str, Any] = (
            handler_input.attributes_manager.session_attributes if envelope.session else {}
        )
        system = envelope.context.system if envelope.context else None
        self._system = system
        self._viewport = getattr(envelope.context, "viewport", None) if envelope.context else None
        self.user_id: str = getattr(getattr(system, "user", None), "user_id", None) or "anonymous"
        self.device_id: str | None = getattr(getattr(system, "device", None), "device_id", None)
        self.locale: str = getattr(request, "locale", None) or "en-GB"
        self.new_session: bool = (
            bool(getattr(envelope.session, "new", True)) if envelope.session else True
        )
        self.follow_up: FollowUp | None = FollowUp.from_session(self.session.get(PENDING))
        # Set by the dispatcher when this request answers the pending follow-up.
        self.continuing: bool = False

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
                return str(authority.values[0].value.id)
        return None

    # --- how the exchange goes --------------------------------------------------------

    @property
    def oneshot(self) -> bool:
        """Did this exchange begin as a one-shot request ("Alexa, ask … when is …")?

        Decided here once: a request that continues a follow-up keeps the answer the
        exchange began with; anything else is one-shot when it opened the session.
        """
        if self.continuing and self.follow_up is not None:
            return self.follow_up.oneshot
        return self.new_session

    @property
    def conversational(self) -> bool:
        return not self.oneshot

    def keep_listening(self, reply: Reply, reprompt: str | SSML) -> Reply:
        """In a conversation an answer asks for more and waits; a one-shot request just
        ends, as Alexa users expect. Replies that already ask something are left alone."""
        if (
            self.conversational
            and reply.reprompt is None
            and reply.end_session is None
            and not reply.handover
        ):
            reply.speech = speech.sentences(reply.speech, ANYTHING_ELSE)
            reply.reprompt = reprompt
        return reply

    # --- calls back to Alexa -------------------------------------------------------------

    @property
    def api_endpoint(self) -> str | None:
        return getattr(self._system, "api_endpoint", None) or None

    @property
    def api_access_token(self) -> str | None:
        return getattr(self._system, "api_access_token", None) or None

    @property
    def consent_token(self) -> str | None:
        """context.System.user.permissions.consentToken: present once the user granted any
        of the skill's permissions (which ones, only the API's answers tell)."""
        user = getattr(self._system, "user", None)
        return getattr(getattr(user, "permissions", None), "consent_token", None) or None

    def request_value(self, name: str) -> Any:
        """A field of a non-intent request (Connections.Response `payload`/`token`/`name`,
        Messaging.MessageReceived `message`), as the SDK parsed it."""
        return getattr(self._request, name, None)

    # --- context -----------------------------------------------------------------------

    @cached_property
    def zone(self) -> ZoneInfo:
        """The device's time zone (Alexa Settings API), else the programme's."""
        fallback = ZoneInfo(self.services.settings.timezone)
        return self.services.device_zones.lookup(self._input, fallback)

    @cached_property
    def now(self) -> datetime:
        """ "Now", computed once per request in the listener's time zone."""
        return self.services.clock().astimezone(self.zone)

    @cached_property
    def preferences(self) -> dict[str, Any]:
        return self.services.state.get(self.user_id)

    # --- the speaker's home ------------------------------------------------------------

    @cached_property
    def home_id(self) -> str | None:
        """The home this speaker may reach, resolved once per request; None: none at all."""
        homes = self.services.homes
        if homes is None:
            return None
        try:
            return homes.directory.home_for_request(self.device_id)
        except Exception:  # noqa: BLE001 - the homes store is away: reach no device
            log.warning("homes store unavailable; this request reaches no device", exc_info=True)
            self.homes_down = True
            return None

    homes_down = False  # set when the homes store could not be asked

    @property
    def unlinked(self) -> bool:
        """A speaker linked to no home, where unlinked speakers are refused."""
        return self.services.homes is not None and self.home_id is None and not self.homes_down

    @cached_property
    def devices(self) -> DeviceService:
        """This home's devices and no other home's; an empty registry when it reaches none."""
        homes = self.services.homes
        if homes is None:
            return self.services.devices
        if self.home_id is None:
            return homes.directory.no_devices
        try:
            return homes.directory.devices_for_home(self.home_id)
        except HomeNotFound:  # removed since the speaker was linked (or no stand here)
            return homes.directory.no_devices
        except Exception:  # noqa: BLE001 - the homes store is away: reach no device
            log.warning("homes store unavailable; this request reaches no device", exc_info=True)
            self.homes_down = True
            return homes.directory.no_devices

    @property
    def supports_apl(self) -> bool:
        interfaces = getattr(getattr(self._system, "device", None), "supported_interfaces", None)
        return getattr(interfaces, "alexa_presentation_apl", None) is not None

    @cached_property
    def screen(self) -> Screen:
        viewport = self._viewport

        def first(*names: str) -> int | None:
            for name in names:
                value = getattr(viewport, name, None)
                if isinstance(value, int | float) and value > 0:
                    return int(value)
            return None

        shape = getattr(getattr(viewport, "shape", None), "value", None)
        return Screen(
            # The current size first: a rotated or resized screen reports it there.
            pixel_width=first("current_pixel_width", "pixel_width"),
            pixel_height=first("current_pixel_height", "pixel_height"),
            dpi=first("dpi"),
            round=shape == "ROUND",
        )

    @property
    def end_reason(self) -> tuple[str | None, str | None]:
        """SessionEndedRequest: why the session ended, and the error message if any."""
        reason = getattr(getattr(self._request, "reason", None), "value", None)
        error = getattr(self._request, "error", None)
        message = getattr(error, "message", None) if error is not None else None
        return reason, (str(message) if error is not None else None)
