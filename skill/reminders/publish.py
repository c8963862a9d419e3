"""After a publish or rollback: wake the skill for every user with reminders (Skill Messaging).

Without Skill Messaging credentials nothing is sent; each person's reminders are then moved
or deleted when they next talk to the skill (skill/intents/reminders.py, reconcile_before).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from skill.reminders.messaging import MessagingFailed
from skill.reminders.service import Reminders
from skill.reminders.store import StoreUnavailable

log = logging.getLogger(__name__)

LATER = "They will be brought up to date when each person next talks to the skill."
LAZY = (
    "Reminders will be brought up to date when each person next talks to the skill "
    "(Skill Messaging is not configured)."
)


def notify(reminders: Reminders, version: int | None) -> str:
    """Send the messages now and say what happened (for the CLI)."""
    try:
        result = reminders.notify_changed(version)
    except (StoreUnavailable, MessagingFailed) as exc:
        return f"Reminders were not updated: {exc}. {LATER}"
    except Exception as exc:  # noqa: BLE001 - e.g. the store's own errors: publishing stands
        log.exception("reminder messages failed")
        return f"Reminders were not updated ({exc.__class__.__name__}). {LATER}"
    if result is None:
        return LAZY
    sent, failed = result
    if not sent and not failed:
        return "Nobody has a reminder from the skill."
    text = f"Asked Alexa to update the reminders of {sent} {'person' if sent == 1 else 'people'}."
    if failed:
        text += f" {failed} could not be reached; theirs update when they next talk to the skill."
    return text


def after_publish(
    reminders: Reminders, version: Callable[[], int | None]
) -> threading.Thread | None:
    """The admin pages' hook: the same, in the background (the page doesn't wait)."""
    if reminders.messenger is None:
        return None

    def run() -> None:
        try:
            log.info(notify(reminders, version()))
        except Exception:  # noqa: BLE001 - a background thread has no one to tell
            log.exception("reminder messages failed")

    thread = threading.Thread(target=run, name="reminder-messages", daemon=True)
    thread.start()
    return thread
