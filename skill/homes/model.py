"""Homes, the admin accounts that look after them, and the words a link attempt ends in."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

STAND_ID = "stand"  # the Demo stand home, seeded from the shipped (or configured) registry
STAND_LABEL = "Demo stand"
_LABEL_MAX = 60
_HOME_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


class HomeError(ValueError):
    """Bad input about a home or an account; the message says what to fix, and `field`
    which input it is about ("label", "time_zone", "name", "password", "role"), if one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class HomeNotFound(HomeError):
    pass


class Role(StrEnum):
    EDITOR = "editor"  # the programme only
    OT = "ot"  # only the homes assigned to them
    ADMIN = "admin"  # accounts, every home, everything


@dataclass(frozen=True)
class Home:
    id: str
    label: str
    time_zone: str = "Europe/London"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    password_hash: str = ""
    homes: frozenset[str] = field(default_factory=frozenset)

    def may_see(self, home_id: str) -> bool:
        return self.role is Role.ADMIN or (self.role is Role.OT and home_id in self.homes)

    @property
    def manages_homes(self) -> bool:
        return self.role in (Role.ADMIN, Role.OT)


class LinkOutcome(StrEnum):
    """How typing a speaker's code ended; each has one clear sentence (`LINK_WORDS`)."""

    LINKED = "linked"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    THROTTLED = "throttled"
    MALFORMED = "malformed"


LINK_WORDS = {
    LinkOutcome.LINKED: "The speaker is linked to this home.",
    LinkOutcome.UNKNOWN: "No speaker gave that code. Check the six digits and try again.",
    LinkOutcome.EXPIRED: (
        "That code has expired (codes last 10 minutes). Ask the speaker to "
        "'link this speaker' again for a new one."
    ),
    LinkOutcome.USED: (
        "That code has already been used. Ask the speaker to 'link this speaker' again "
        "for a new one."
    ),
    LinkOutcome.THROTTLED: (
        "Too many wrong codes. Wait a few minutes, then ask the speaker for a new code."
    ),
    LinkOutcome.MALFORMED: "A link code is six digits, for example 042917.",
}


@dataclass(frozen=True)
class LinkCode:
    code: str
    device_id: str
    expires_at: float  # epoch seconds
    used_at: float | None = None


def clean_label(label: str) -> str:
    """A label the OT chose, tidied; no real name is needed ("Flat 3", "Trial home B")."""
    text = " ".join(str(label).split())
    if not text:
        raise HomeError("Enter a label for the home, like Trial home A.", "label")
    if len(text) > _LABEL_MAX:
        raise HomeError(f"Shorten the label to {_LABEL_MAX} characters or fewer.", "label")
    if not text.isprintable():
        raise HomeError("Type the label again: it has invisible control characters.", "label")
    return text


def check_zone(name: str) -> str:
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise HomeError(
            f"Enter a time zone as a name like Europe/London: {name!r} is not a time zone "
            "this server knows.",
            "time_zone",
        ) from None
    return name


def new_home_id() -> str:
    return f"home-{secrets.token_hex(3)}"


def valid_home_id(home_id: str) -> bool:
    return bool(_HOME_ID.fullmatch(home_id))
