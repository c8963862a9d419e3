"""The composition root: every store, device and programme a process uses, built here once.

Built at start-up (Flask app factory, Lambda init, CLI) and handed down; tests build
their own. Nothing in the domain imports this module: wiring flows one way, from here
into the packages, and absent parts are null objects (an empty registry, a recorder
that records nothing) rather than `None`, so no answer needs an `is None` check.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from skill.alexa.api import DeviceZones
from skill.clock import Clock, utc_now
from skill.devices import DeviceService
from skill.feedback import Feedback, memory_feedback, open_feedback
from skill.homes.setup import Homes, homes_for
from skill.programme.service import ProgrammeService, open_programme
from skill.reminders import Reminders, ReminderStore
from skill.settings import Settings
from skill.storage.state import MemoryStateStore, SqliteStateStore, StateStore
from skill.triallog import NotRecording, Recorder, open_log

log = logging.getLogger(__name__)


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
    # Which home a speaker belongs to, and that home's devices (skill/homes). Absent only
    # in one-off services (the admin's preview), whose answers never touch a plug; then
    # `devices` is all there is.
    homes: Homes | None = None
    # Visitors' answers to "how was it?" (skill/feedback); one-off services keep them in
    # memory only, so the admin's preview never adds to the real results.
    feedback: Feedback = field(default_factory=lambda: memory_feedback(utc_now))
    # The reminders the skill set on visitors' Echos (skill/reminders); in memory unless built
    # from settings.
    reminders: Reminders = field(default_factory=Reminders)


def open_state(settings: Settings) -> StateStore:
    if settings.store == "dynamodb":
        from skill.storage.dynamodb import dynamodb_state_store

        return dynamodb_state_store(settings)
    return SqliteStateStore(settings.data_dir / "state.sqlite3")


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """The real services for `settings` (SQLite locally, DynamoDB in the cloud)."""
    clock = clock or utc_now
    # Read once, at start-up: the secrets the stand's registry names (token_env, password_env).
    homes = homes_for(settings, environ=os.environ)
    return Services(
        settings=settings,
        clock=clock,
        state=open_state(settings),
        devices=stand_devices(homes, settings),
        programme=open_programme(settings, clock),
        trial_log=open_log(settings, clock) if settings.trial_log else NotRecording(),
        homes=homes,
        feedback=open_feedback(settings, clock),
        reminders=open_reminders(settings),
    )


def open_reminders(settings: Settings) -> Reminders:
    """Reminder ids per user (SQLite locally, the state table in DynamoDB), and the Skill
    Messaging client when its credentials are set."""
    from skill.reminders.messaging import SkillMessenger

    if settings.store == "dynamodb":
        from skill.reminders.dynamo import DynamoReminderStore
        from skill.storage.dynamodb import client

        store: ReminderStore = DynamoReminderStore(settings.state_table, client("dynamodb"))
    else:
        from skill.reminders.store import SqliteReminderStore

        store = SqliteReminderStore(settings.data_dir / "reminders.sqlite3")
    messenger = None
    if settings.skill_messaging_client_id and settings.skill_messaging_client_secret:
        messenger = SkillMessenger(
            settings.lwa_token_url,
            settings.skill_messaging_client_id,
            settings.skill_messaging_client_secret,
            settings.skill_messaging_url,
        )
    return Reminders(store, messenger)


def stand_devices(homes: Homes, settings: Settings) -> DeviceService:
    """The Demo stand's devices: the stand page, /healthz, unlinked speakers locally."""
    from skill.homes import STAND_ID, HomeNotFound

    try:
        return homes.directory.devices_for_home(STAND_ID)
    except HomeNotFound:  # the cloud, before an operator imported a stand registry
        return homes.directory.no_devices
    except Exception:  # noqa: BLE001 - the homes store is away: the programme still answers
        log.warning("homes store unavailable at start-up; no stand devices", exc_info=True)
        return homes.directory.no_devices
