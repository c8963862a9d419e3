"""The Smart Home skill: "Alexa, turn on the lamp" with no skill name, over the same devices.

Translates between Alexa's Smart Home API (directives in, events out) and the domain
(skill.devices), like skill/intents does for the custom skill; imports nothing from ask_sdk,
Flask or boto3. `build(services)` wires it for this process; `SmartHome.handle(event)` answers
one directive. See docs/smart-home.md.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from skill.smarthome.auth import AccessTokenVerifier, ConfigError
from skill.smarthome.gateway import EventGateway, Outbox
from skill.smarthome.homes import (
    DEFAULT_HOME,
    AccountHomes,
    DictHomes,
    DirectoryHomes,
    SingleRegistryHomes,
)
from skill.smarthome.lwa import LwaClient, TokenStore
from skill.smarthome.router import SmartHome

if TYPE_CHECKING:
    from skill.services import Services
    from skill.settings import Settings
    from skill.storage.state import StateStore

log = logging.getLogger(__name__)

__all__ = [
    "AccountHomes",
    "DictHomes",
    "SingleRegistryHomes",
    "SmartHome",
    "build",
    "build_for",
]


def build_for(settings: Settings, homes: AccountHomes, state: StateStore) -> SmartHome:
    """A SmartHome over `homes`, its tokens kept in `state` (the process's state store)."""
    verifier = None
    if not settings.smart_home_skill_id:
        log.warning(
            "VOICE_DEMO_SMART_HOME_SKILL_ID unset: not checked here (the Lambda permission is)"
        )
    if settings.oauth_issuer and settings.oauth_client_id:
        try:
            verifier = AccessTokenVerifier(settings.oauth_issuer, settings.oauth_client_id)
        except ConfigError as exc:
            log.error("%s; every directive will be refused", exc)
    else:
        log.warning("VOICE_DEMO_OAUTH_ISSUER / _CLIENT_ID unset: smart-home directives refused")
    lwa = outbox = None
    if settings.lwa_client_id and settings.lwa_client_secret:
        lwa = LwaClient(
            settings.lwa_token_url,
            settings.lwa_client_id,
            settings.lwa_client_secret,
            TokenStore(state),
        )
        outbox = Outbox(EventGateway(settings.event_gateway_url, lwa))
    else:
        log.warning("VOICE_DEMO_LWA_CLIENT_ID / _SECRET unset: no AcceptGrant, no ChangeReports")
    return SmartHome(
        verifier,
        homes,
        lwa=lwa,
        outbox=outbox,
        defer_after_s=settings.smart_home_defer_s,
        can_defer=not settings.in_lambda,
    )


def build(services: Services) -> SmartHome:
    """The process's homes (skill/homes) when it has them; else the one device registry as
    the one home (see homes.py)."""
    if services.homes is not None:
        directory = services.homes.directory
        smart_home = build_for(services.settings, DirectoryHomes(directory), services.state)
        # Every home's changes, however made (a directive, a custom-skill command, an OT's
        # test), become ChangeReports; an OT's edits of the plugs, Discovery reports.
        directory.on_devices_built(smart_home.watch)
        directory.on_registry_change(smart_home.registry_changed)
        smart_home.watch(DEFAULT_HOME, services.devices)  # the stand's custom-skill switches
        return smart_home
    homes = SingleRegistryHomes(services.devices, services.state)
    smart_home = build_for(services.settings, homes, services.state)
    smart_home.watch(homes.home_id, services.devices)
    return smart_home
