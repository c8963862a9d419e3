"""A plug that lives in a small SQLite file in the data folder.

The stand page, `voice-demo say` and the skill may run in different processes; they all see
the same lamp because the state is on disk, written in transactions (SQLite's locking makes
that safe across threads and processes). Its "own timer" for max_on_minutes is an `off_at`
time in the row, so an automatic off survives restarts just as a real plug's would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from skill.devices.errors import DeviceFault
from skill.devices.model import PowerState, Source, utc
from skill.devices.options import Option
from skill.storage.sqlite import ThreadConnections

if TYPE_CHECKING:
    from collections.abc import Callable

    from skill.devices.deadline import Deadline
    from skill.devices.plug import DriverContext
    from skill.devices.registry import Device

OPTIONS = {
    "initially_on": Option(bool, False, "state before anyone switched it (a fridge is on)"),
}
FILENAME = "simulated_devices.sqlite3"


class SimulatedStore:
    """One connection per thread, opened once: a switch is then a single small transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connections = ThreadConnections(
            path,
            schema="CREATE TABLE IF NOT EXISTS power (device_id TEXT PRIMARY KEY,"
            " is_on INTEGER NOT NULL, changed_at REAL NOT NULL, off_at REAL)",
            autocommit=True,
            pragmas=("synchronous=NORMAL",),  # a demo lamp needs no fsync per switch
        )

    def _connect(self, timeout: float) -> sqlite3.Connection:
        conn = self._connections()
        # The caller's deadline bounds how long we wait for another process's write lock.
        conn.execute(f"PRAGMA busy_timeout = {int(max(timeout, 0.05) * 1000)}")
        return conn

    def write(
        self, device_id: str, on: bool, at: float, off_at: float | None, timeout: float
    ) -> None:
        self._connect(timeout).execute(
            "INSERT INTO power (device_id, is_on, changed_at, off_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(device_id) DO UPDATE SET is_on = excluded.is_on,"
            " changed_at = excluded.changed_at, off_at = excluded.off_at",
            (device_id, int(on), at, off_at),
        )

    def read(self, device_id: str, timeout: float) -> tuple[bool, float, float | None] | None:
        if not self.path.exists():
            return None
        row = (
            self._connect(timeout)
            .execute(
                "SELECT is_on, changed_at, off_at FROM power WHERE device_id = ?", (device_id,)
            )
            .fetchone()
        )
        return None if row is None else (bool(row[0]), row[1], row[2])


class SimulatedPlug:
    native_auto_off = True
    local = True

    def __init__(self, device: Device, store: SimulatedStore, wall: Callable[[], float]) -> None:
        self.device = device
        self.store = store
        self.wall = wall
        self.started = wall()

    def set_power(self, on: bool, deadline: Deadline, auto_off_s: int | None = None) -> PowerState:
        now = self.wall()
        off_at = now + auto_off_s if on and auto_off_s else None
        try:
            self.store.write(self.device.id, on, now, off_at, deadline.remaining())
        except (sqlite3.Error, OSError) as exc:
            raise DeviceFault(f"simulated store: {exc}", self.device) from exc
        return PowerState(on, Source.DEVICE, utc(now), utc(off_at) if off_at else None)

    def read(self, deadline: Deadline) -> PowerState:
        try:
            row = self.store.read(self.device.id, deadline.remaining())
        except (sqlite3.Error, OSError) as exc:
            raise DeviceFault(f"simulated store: {exc}", self.device) from exc
        if row is None:
            initially = bool(self.device.options["initially_on"])
            return PowerState(initially, Source.DEVICE, utc(self.started))
        on, changed_at, off_at = row
        if on and off_at is not None and self.wall() >= off_at:
            return PowerState(False, Source.DEVICE, utc(off_at))  # its timer has fired
        return PowerState(on, Source.DEVICE, utc(changed_at), utc(off_at) if off_at else None)

    def close(self) -> None:
        pass


def create(device: Device, ctx: DriverContext) -> SimulatedPlug:
    return SimulatedPlug(device, SimulatedStore(ctx.data_dir / FILENAME), ctx.wall)
