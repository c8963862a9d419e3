"""What the skill would say about a programme that is not live yet (the admin preview).

No imitation: real request envelopes go through the real skill (`build_skill`) with a
Services whose programme is the draft and whose clock is the chosen moment, so the
preview can't drift from what visitors will hear once the draft is published.

Besides the fixed questions it asks every phrase the stand and the card suggest
(skill/model/suggest.py), as words through the offline simulator, so "What's on now?" is
previewed exactly as the stand puts it. Device phrases switch simulated copies of the
stand's devices in a throwaway folder: a preview never touches a real plug.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from skill.alexa.builder import build_skill
from skill.alexa.envelope import parse
from skill.devices import DeviceService
from skill.devices.plug import DriverContext
from skill.devices.registry import Registry, load_registry
from skill.feedback import latest_ended
from skill.model import MODEL_DIR, InteractionModel, load
from skill.model.suggest import STAND, Suggestion, card_for, feedback_phrase, suggestions
from skill.programme.model import Session
from skill.programme.programme import Programme
from skill.programme.service import ProgrammeService
from skill.programme.store import AuditEntry, StoreUnavailable, VersionInfo, VersionNotFound
from skill.services import Services
from skill.settings import Settings
from skill.simulator import envelopes
from skill.simulator.session import Simulator
from skill.speech import plain_text
from skill.storage.state import MemoryStateStore

DRAFT_VERSION = 0  # what the pinned store calls the draft; real versions start at 1
LOCALE = "en-GB"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    question: str
    ssml: str
    text: str
    where: str = ""  # for a suggested phrase: "On the stand" or the card's heading


class PinnedStore:
    """A read-only store whose live version is always the given programme."""

    def __init__(self, programme: Programme) -> None:
        self._programme = Programme(programme.sessions, programme.zone_name, DRAFT_VERSION)

    def live_version_id(self) -> int:
        return DRAFT_VERSION

    def get(self, version: int) -> Programme:
        if version != DRAFT_VERSION:
            raise VersionNotFound(version)
        return self._programme

    def live(self) -> Programme:
        return self._programme

    # The rest of `ProgrammeStore`: nothing is ever published to a preview.
    def publish(
        self,
        sessions: Iterable[Session],
        *,
        base: int | None,
        author: str,
        note: str = "",
        zone: str | None = None,
    ) -> VersionInfo:
        raise StoreUnavailable("a preview's programme is pinned: nothing can be published to it")

    def rollback(
        self, version: int, *, base: int | None, author: str, note: str = ""
    ) -> AuditEntry:
        raise StoreUnavailable("a preview's programme is pinned: nothing can be rolled back")

    def versions(self) -> list[VersionInfo]:
        return []

    def audit(self) -> list[AuditEntry]:
        return []


def _ask(skill, body: dict) -> str:
    response = skill.invoke(request_envelope=parse(body), context=None)
    speech = response.response.output_speech if response.response else None
    return getattr(speech, "ssml", None) or ""


@lru_cache(maxsize=4)
def _model(locale: str, directory: Path) -> InteractionModel:
    return load(locale, directory)


def _simulated_devices(settings: Settings, folder: Path) -> DeviceService:
    """The stand's devices by name and voice policy, each a simulated plug in `folder`."""
    try:
        registry = load_registry(settings.devices_file)
    except Exception:  # noqa: BLE001 - no registry: the device phrases say so
        log.debug("preview: no device registry", exc_info=True)
        return DeviceService.without_devices(folder)
    copies = [
        dataclasses.replace(
            d,
            driver="simulated",
            options=MappingProxyType({"initially_on": bool(d.options.get("initially_on"))}),
        )
        for d in registry
    ]
    return DeviceService(Registry(copies), DriverContext(data_dir=folder))


def suggested(
    settings: Settings, programme: Programme, at: datetime, services: Services
) -> list[Answer]:
    """The skill's answer to each phrase the stand and the card suggest, each in a new session."""
    model = _model(LOCALE, MODEL_DIR)
    card = card_for((s.title for s in programme.sessions if not s.cancelled), LOCALE)
    simulator = Simulator(
        build_skill(services),
        lambda: at,
        programme.zone_name,
        LOCALE,
        model=model,
        skill_id=settings.skill_id,
    )
    asked = suggestions(card, LOCALE)
    midnight = at.astimezone(programme.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    ended = latest_ended(programme, at, since=midnight)
    if ended is not None:  # the stand's invitation at this moment, with the stand's phrases
        at_stand = sum(1 for s in asked if s.where == STAND)
        asked.insert(at_stand, Suggestion(STAND, feedback_phrase(card.invocation, ended.title)))
    answers = []
    for suggestion in asked:
        said = simulator.say(suggestion.phrase).response.get("response") or {}
        speech = said.get("outputSpeech") or {}
        ssml = speech.get("ssml") or speech.get("text") or ""
        answers.append(Answer(suggestion.phrase, ssml, plain_text(ssml), suggestion.where))
        simulator.end()
    return answers


def preview(
    settings: Settings, programme: Programme, at: datetime, session_id: str | None = None
) -> list[Answer]:
    """Answers to "what's on tomorrow", "what's next", "tell me about <session>" and every
    suggested phrase at `at`."""
    with tempfile.TemporaryDirectory(prefix="voice-demo-preview-") as folder:
        devices = _simulated_devices(settings, Path(folder))
        try:
            services = Services(
                settings=settings,
                clock=lambda: at,
                state=MemoryStateStore(),
                devices=devices,
                programme=ProgrammeService(
                    PinnedStore(programme), zone=programme.zone_name, ttl_s=0
                ),
            )
            return _fixed(services, programme, at, session_id) + suggested(
                settings, programme, at, services
            )
        finally:
            devices.close()


def _fixed(
    services: Services, programme: Programme, at: datetime, session_id: str | None
) -> list[Answer]:
    skill = build_skill(services)
    stamp = envelopes.iso_timestamp(at)
    tomorrow = (at.astimezone(programme.zone).date() + timedelta(days=1)).isoformat()
    asked = [
        ("What's on tomorrow?", envelopes.intent_request("WhatsOnIntent", {"date": tomorrow})),
        ("What's next?", envelopes.intent_request("WhatsNextIntent")),
    ]
    session = programme.by_id(session_id) if session_id else None
    if session is not None:
        spoken = envelopes.slot(
            "session",
            session.title,
            resolved_id=session.id,
            authority="amzn1.er-authority.echo-sdk.voice-demo.SESSION",
        )
        request = envelopes.intent_request("SessionDetailsIntent", {"session": spoken})
        asked.append((f"Tell me about {session.title}.", request))
    answers = []
    for question, request in asked:
        ssml = _ask(skill, envelopes.envelope(request, timestamp=stamp))
        answers.append(Answer(question, ssml, plain_text(ssml)))
    return answers
