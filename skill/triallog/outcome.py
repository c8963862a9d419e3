"""How an answer went, as the OT trial log counts it."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"
    NOT_UNDERSTOOD = "not_understood"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    INFO = "info"

    @property
    def label(self) -> str:
        """The words reports and exports use."""
        return _LABELS[self]


_LABELS = {
    Outcome.DONE: "done",
    Outcome.NOT_UNDERSTOOD: "not understood",
    Outcome.UNREACHABLE: "unreachable",
    Outcome.REFUSED: "refused by policy",
    Outcome.INFO: "answered",
}
