"""Explicit wiring of the domain for one process: stores, devices, programme, clock.

Built once at start-up (Flask app factory, Lambda cold start, CLI) and handed to the
skill builder; tests build their own with fakes or temporary folders.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.alexa.api import DeviceZones
from skill.settings import Settings
from skill.storage.state import MemoryStateStore, SqliteStateStore, StateStore

log = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    clock: Callable[[], datetime] = system_clock
    state: StateStore = field(default_factory=MemoryStateStore)
    device_zones: DeviceZones = field(default_factory=DeviceZones)
    devices: Any = None  # skill.devices.DeviceService
    programme: Any = None  # skill.programme.ProgrammeService
    trial_log: Any = None  # skill.triallog.TrialLog (records only with consent switched on)


def build_services(settings: Settings, clock: Callable[[], datetime] | None = None) -> Services:
    """Build the real services for `settings` (SQLite locally, DynamoDB in the cloud)."""
    if settings.store == "dynamodb":
        from skill.storage.dynamodb import dynamodb_state_store

        state: StateStore = dynamodb_state_store(settings)
    else:
        state = SqliteStateStore(settings.data_dir / "state.sqlite3")
    services = Services(settings=settings, clock=clock or system_clock, state=state)
    for wire in _WIRING:
        wire(services)
    return services


def _wire_trial_log(services: Services) -> None:
    from skill.triallog import wire

    wire(services)


def _wire_programme(services: Services) -> None:
    from skill.programme.service import wire

    wire(services)


def _wire_devices(services: Services) -> None:
    import os

    from skill.devices import DeviceService

    # Read once, at start-up: the secrets the registry names (token_env, password_env).
    services.devices = DeviceService.from_settings(services.settings, environ=os.environ)


# Each domain area adds itself to the services here; see the modules for what they build.
_WIRING: list[Callable[[Services], None]] = [_wire_trial_log, _wire_programme, _wire_devices]
