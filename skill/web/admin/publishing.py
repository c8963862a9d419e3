"""What follows a new live version from the admin pages or API."""

from __future__ import annotations

from flask import current_app

from skill.web.admin.context import admin

PUSH_ENV = "voice_demo_model_push_env"  # app.extensions key: VOICE_DEMO_* read at start-up


def after_publish() -> None:
    """Push the live titles to the development model when configured, so one-shot requests
    recognise them too (in the background; the page doesn't wait for Amazon's build); and
    ask Alexa (Skill Messaging, when configured) to wake the skill for everyone with a
    reminder, so moved or cancelled sessions' reminders follow (docs/reminders.md)."""
    from skill.model.push import after_publish as push

    services = admin().services
    push(services, current_app.extensions.get(PUSH_ENV, {}), services.settings.data_dir)
    from skill.reminders.publish import after_publish as reminders

    reminders(services.reminders, services.programme.live_version_id)
