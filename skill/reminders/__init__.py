"""Reminders of sessions on the visitors' own Echos, through the Alexa Reminders API.

The skill keeps, per Alexa user, only the ids of the reminders it made and what they are
for (session id, when it rings), so it can move or delete them when an admin moves or
cancels a session. docs/reminders.md has the flows and the storage.
"""

from skill.reminders.api import (
    ApiFailed,
    PermissionMissing,
    ReminderGone,
    RemindersApi,
)
from skill.reminders.service import (
    LEAD,
    SCOPE,
    Outcome,
    Plan,
    Reconciled,
    Reminders,
    plan,
)
from skill.reminders.store import Kept, MemoryReminderStore, ReminderStore, StoreUnavailable

__all__ = [
    "LEAD",
    "SCOPE",
    "ApiFailed",
    "Kept",
    "MemoryReminderStore",
    "Outcome",
    "PermissionMissing",
    "Plan",
    "Reconciled",
    "ReminderGone",
    "ReminderStore",
    "StoreUnavailable",
    "Reminders",
    "RemindersApi",
    "plan",
]
