"""The composition root: every store, device and programme a process uses, built here once.

Built at start-up (Flask app factory, Lambda init, CLI) and handed down; tests build
their own. Nothing in the domain imports this module: wiring flows one way, from here
into the packages, and absent parts are null objects (an empty registry, a recorder
that records nothing) rather than `None`, so no answer needs an `is None` check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from skill.alexa.api import DeviceZones
from skill.clock import Clock, utc_now
from skill.devices import DeviceService
from skill.programme.service import ProgrammeService, open_programme
from skill.settings import Settings
from skill.storage.state import MemoryStateStore, SqliteStateStore, StateStore
from skill.triallog import NotRecording, Recorder, open_log


@dataclass
class Services:
    settings: Settings
    devices: DeviceService
    programme: ProgrammeService
    clock: Clock = utc_now
    state: StateStore = field(default_factory=MemoryStateStore)
    device_zones: DeviceZones = field(default_factory=DeviceZones)
    # The OT trial log records only when switched on (VOICE_DEMO_TRIAL_LOG=1).
    trial_log: Recorder = field(default_factory=NotRecording)


def open_state(settings: Settings) -> StateStore:
    if settings.store == "dynamodb":
        from skill.storage.dynamodb import dynamodb_state_store

        return dynamodb_state_store(settings)
    return SqliteStateStore(settings.data_dir / "state.sqlite3")


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """The real services for `settings` (SQLite locally, DynamoDB in the cloud)."""
    clock = clock or utc_now
    return Services(
        settings=settings,
        clock=clock,
        state=open_state(settings),
        # Read once, at start-up: the secrets the registry names (token_env, password_env).
        devices=DeviceService.from_settings(settings, environ=os.environ),
        programme=open_programme(settings, clock),
        trial_log=open_log(settings, clock) if settings.trial_log else NotRecording(),
    )
