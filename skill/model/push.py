"""`voice-demo model push`: the live titles and devices into the development-stage model.

Dynamic entities reach only a session opened by a launch, so a one-shot "Alexa, ask
learning week demo when is <a title published a minute ago>" is heard against the
SESSION values of the last model build. Pushing rewrites the DEVICE and SESSION types
from the live programme and registry, sends each locale's model through the Skill
Management API and waits for the build; once it succeeds, one-shot requests know the
new titles.

Plain `requests` rather than ask-smapi-sdk: three calls, and the endpoints are settings,
so the tests run them against fakes on 127.0.0.1. Wire shapes, from Amazon's docs:
- LWA token: POST https://api.amazon.com/auth/o2/token, form fields grant_type=
  refresh_token, refresh_token, client_id, client_secret; answers {"access_token",
  "token_type": "bearer", "expires_in"} or {"error", "error_description"}
  (developer.amazon.com/docs/login-with-amazon/refresh-token.html, access-token.html).
- Update: PUT /v1/skills/{skillId}/stages/{stage}/interactionModel/locales/{locale}
  with the {"interactionModel": …} document, "Authorization: Bearer {token}"; 202
  Accepted (developer.amazon.com/docs/smapi/interaction-model-operations.html;
  alexa/ask-cli lib/clients/smapi-client/resources/interaction-model.js).
- Build status: GET /v1/skills/{skillId}/status?resource=interactionModel →
  {"interactionModel": {"en-GB": {"lastUpdateRequest": {"status": "IN_PROGRESS" |
  "SUCCEEDED" | "FAILED", "errors": [{"message"}], "buildDetails": {"steps": [...]}}}}}
  (developer.amazon.com/docs/smapi/skill-operations.html; alexa/ask-cli
  lib/model/skill-status.ts).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from skill.model import LOCALES, MODEL_DIR, Entity, model_path
from skill.model.build import with_values

log = logging.getLogger(__name__)

SMAPI_URL = "https://api.amazonalexa.com"
LWA_URL = "https://api.amazon.com/auth/o2/token"
STATE_FILE = "model-push.json"

_ENV = {
    "skill_id": "VOICE_DEMO_SKILL_ID",
    "client_id": "VOICE_DEMO_LWA_CLIENT_ID",
    "client_secret": "VOICE_DEMO_LWA_CLIENT_SECRET",
    "refresh_token": "VOICE_DEMO_LWA_REFRESH_TOKEN",
}


class PushError(RuntimeError):
    """The model could not be pushed or built; the message says what to do."""


@dataclass(frozen=True)
class PushSettings:
    """Where and as whom to push. Endpoints are settings so tests can point them at fakes."""

    skill_id: str
    client_id: str
    client_secret: str
    refresh_token: str
    smapi_url: str = SMAPI_URL
    lwa_url: str = LWA_URL
    stage: str = "development"
    timeout_s: float = 10.0  # per HTTP call (requests has no default)
    poll_s: float = 5.0
    build_timeout_s: float = 300.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PushSettings:
        """Read VOICE_DEMO_SKILL_ID and the LWA_* credentials; PushError names what's missing."""
        missing = [name for name in _ENV.values() if not (env.get(name) or "").strip()]
        if missing:
            raise PushError(
                "model push is not configured: set " + ", ".join(missing)
                + " (see docs/interaction-model.md)"
            )  # fmt: skip
        return cls(
            skill_id=env[_ENV["skill_id"]].strip(),
            client_id=env[_ENV["client_id"]].strip(),
            client_secret=env[_ENV["client_secret"]].strip(),
            refresh_token=env[_ENV["refresh_token"]].strip(),
            smapi_url=(env.get("VOICE_DEMO_SMAPI_URL") or SMAPI_URL).rstrip("/"),
            lwa_url=env.get("VOICE_DEMO_LWA_URL") or LWA_URL,
            poll_s=float(env.get("VOICE_DEMO_MODEL_POLL_S") or 5.0),
            build_timeout_s=float(env.get("VOICE_DEMO_MODEL_BUILD_TIMEOUT_S") or 300.0),
        )

    @classmethod
    def configured(cls, env: Mapping[str, str]) -> bool:
        return all((env.get(name) or "").strip() for name in _ENV.values())


@dataclass
class PushResult:
    """What was built: per locale "SUCCEEDED", "FAILED" or "IN_PROGRESS" (still building)."""

    status: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    finished_at: datetime | None = None  # when the last locale's build succeeded
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.status) and all(s == "SUCCEEDED" for s in self.status.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "errors": self.errors,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "counts": self.counts,
        }


def access_token(settings: PushSettings, http: requests.Session) -> str:
    """Trade the refresh token for an access token (valid for an hour)."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": settings.refresh_token,
        "client_id": settings.client_id,
        "client_secret": settings.client_secret,
    }
    try:
        response = http.post(settings.lwa_url, data=form, timeout=settings.timeout_s)
    except requests.RequestException as exc:
        raise PushError(f"can't reach Login with Amazon at {settings.lwa_url}: {exc}") from None
    body = _json(response)
    if response.status_code != 200 or not body.get("access_token"):
        reason = (
            body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"
        )
        raise PushError(
            f"Login with Amazon refused the refresh token ({reason}); make a new one with"
            " `ask util generate-lwa-tokens` and set VOICE_DEMO_LWA_REFRESH_TOKEN"
        )
    return str(body["access_token"])


def push(
    settings: PushSettings,
    values: dict[str, list[Entity]],
    directory: Path = MODEL_DIR,
    locales: Iterable[str] = LOCALES,
    *,
    wait: bool = True,
    http: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> PushResult:
    """Send each locale's model with `values` as its DEVICE/SESSION types; wait for the build."""
    http = http or requests.Session()
    token = access_token(settings, http)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    skill = f"{settings.smapi_url}/v1/skills/{settings.skill_id}"
    result = PushResult(counts={k: len(v) for k, v in values.items()})
    locales = list(locales)
    for locale in locales:
        data = with_values(json.loads(model_path(locale, directory).read_text("utf-8")), values)
        url = f"{skill}/stages/{settings.stage}/interactionModel/locales/{locale}"
        response = _call(http, "PUT", url, settings, headers=headers, json=data)
        if response.status_code not in (200, 202):
            raise PushError(
                f"{locale}: the Skill Management API refused the model: {_why(response)}"
            )
        result.status[locale] = "IN_PROGRESS"
    if not wait:
        return result
    deadline = clock() + settings.build_timeout_s
    while True:
        response = _call(
            http, "GET", f"{skill}/status", settings, headers=headers,
            params={"resource": "interactionModel"},
        )  # fmt: skip
        if response.status_code != 200:
            raise PushError(f"can't read the build status: {_why(response)}")
        models = _json(response).get("interactionModel") or {}
        for locale in locales:
            last = (models.get(locale) or {}).get("lastUpdateRequest") or {}
            result.status[locale] = str(last.get("status") or "IN_PROGRESS")
            messages = [str(e.get("message")) for e in last.get("errors") or [] if e.get("message")]
            if messages:
                result.errors[locale] = messages
        if all(result.status[loc] != "IN_PROGRESS" for loc in locales):
            break
        if clock() >= deadline:
            return result  # still building: the caller says so
        sleep(settings.poll_s)
    if result.ok:
        result.finished_at = datetime.now(UTC)
    return result


def _call(
    http: requests.Session, method: str, url: str, settings: PushSettings, **kw: Any
) -> requests.Response:
    try:
        return http.request(method, url, timeout=settings.timeout_s, **kw)
    except requests.RequestException as exc:
        raise PushError(
            f"can't reach the Skill Management API at {settings.smapi_url}: {exc}"
        ) from None


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _why(response: requests.Response) -> str:
    """SMAPI's error body: {"message", "violations": [{"message"}]}."""
    body = _json(response)
    parts = [str(body.get("message") or f"HTTP {response.status_code}")]
    parts += [str(v.get("message")) for v in body.get("violations") or [] if v.get("message")]
    return "; ".join(parts)


def live_values(services: Any) -> tuple[dict[str, list[Entity]], int | None]:
    """DEVICE and SESSION values from the live registry and programme, and its version."""
    from skill.model.values import DEVICE, SESSION, device_entities, session_entities

    programme = services.programme.current()
    values = {
        DEVICE: device_entities(services.devices.registry),
        SESSION: session_entities(programme.sessions),
    }
    return values, programme.version


def push_live(services: Any, settings: PushSettings, data_dir: Path, **kw: Any) -> PushResult:
    """Push what is live now and, once built, record it (see `last_push`)."""
    values, version = live_values(services)
    result = push(settings, values, **kw)
    if result.ok:
        record(data_dir, result, version)
    return result


def after_publish(services: Any, env: Mapping[str, str], data_dir: Path) -> threading.Thread | None:
    """For the publish paths (admin page, CLI import): push in the background when
    configured, so a publish never waits minutes for Amazon's build. None if not set up."""
    if not PushSettings.configured(env):
        return None
    settings = PushSettings.from_env(env)

    def run() -> None:
        try:
            result = push_live(services, settings, data_dir)
        except PushError as exc:
            log.warning("model push after publish failed: %s", exc)
            return
        log.info("model push after publish: %s", result.status)

    thread = threading.Thread(target=run, name="model-push", daemon=True)
    thread.start()
    return thread


# --- the record the admin page reads ------------------------------------------------------


def record(data_dir: Path, result: PushResult, programme_version: int | None) -> Path:
    """Remember the last successful push: from then on one-shot requests know the titles."""
    path = data_dir / STATE_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    body = {**result.to_json(), "programme_version": programme_version}
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return path


def last_push(data_dir: Path) -> dict[str, Any] | None:
    """The last recorded push, or None (never pushed, or the record is unreadable)."""
    try:
        body = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) else None
