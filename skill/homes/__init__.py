"""Homes: each person's own place in the trial, with its devices, speakers and OTs.

Pure domain (no Alexa SDK, Flask or boto3). `HomeDirectory` answers "which home is this
request for, and what are its devices?"; `Accounts` holds the named admin accounts.
"""

from skill.homes.accounts import Accounts
from skill.homes.directory import HomeDirectory, Unlinked
from skill.homes.model import (
    LINK_WORDS,
    STAND_ID,
    STAND_LABEL,
    Account,
    Home,
    HomeError,
    HomeNotFound,
    LinkOutcome,
    Role,
)

__all__ = [
    "LINK_WORDS",
    "STAND_ID",
    "STAND_LABEL",
    "Account",
    "Accounts",
    "Home",
    "HomeDirectory",
    "HomeError",
    "HomeNotFound",
    "LinkOutcome",
    "Role",
    "Unlinked",
]
