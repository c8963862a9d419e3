"""What reading a programme file gives back: sessions, and every finding located.

The same types serve CSV files (findings name the row and column, as a spreadsheet shows
them) and calendars (findings name the event and its date, and the field as the calendar
program calls it). Errors block publishing; warnings say what was skipped, shortened or
assumed, so nothing is changed silently. Rows that could not be read are kept with their
errors (`rejected`), so a draft can hold them for fixing in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from skill.programme.model import Session


@dataclass(frozen=True)
class RowError:
    """One finding, located: "Row 4, column 'end': 10:30 is before the start 11:00", or
    "“Lunch and learn” on Tuesday 19 May 2026, end time: is before its start"."""

    row: int | None
    column: str | None
    message: str
    where: str | None = None  # a calendar event: "“Title” on Tuesday 19 May 2026"
    field: str | None = None  # the field in the calendar's words ("end time")

    def __str__(self) -> str:
        if self.where is not None:
            head = f"{self.where}, {self.field}" if self.field else self.where
            return f"{head}: {self.message}"
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class RejectedRow:
    """A row (or calendar event) that did not become a session, with what it said.

    `fields` uses the CSV column names, so the admin's edit form can show it for fixing.
    """

    row: int
    fields: dict[str, str]
    errors: tuple[RowError, ...]
    where: str | None = None


@dataclass(frozen=True)
class ParseResult:
    """Sessions read from a file. Nothing may be published unless `errors` is empty.

    `sessions` holds every row that was read cleanly even when other rows have errors;
    those rows are in `rejected`. `notes` say how the file was read ("UTF-8, separated
    by semicolons"); `warnings` name what was skipped, shortened or assumed.
    """

    sessions: tuple[Session, ...] = ()
    errors: tuple[RowError, ...] = field(default=())
    warnings: tuple[RowError, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())
    rejected: tuple[RejectedRow, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors


def failed(message: str) -> ParseResult:
    """A whole-file refusal."""
    return ParseResult(errors=(RowError(None, None, message),))
