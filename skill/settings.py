"""Settings come from the environment (and an optional `.env` file) once, at start-up.

One frozen object is passed down explicitly, so tests build their own instead of
patching the environment, and nothing reads `os.environ` at request time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

SHIPPED_DEVICES = Path(__file__).parent / "data" / "devices.yaml"
SHIPPED_PROGRAMME = Path(__file__).parent / "data" / "programme.csv"
# Amazon's endpoints for the EU region (eu-west-1 Lambda, en-GB): docs/smart-home.md.
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"
EVENT_GATEWAY_URL = "https://api.eu.amazonalexa.com/v3/events"
SKILL_MESSAGING_URL = "https://api.eu.amazonalexa.com"


def _read_env_file(path: Path) -> dict[str, str]:
    """Parse a `.env`-style file: KEY=VALUE lines, `#` comments, optional quotes."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    devices_file: Path = SHIPPED_DEVICES
    skill_id: str | None = None
    verify: bool = True
    timezone: str = "Europe/London"
    admin_password: str | None = None
    store: str = "sqlite"
    # Cloud-mode table names (DynamoDB); ignored by the SQLite store.
    programme_table: str = "voice-demo-programme"
    state_table: str = "voice-demo-state"
    # Whole-request budget for device calls, inside Alexa's 8 s.
    device_budget_s: float = 5.0
    # Running in AWS Lambda: no background work between requests (device auto-off timers).
    in_lambda: bool = False
    trial_log: bool = False
    trial_retention_days: int = 90
    # Key for hashing Alexa user ids in the trial log; unset = a key kept in the data folder.
    trial_secret: str | None = None
    # Visitors' feedback (docs/feedback.md): the speaker-HMAC key (unset = a key kept in the
    # data folder, or in the state table in the cloud) and the cloud table.
    feedback_secret: str | None = field(default=None, repr=False)
    feedback_table: str = "voice-demo-feedback"
    # "current": move the shipped demo week onto this week when seeding (`make run`).
    demo_week: str = ""
    # Homes (docs/homes.md): what a speaker linked to no home reaches, "stand" or "refuse";
    # empty = stand locally, refuse in the cloud (store dynamodb).
    unlinked_speakers: str = ""
    homes_table: str = "voice-demo-homes"
    # SSM Parameter Store path for plug credentials in the cloud; empty = the default there.
    plug_secrets_path: str = ""
    # Smart-home skill (docs/smart-home.md): account-linking tokens come from this Cognito
    # issuer for this app client; event-gateway tokens from Login with Amazon.
    oauth_issuer: str | None = None
    oauth_client_id: str | None = None
    smart_home_skill_id: str | None = None
    lwa_client_id: str | None = None
    lwa_client_secret: str | None = field(default=None, repr=False)
    lwa_token_url: str = LWA_TOKEN_URL
    event_gateway_url: str = EVENT_GATEWAY_URL
    # A plug slower than this gets a DeferredResponse (where the process lives on; not Lambda).
    smart_home_defer_s: float = 2.0
    # Reminders (docs/reminders.md): the custom skill's own Skill Messaging credentials
    # (console: TOOLS, Permissions, Alexa Skill Messaging). Unset: reminders are brought in
    # step with a changed programme only when each person next talks to the skill.
    skill_messaging_client_id: str | None = None
    skill_messaging_client_secret: str | None = field(default=None, repr=False)
    skill_messaging_url: str = SKILL_MESSAGING_URL

    @classmethod
    def from_env(
        cls, environ: dict[str, str] | None = None, env_file: Path | None = None
    ) -> Settings:
        """Read settings; real environment variables win over the `.env` file."""
        env = dict(_read_env_file(env_file or Path(".env")))
        env.update(os.environ if environ is None else environ)
        in_lambda = "AWS_LAMBDA_FUNCTION_NAME" in env
        return cls(
            data_dir=Path(env.get("VOICE_DEMO_DATA") or "data"),
            devices_file=Path(env.get("VOICE_DEMO_DEVICES") or SHIPPED_DEVICES),
            skill_id=env.get("VOICE_DEMO_SKILL_ID") or None,
            verify=_flag(env.get("VOICE_DEMO_VERIFY"), True),
            timezone=env.get("VOICE_DEMO_TIMEZONE") or "Europe/London",
            admin_password=env.get("VOICE_DEMO_ADMIN_PASSWORD") or None,
            store=(env.get("VOICE_DEMO_STORE") or ("dynamodb" if in_lambda else "sqlite")).lower(),
            in_lambda=in_lambda,
            programme_table=env.get("VOICE_DEMO_PROGRAMME_TABLE") or cls.programme_table,
            state_table=env.get("VOICE_DEMO_STATE_TABLE") or cls.state_table,
            trial_log=_flag(env.get("VOICE_DEMO_TRIAL_LOG"), False),
            trial_retention_days=int(env.get("VOICE_DEMO_TRIAL_RETENTION_DAYS") or 90),
            trial_secret=(env.get("VOICE_DEMO_TRIAL_SECRET") or "").strip() or None,
            feedback_secret=(env.get("VOICE_DEMO_FEEDBACK_SECRET") or "").strip() or None,
            feedback_table=env.get("VOICE_DEMO_FEEDBACK_TABLE") or cls.feedback_table,
            demo_week=(env.get("VOICE_DEMO_DEMO_WEEK") or "").strip().lower(),
            unlinked_speakers=(env.get("VOICE_DEMO_UNLINKED_SPEAKERS") or "").strip().lower(),
            homes_table=env.get("VOICE_DEMO_HOMES_TABLE") or cls.homes_table,
            plug_secrets_path=(env.get("VOICE_DEMO_PLUG_SECRETS_PATH") or "").strip(),
            oauth_issuer=env.get("VOICE_DEMO_OAUTH_ISSUER") or None,
            oauth_client_id=env.get("VOICE_DEMO_OAUTH_CLIENT_ID") or None,
            smart_home_skill_id=env.get("VOICE_DEMO_SMART_HOME_SKILL_ID") or None,
            lwa_client_id=env.get("VOICE_DEMO_LWA_CLIENT_ID") or None,
            lwa_client_secret=env.get("VOICE_DEMO_LWA_CLIENT_SECRET") or None,
            lwa_token_url=env.get("VOICE_DEMO_LWA_TOKEN_URL") or LWA_TOKEN_URL,
            event_gateway_url=env.get("VOICE_DEMO_EVENT_GATEWAY_URL") or EVENT_GATEWAY_URL,
            smart_home_defer_s=float(env.get("VOICE_DEMO_SMART_HOME_DEFER_S") or 2.0),
            skill_messaging_client_id=env.get("VOICE_DEMO_SKILL_MESSAGING_CLIENT_ID") or None,
            skill_messaging_client_secret=(
                env.get("VOICE_DEMO_SKILL_MESSAGING_CLIENT_SECRET") or None
            ),
            skill_messaging_url=(env.get("VOICE_DEMO_SKILL_MESSAGING_URL") or SKILL_MESSAGING_URL),
        )

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)
