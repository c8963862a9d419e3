"""Published programme versions: the one store API the skill, CLI and admin pages share.

Every version is immutable. A "live" pointer says which version visitors hear, and it
only moves by a conditional write: `publish` and `rollback` name the live version their
author last saw (`base`), and if someone else moved the pointer meanwhile they raise
`ProgrammeConflict` instead of silently overwriting that work. Readers fetch a version
whole, so they never see half of a publish.

Implementations: `SqliteProgrammeStore` (local mode, in the data folder) and
`DynamoProgrammeStore` (Lambda). Both pass tests/programme/test_store_contract.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from skill.programme.model import Session, assign_ids
from skill.programme.programme import Programme

PUBLISH = "publish"
ROLLBACK = "rollback"


class StoreError(Exception):
    """Base class for programme store failures."""


class ProgrammeConflict(StoreError):
    """The live version moved since the caller read it: reload, redo the change, retry."""

    def __init__(self, expected: int | None, actual: int | None) -> None:
        super().__init__(
            f"the live programme is version {actual}, not {expected}: "
            "someone else published meanwhile"
        )
        self.expected = expected
        self.actual = actual


class VersionNotFound(StoreError):
    def __init__(self, version: int) -> None:
        super().__init__(f"there is no programme version {version}")
        self.version = version


class StoreUnavailable(StoreError):
    """The store could not be reached or answered with an error (network, throttling)."""


@dataclass(frozen=True)
class VersionInfo:
    """What `versions()` lists: enough to choose a rollback target."""

    id: int
    published_at: datetime
    author: str
    note: str
    session_count: int
    zone: str


@dataclass(frozen=True)
class AuditEntry:
    """One publish or rollback: who moved the live pointer, from where, to where, and why."""

    at: datetime
    action: str  # PUBLISH | ROLLBACK
    version: int
    previous: int | None
    author: str
    note: str


class ProgrammeStore(Protocol):
    """Versioned programme storage. All methods are safe to call from several threads."""

    def live_version_id(self) -> int | None:
        """The version visitors hear now; None until the first publish. One cheap read."""
        ...

    def get(self, version: int) -> Programme:
        """A whole version as an indexed snapshot. Raises VersionNotFound."""
        ...

    def live(self) -> Programme | None:
        """The live version, or None when nothing has been published."""
        ...

    def publish(
        self,
        sessions: Iterable[Session],
        *,
        base: int | None,
        author: str,
        note: str = "",
        zone: str | None = None,
    ) -> VersionInfo:
        """Store `sessions` as a new version and make it live, atomically.

        `base` is the live version the sessions were edited from (None for the first
        publish). Raises ProgrammeConflict when the live version is no longer `base`.
        Sessions without ids get stable ones (see `model.assign_ids`).
        """
        ...

    def rollback(
        self, version: int, *, base: int | None, author: str, note: str = ""
    ) -> AuditEntry:
        """Make an earlier version live again in one conditional step (recorded in the
        audit log). Raises VersionNotFound or ProgrammeConflict."""
        ...

    def versions(self) -> list[VersionInfo]:
        """Every version, newest first."""
        ...

    def audit(self) -> list[AuditEntry]:
        """Every publish and rollback, oldest first."""
        ...


# --- helpers shared by the implementations ------------------------------------------------


def prepare(sessions: Iterable[Session]) -> tuple[Session, ...]:
    """Ids assigned and unique: a publish never stores two sessions under one id."""
    ready = assign_ids(sessions)
    ids = [s.id for s in ready]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ValueError(f"two sessions share the id {duplicate!r}")
    return ready


def dump_sessions(sessions: Iterable[Session]) -> str:
    """Compact JSON: how every store keeps a version's sessions."""
    return json.dumps([s.to_dict() for s in sessions], ensure_ascii=False, separators=(",", ":"))


def load_sessions(text: str) -> list[Session]:
    return [Session.from_dict(d) for d in json.loads(text)]
