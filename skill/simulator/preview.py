"""What the skill would say about a programme that is not live yet (the admin preview).

No imitation: real request envelopes go through the real skill (`build_skill`) with a
Services whose programme is the draft and whose clock is the chosen moment, so the
preview can't drift from what visitors will hear once the draft is published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from skill.alexa.builder import build_skill
from skill.alexa.envelope import parse
from skill.devices import DeviceService
from skill.programme.model import Session
from skill.programme.programme import Programme
from skill.programme.service import ProgrammeService
from skill.programme.store import AuditEntry, StoreUnavailable, VersionInfo, VersionNotFound
from skill.services import Services
from skill.settings import Settings
from skill.simulator import envelopes
from skill.speech import plain_text
from skill.storage.state import MemoryStateStore

DRAFT_VERSION = 0  # what the pinned store calls the draft; real versions start at 1


@dataclass(frozen=True)
class Answer:
    question: str
    ssml: str
    text: str


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


def preview(
    settings: Settings, programme: Programme, at: datetime, session_id: str | None = None
) -> list[Answer]:
    """Answers to "what's on tomorrow", "what's next" and "tell me about <session>" at `at`."""
    services = Services(
        settings=settings,
        clock=lambda: at,
        state=MemoryStateStore(),
        devices=DeviceService.without_devices(settings.data_dir),
        programme=ProgrammeService(PinnedStore(programme), zone=programme.zone_name, ttl_s=0),
    )
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
