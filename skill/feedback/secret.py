"""The feedback secret: the key of the speaker HMAC (`skill.feedback.speaker_key`).

Kept like the trial log's (skill/triallog/hashing.py), but its own: `VOICE_DEMO_FEEDBACK_SECRET`,
else `feedback_secret` in the data folder (created once, owner-only), else in cloud mode one
item in the user-state table, created once with a conditional write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skill.triallog.hashing import kept_secret

if TYPE_CHECKING:
    from skill.settings import Settings

ENV = "VOICE_DEMO_FEEDBACK_SECRET"
SECRET_FILE = "feedback_secret"
SECRET_ITEM = "voice-demo#feedback-secret"  # a state-table key no Alexa user id can take


def load_secret(settings: Settings) -> bytes:
    return kept_secret(settings, settings.feedback_secret, ENV, SECRET_FILE, SECRET_ITEM)
