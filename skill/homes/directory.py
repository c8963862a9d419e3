"""HomeDirectory: which home a request belongs to, and that home's devices.

The application service between the edges (intents, the smart-home handler, admin pages,
CLI) and the homes store. A request resolves its home once (speaker device id or account
sub → home id, one keyed lookup), then gets that home's `DeviceService`, built lazily from
the home's registry and credentials and reused while the registry's revision is unchanged
(re-checked at most every `cache_s`). Nothing here can hand out another home's devices:
each DeviceService is built from one home's registry, credentials and data folder only.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from skill.devices.errors import RegistryError
from skill.devices.registry import Registry
from skill.devices.service import DeviceService
from skill.homes import registry as home_registry
from skill.homes.model import (
    STAND_ID,
    STAND_LABEL,
    Home,
    HomeError,
    HomeNotFound,
    LinkCode,
    LinkOutcome,
    check_zone,
    clean_label,
    new_home_id,
    valid_home_id,
)
from skill.homes.secrets import PlugSecrets
from skill.homes.store import HomeStore
from skill.homes.throttle import Throttle

log = logging.getLogger(__name__)

CODE_VALID_S = 600
CODE_DIGITS = 6
# Wrong codes: per admin account, and for everyone together (a code space of 10^6 and at
# most a few live codes keeps a guesser's odds below 1 in 10,000 per window).
GUESSES_PER_ACCOUNT = 5
GUESSES_OVERALL = 20
GUESS_WINDOW_S = 600
CODES_PER_SPEAKER = 5  # per GUESS_WINDOW_S: a speaker asking again and again can't flood

#: (home, its registry, its credentials by name) -> that home's DeviceService
DeviceFactory = Callable[[Home, Registry, Mapping[str, str]], DeviceService]


@dataclass(frozen=True)
class RegistryChange:
    """A home's plugs before and after an OT changed them (the smart home tells Alexa)."""

    home_id: str
    before: Registry
    after: Registry

    @property
    def removed(self) -> list[str]:
        return [d.id for d in self.before if d.id not in self.after]


RegistryListener = Callable[[RegistryChange], None]


class Unlinked(StrEnum):
    STAND = "stand"  # unlinked speakers reach the Demo stand home (local default)
    REFUSE = "refuse"  # told how to get set up; no device (cloud default)


@dataclass
class _Cached:
    service: DeviceService
    revision: int
    checked: float


class HomeDirectory:
    def __init__(
        self,
        store: HomeStore,
        secrets_: PlugSecrets,
        make_devices: DeviceFactory,
        *,
        unlinked: Unlinked = Unlinked.STAND,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        cache_s: float = 10.0,
        default_zone: str = "Europe/London",
    ) -> None:
        self.store = store
        self.secrets = secrets_
        self.make_devices = make_devices
        self.unlinked = unlinked
        self.wall = wall
        self.monotonic = monotonic
        self.cache_s = cache_s
        self.default_zone = default_zone
        self._devices: dict[str, _Cached] = {}
        self._none: DeviceService | None = None
        self._speakers: dict[str, tuple[str | None, float]] = {}
        self._lock = threading.Lock()
        self._guesses_by = Throttle(GUESSES_PER_ACCOUNT, GUESS_WINDOW_S, monotonic)
        self._guesses_all = Throttle(GUESSES_OVERALL, GUESS_WINDOW_S, monotonic)
        self._codes_by = Throttle(CODES_PER_SPEAKER, GUESS_WINDOW_S, monotonic)
        self._listeners: list[RegistryListener] = []
        self._built: list[Callable[[str, DeviceService], None]] = []

    def on_registry_change(self, listener: RegistryListener) -> None:
        """Hear every change of a home's plugs (the smart home reports them to Alexa)."""
        self._listeners.append(listener)

    def on_devices_built(self, listener: Callable[[str, DeviceService], None]) -> None:
        """Hear each home's DeviceService as it is built, whoever asked for it (a voice
        command, an OT's "test this plug"), so its changes can be watched."""
        self._built.append(listener)
        with self._lock:
            built = [(home_id, c.service) for home_id, c in self._devices.items()]
        for home_id, service in built:
            listener(home_id, service)

    def _changed(self, home_id: str, before: Registry, after: Registry) -> None:
        change = RegistryChange(home_id, before, after)
        for listener in self._listeners:
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a report must never undo or fail the change
                log.exception("registry listener failed for home %s", home_id)

    # --- homes ---------------------------------------------------------------------------

    def add_home(self, label: str, time_zone: str | None = None, home_id: str = "") -> Home:
        label = clean_label(label)
        existing = self.find(label)
        if existing is not None:
            raise HomeError(
                f"There is already a home called {existing.label!r}; choose another label."
            )
        home = Home(home_id or new_home_id(), label, check_zone(time_zone or self.default_zone))
        self.store.put_home(home)
        self.store.put_registry(home.id, home_registry.EMPTY)
        return home

    def edit_home(self, home_id: str, label: str, time_zone: str) -> Home:
        home = self.home(home_id)
        label = clean_label(label)
        other = self.find(label)
        if other is not None and other.id != home.id:
            raise HomeError(
                f"There is already a home called {other.label!r}; choose another label."
            )
        updated = Home(home.id, label, check_zone(time_zone))
        self.store.put_home(updated)
        return updated

    def home(self, home_id: str) -> Home:
        found = self.store.get_home(home_id) if valid_home_id(home_id) else None
        if found is None:
            raise HomeNotFound(f"There is no home {home_id!r}.")
        return found

    def find(self, id_or_label: str) -> Home | None:
        """A home by its id or its label (as operators type either)."""
        wanted = " ".join(id_or_label.split())
        if valid_home_id(wanted):
            found = self.store.get_home(wanted)
            if found is not None:
                return found
        return next((h for h in self.store.homes() if h.label.lower() == wanted.lower()), None)

    def homes(self) -> list[Home]:
        return self.store.homes()

    def remove_home(self, home_id: str) -> None:
        self.home(home_id)
        before = self._stored_registry(home_id)
        self.store.remove_home(home_id)
        self._forget(home_id)
        with self._lock:
            self._speakers.clear()
        self._changed(home_id, before, Registry([]))

    def ensure_stand(self, registry_text: str, where: str, replace: bool) -> Home:
        """The Demo stand home, seeded from the shipped (or configured) registry file."""
        home = self.store.get_home(STAND_ID)
        if home is None:
            home = Home(STAND_ID, STAND_LABEL, check_zone(self.default_zone))
            self.store.put_home(home)
            replace = True
        if replace or self.store.registry(STAND_ID) is None:
            home_registry.check(registry_text, where)
            self.store.put_registry(STAND_ID, registry_text)
        return home

    # --- devices -------------------------------------------------------------------------

    def registry_text(self, home_id: str) -> str:
        self.home(home_id)
        stored = self.store.registry(home_id)
        return stored.text if stored else home_registry.EMPTY

    def import_registry(self, home_id: str, text: str, where: str) -> Registry:
        """Replace the registry; a RegistryError (naming `where`, the entry) changes nothing."""
        self.home(home_id)
        registry = home_registry.check(text, where)
        before = self._stored_registry(home_id)
        self.store.put_registry(home_id, text)
        self._forget(home_id)
        self._changed(home_id, before, registry)
        return registry

    def _stored_registry(self, home_id: str) -> Registry:
        stored = self.store.registry(home_id)
        try:
            text = stored.text if stored else home_registry.EMPTY
            return home_registry.check(text or home_registry.EMPTY, f"home {home_id}")
        except RegistryError:
            return Registry([])

    def devices_for_home(self, home_id: str) -> DeviceService:
        """That home's DeviceService (HomeNotFound if there is no such home)."""
        now = self.monotonic()
        with self._lock:
            cached = self._devices.get(home_id)
        if cached is not None and now - cached.checked < self.cache_s:
            return cached.service
        stored = self.store.registry(home_id)
        if stored is None and self.store.get_home(home_id) is None:
            self._forget(home_id)
            raise HomeNotFound(f"There is no home {home_id!r}.")
        revision = stored.revision if stored else 0
        if cached is not None and cached.revision == revision:
            cached.checked = now
            return cached.service
        service = self._build(self.home(home_id), stored.text if stored else "")
        with self._lock:
            old = self._devices.get(home_id)
            self._devices[home_id] = _Cached(service, revision, now)
        if old is not None and old.service is not service:
            old.service.close()
        for listener in self._built:
            listener(home_id, service)
        return service

    @property
    def no_devices(self) -> DeviceService:
        """The devices of a request that reaches no home: none (a null object, built once)."""
        with self._lock:
            if self._none is None:
                self._none = self.make_devices(Home("none", "none"), Registry([]), {})
            return self._none

    def _build(self, home: Home, text: str) -> DeviceService:
        try:
            registry = home_registry.check(text or home_registry.EMPTY, f"home {home.label!r}")
        except RegistryError:
            # Stored registries were checked on the way in; a newer build may be stricter.
            log.exception("home %s: stored registry no longer loads; no devices", home.id)
            registry = Registry([])
        return self.make_devices(home, registry, self.secrets.get_all(home.id))

    def _forget(self, home_id: str) -> None:
        with self._lock:
            old = self._devices.pop(home_id, None)
        if old is not None:
            old.service.close()

    def close(self) -> None:
        with self._lock:
            cached, self._devices = list(self._devices.values()), {}
        for entry in cached:
            entry.service.close()

    # --- speakers and accounts -----------------------------------------------------------

    def home_for_speaker(self, device_id: str | None) -> str | None:
        """The home a speaker is linked to (None: not linked), cached for `cache_s`."""
        if not device_id:
            return None
        now = self.monotonic()
        with self._lock:
            found = self._speakers.get(device_id)
        if found is not None and now - found[1] < self.cache_s:
            return found[0]
        home_id = self.store.speaker_home(device_id)
        with self._lock:
            if len(self._speakers) > 10_000:
                self._speakers.clear()
            self._speakers[device_id] = (home_id, now)
        return home_id

    def home_for_request(self, device_id: str | None) -> str | None:
        """The home whose devices a request from this speaker may use; None: none at all."""
        home_id = self.home_for_speaker(device_id)
        if home_id is not None:
            return home_id
        return STAND_ID if self.unlinked is Unlinked.STAND else None

    def home_for_account(self, sub: str) -> str | None:
        return self.store.account_home(sub) if sub else None

    def link_speaker(self, home_id: str, device_id: str) -> None:
        self.home(home_id)
        device_id = device_id.strip()
        if not device_id:
            raise HomeError("Give the speaker's device id.")
        self.store.link_speaker(device_id, home_id)
        with self._lock:
            self._speakers.pop(device_id, None)

    def unlink_speaker(self, device_id: str) -> bool:
        with self._lock:
            self._speakers.pop(device_id, None)
        return self.store.unlink_speaker(device_id)

    def speakers(self, home_id: str) -> list[str]:
        return self.store.speakers(home_id)

    def link_account(self, home_id: str, sub: str) -> None:
        self.home(home_id)
        if not sub.strip():
            raise HomeError("Give the account's sub.")
        self.store.link_account(sub.strip(), home_id)

    def unlink_account(self, sub: str) -> bool:
        """The login reaches no home any more (its smart-home directives get no devices)."""
        return self.store.unlink_account(sub.strip())

    # --- people in the trial log ---------------------------------------------------------

    def person_labels(self, home_id: str) -> dict[str, str]:
        return self.store.person_labels(home_id)

    def label_person(self, home_id: str, user: str, label: str) -> None:
        """Name a person of this home as the OT likes ("Mrs B", "P1"); empty clears it."""
        self.home(home_id)
        text = " ".join(label.split())
        if len(text) > 40 or not text.isprintable():
            raise HomeError("Use up to 40 letters, digits or spaces for the label.", "label")
        self.store.set_person_label(home_id, user, text)

    # --- one-time link codes -------------------------------------------------------------

    def issue_code(self, device_id: str) -> LinkCode | None:
        """A fresh six-digit code for this speaker; None if it asked too often lately."""
        if self._codes_by.blocked(device_id):
            return None
        self._codes_by.failed(device_id)  # counts codes issued, not failures
        now = self.wall()
        for _ in range(20):
            code = LinkCode(
                f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}",
                device_id,
                now + CODE_VALID_S,
            )
            if self.store.add_code(code, now):
                return code
        raise RuntimeError("no free link code after 20 tries")  # 20 live-code collisions

    def redeem(self, code: str, home_id: str, by: str) -> LinkOutcome:
        """Link the speaker that was given `code` to `home_id`, if the code is live."""
        self.home(home_id)
        code = "".join(code.split())
        if self._guesses_by.blocked(by) or self._guesses_all.blocked("*"):
            return LinkOutcome.THROTTLED
        if len(code) != CODE_DIGITS or not code.isdigit():
            return LinkOutcome.MALFORMED
        now = self.wall()
        found = self.store.use_code(code, now)
        if found is not None and found.used_at is None and found.expires_at > now:
            self.link_speaker(home_id, found.device_id)
            log.info("speaker linked to home %s by %s", home_id, by)
            return LinkOutcome.LINKED
        self._guesses_by.failed(by)
        self._guesses_all.failed("*")
        if found is None:
            return LinkOutcome.UNKNOWN
        return LinkOutcome.USED if found.used_at is not None else LinkOutcome.EXPIRED
