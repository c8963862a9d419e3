"""How an answer went, as the OT trial log counts it (its words: `skill.triallog.wording`)."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"
    NOT_UNDERSTOOD = "not_understood"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    INFO = "info"
