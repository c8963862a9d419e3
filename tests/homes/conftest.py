from __future__ import annotations

from pathlib import Path

import pytest

from skill.homes.setup import Homes, HomesConfig, open_homes
from skill.settings import SHIPPED_DEVICES

LAMP_ONLY = """devices:
  - id: lamp
    name: lamp
    aliases: [light]
    driver: simulated
"""


class Clock:
    """Wall and monotonic time a test can move."""

    def __init__(self) -> None:
        self.t = 1_780_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def wall() -> Clock:
    return Clock()


@pytest.fixture
def homes(tmp_path: Path, wall: Clock) -> Homes:
    config = HomesConfig(
        data_dir=tmp_path / "data", devices_file=SHIPPED_DEVICES, shipped_devices=SHIPPED_DEVICES
    )
    opened = open_homes(config, environ={}, wall=wall, monotonic=wall)
    yield opened
    opened.directory.close()
