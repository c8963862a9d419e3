"""Which home an account-linked Cognito user belongs to, and that home's devices.

The smart-home handler sees homes only through `AccountHomes`, so the homes package
(skill/homes/) plugs in without changes here. Until then `SingleRegistryHomes` adapts the
process's one `DeviceService` plus an account -> home mapping kept in the state store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from skill.devices import DeviceService
from skill.storage.state import StateStore

DEFAULT_HOME = "stand"  # the one home of a single-registry deployment ("Demo stand")


class AccountHomes(Protocol):
    def home_for_account(self, sub: str) -> str | None: ...

    def devices_for_home(self, home_id: str) -> DeviceService: ...


class DictHomes:
    """Fixed mappings (tests, benchmarks): account -> home, home -> its DeviceService."""

    def __init__(self, accounts: Mapping[str, str], homes: Mapping[str, DeviceService]) -> None:
        self.accounts = dict(accounts)
        self.homes = dict(homes)

    def home_for_account(self, sub: str) -> str | None:
        return self.accounts.get(sub)

    def devices_for_home(self, home_id: str) -> DeviceService:
        return self.homes[home_id]


def account_key(sub: str) -> str:
    return f"smarthome:account:{sub}"


def link_account(state: StateStore, sub: str, home_id: str) -> None:
    state.put(account_key(sub), "home", home_id)


def unlink_account(state: StateStore, sub: str) -> None:
    state.delete_user(account_key(sub))


def linked_home(state: StateStore, sub: str) -> str | None:
    home = state.get(account_key(sub)).get("home")
    return home if isinstance(home, str) else None


class SingleRegistryHomes:
    """Today's deployment: one registry (`services.devices`) is the one home, `stand`.

    An account reaches it only once linked (`link`), so a stranger who signs up in the
    Cognito pool reaches nothing.
    """

    def __init__(self, devices: DeviceService, state: StateStore, home_id: str = DEFAULT_HOME):
        self.devices = devices
        self.state = state
        self.home_id = home_id

    def link(self, sub: str, home_id: str | None = None) -> None:
        home = home_id or self.home_id
        if home != self.home_id:
            raise KeyError(f"no home {home!r} (this deployment has one: {self.home_id!r})")
        link_account(self.state, sub, home)

    def unlink(self, sub: str) -> None:
        unlink_account(self.state, sub)

    def home_for_account(self, sub: str) -> str | None:
        home = linked_home(self.state, sub)
        return home if home == self.home_id else None

    def devices_for_home(self, home_id: str) -> DeviceService:
        if home_id != self.home_id:
            raise KeyError(home_id)
        return self.devices


class DirectoryHomes:
    """The homes OTs manage (skill/homes): an account reaches the home it was linked to
    (`voice-demo homes link HOME --account SUB`); `build` watches each home's devices."""

    def __init__(self, directory: Any) -> None:
        self.directory = directory

    def home_for_account(self, sub: str) -> str | None:
        home: str | None = self.directory.home_for_account(sub)
        return home

    def devices_for_home(self, home_id: str) -> DeviceService:
        devices: DeviceService = self.directory.devices_for_home(home_id)
        return devices
