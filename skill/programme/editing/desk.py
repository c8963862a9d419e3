"""The admin's desk: import, edit, check, publish and roll back the spoken programme.

One set of operations behind the admin pages, their JSON API and the CLI, so each rule
(nothing with errors is published, stale edits are refused, every change is logged)
lives in one place. Edits are whole-draft saves guarded by the draft's revision;
publishes and rollbacks are guarded by the live version the admin last saw.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path, PurePath

from skill.programme import formats
from skill.programme.editing.diff import Change, Comparison, compare, diff
from skill.programme.editing.drafts import Draft, DraftStore, PendingRow
from skill.programme.editing.validate import Problem, errors, validate
from skill.programme.formats.csv_format import (
    COLUMNS,
    MAX_TEXT,
    ParseResult,
    RejectedRow,
    parse_date,
    parse_rows,
    parse_time,
)
from skill.programme.model import CANCELLED, SCHEDULED, Session, assign_ids
from skill.programme.programme import Programme
from skill.programme.service import ProgrammeService
from skill.programme.store import ROLLBACK, AuditEntry, VersionInfo

log = logging.getLogger(__name__)

LIVE = "live"  # HistoryEntry.action for a version that went live in the store


class InvalidSession(ValueError):
    """Form input that is not a valid session: messages by field, the input kept."""

    def __init__(self, problems: Mapping[str, str], fields: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = dict(problems)
        self.fields = dict(fields)


class NotPublishable(ValueError):
    """The draft has errors; nothing was published."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = list(problems)


class SessionNotFound(LookupError):
    pass


@dataclass(frozen=True)
class HistoryEntry:
    """One change: a draft action (import, add, edit, …, publish) or a store's publish or
    rollback (`version`, with `previous` for rollbacks). Worded by the admin pages."""

    at: datetime
    author: str
    action: str
    note: str = ""
    version: int | None = None
    previous: int | None = None


def session_fields(session: Session | None) -> dict[str, str]:
    """A session as the text fields of the edit form (the CSV columns)."""
    if session is None:
        return dict.fromkeys(COLUMNS, "")
    row = session.to_dict()
    row["aliases"] = "; ".join(session.aliases)
    row["status"] = CANCELLED if session.cancelled else ""
    row["feedback"] = "yes" if session.asks_feedback else "no"
    return {c: str(row[c]) for c in COLUMNS}


def parse_session(fields: Mapping[str, str], zone: str) -> Session:
    """Form fields to a Session by the CSV rules (one rule book); raises InvalidSession.

    Stricter than a file: what a file import would shorten with a warning is an error
    here, so nothing an admin types is cut without them seeing it."""
    row = {c: " ".join(str(fields.get(c, "")).split()) for c in COLUMNS}
    problems: dict[str, str] = {}
    for column, limit in MAX_TEXT.items():
        if len(row[column]) > limit:
            problems[column] = (
                f"{column.capitalize()} is {len(row[column]):,} characters long "
                f"(at most {limit:,}); shorten it."
            )
    result = parse_rows([(1, row)], zone)
    for e in result.errors:
        problems.setdefault(e.column or "title", _sentence(e.column, e.message))
    if problems:
        raise InvalidSession(problems, row)
    return result.sessions[0]


def pending_row(rejected: RejectedRow) -> PendingRow:
    """A file's row with errors as the edit form will show it: what could be read in the
    form's own shapes (2026-05-18, 14:00), the rest as the file wrote it."""
    fields = {c: str(rejected.fields.get(c, "")) for c in COLUMNS}
    for column, parse in (("date", parse_date), ("start", parse_time), ("end", parse_time)):
        try:
            value = parse(fields[column])
        except ValueError:
            continue
        fields[column] = value.isoformat() if column == "date" else value.strftime("%H:%M")
    problems: dict[str, str] = {}
    for e in rejected.errors:
        problems.setdefault(e.column or "title", _sentence(e.column, e.message))
    where = rejected.where or f"Row {rejected.row}"
    messages = tuple(str(e) for e in rejected.errors)
    return PendingRow(rejected.row, where, fields, problems, messages)


def _fixable(result: ParseResult) -> bool:
    """Every error belongs to a row that can be kept for fixing (not the header, the
    encoding, or a broken quote that swallowed the rest of the file)."""
    kept = {e for r in result.rejected for e in r.errors}
    return bool(result.rejected) and all(e in kept for e in result.errors)


def _sentence(column: str | None, message: str) -> str:
    name = (column or "this").capitalize()
    return f"{name} {message}." if message.startswith(("is ", "has ")) else f"{message}."


class ProgrammeDesk:
    """Publishes through the ProgrammeService, so the skill serves a new version at once."""

    def __init__(self, programme: ProgrammeService, drafts: DraftStore, zone: str) -> None:
        self.programme = programme
        self.store = programme.store
        self.drafts = drafts
        self.zone = zone

    @classmethod
    def open(
        cls, programme: ProgrammeService, data_dir: Path, zone: str, clock: Callable[[], datetime]
    ) -> ProgrammeDesk:
        """Drafts are local working state: SQLite in the data folder whatever the store."""
        desk = cls(programme, DraftStore(data_dir / "drafts.sqlite3", clock=clock), zone)
        try:
            desk.recover()
        except Exception:  # noqa: BLE001 - a store down at start-up: recover next time
            log.warning("could not check for interrupted publishes", exc_info=True)
        return desk

    # --- reading -------------------------------------------------------------------------

    def live(self) -> Programme | None:
        return self.store.live()

    def snapshot(self, sessions: Sequence[Session]) -> Programme:
        """A draft as the skill would hold it once published."""
        return Programme(sessions, zone=self.zone)

    def check(self, draft: Draft) -> list[Problem]:
        """Imported rows still to fix first (each blocks publishing), then the sessions'."""
        pending = [
            Problem(f"{'; '.join(p.messages)}. Fix it or delete it.", f"pending-{p.row}")
            for p in draft.pending
        ]
        return pending + validate(draft.sessions)

    def changes(
        self, sessions: Sequence[Session], against: Programme | None = None
    ) -> list[Change]:
        """What publishing `sessions` would change, compared with the live version."""
        base = against if against is not None else self.live()
        return diff(base.sessions if base else (), sessions)

    def compare(self, sessions: Sequence[Session], against: Programme | None = None) -> Comparison:
        """`changes`, grouped and counted: what the check-before-publishing page shows."""
        base = against if against is not None else self.live()
        return compare(base.sessions if base else (), sessions)

    def versions(self) -> list[VersionInfo]:
        return self.store.versions()

    def history(self) -> list[HistoryEntry]:
        """Every change, newest first: draft edits and the store's publishes and rollbacks."""
        entries = [HistoryEntry(e.at, e.author, e.action, e.note) for e in self.drafts.history()]
        entries += [
            HistoryEntry(
                a.at,
                a.author,
                ROLLBACK if a.action == ROLLBACK else LIVE,
                a.note,
                a.version,
                a.previous,
            )
            for a in self.store.audit()
        ]
        return sorted(entries, key=lambda e: e.at, reverse=True)

    # --- drafts --------------------------------------------------------------------------

    def import_file(self, filename: str, data: bytes, by: str) -> tuple[Draft | None, ParseResult]:
        """A new draft from a file. Rows with errors go into the draft as pending rows to fix
        in place (publishing is blocked until none is left); a file that cannot be read as
        a whole (its header, encoding, a broken quote) gives no draft."""
        result = formats.read_data(filename, data, self.zone)
        if not result.ok and not _fixable(result):
            return None, result
        live = self.live()
        name = PurePath(filename).name
        pending = [pending_row(r) for r in result.rejected]
        base = live.version if live else None
        draft = self.drafts.create(name, result.sessions, by, base, pending)
        self.drafts.record("import", draft.id, by, name)
        return draft, result

    def fix_pending(
        self, draft_id: str, based_on: int, row: int, fields: Mapping[str, str], by: str
    ) -> Draft:
        """The pending row, corrected in the form, becomes a session of the draft."""
        draft = self.drafts.get(draft_id)
        target = self.find_pending(draft, row)
        session = parse_session(fields, self.zone)
        rest = [p for p in draft.pending if p.row != row]
        sessions = assign_ids([*draft.sessions, session])
        saved = self.drafts.save(draft_id, sessions, based_on, by, pending=rest)
        self.drafts.record("fix", draft_id, by, f"{target.where} (now “{session.title}”)")
        return saved

    def drop_pending(self, draft_id: str, based_on: int, row: int, by: str) -> Draft:
        draft = self.drafts.get(draft_id)
        target = self.find_pending(draft, row)
        rest = [p for p in draft.pending if p.row != row]
        saved = self.drafts.save(draft_id, draft.sessions, based_on, by, pending=rest)
        self.drafts.record("drop", draft_id, by, f"{target.where} of the imported file")
        return saved

    @staticmethod
    def find_pending(draft: Draft, row: int) -> PendingRow:
        for p in draft.pending:
            if p.row == row:
                return p
        raise SessionNotFound(f"row {row}")

    def start_draft(self, by: str) -> Draft:
        live = self.live()
        name = f"Changes to version {live.version}" if live else "New programme"
        draft = self.drafts.create(
            name, live.sessions if live else (), by, live.version if live else None
        )
        self.drafts.record("start", draft.id, by)
        return draft

    def put_session(
        self,
        draft_id: str,
        based_on: int,
        fields: Mapping[str, str],
        by: str,
        session_id: str | None = None,
    ) -> Draft:
        """Add a session (no `session_id`) or replace one, keeping its id."""
        draft = self.drafts.get(draft_id)
        session = parse_session(fields, self.zone)
        if session_id is None:  # parse_session named it from its title alone: name it anew
            sessions = assign_ids([*draft.sessions, replace(session, id="")])
            session = next(s for s in sessions if s not in draft.sessions)
            action = "add"
        else:
            self._find(draft, session_id)
            session = replace(session, id=session_id)
            sessions = tuple(session if s.id == session_id else s for s in draft.sessions)
            action = "edit"
        saved = self.drafts.save(draft_id, sessions, based_on, by)
        self.drafts.record(action, draft_id, by, f"“{session.title}”")
        return saved

    def set_cancelled(
        self, draft_id: str, based_on: int, session_id: str, cancelled: bool, by: str
    ) -> Draft:
        draft = self.drafts.get(draft_id)
        target = self._find(draft, session_id)
        status = CANCELLED if cancelled else SCHEDULED
        sessions = [replace(s, status=status) if s.id == session_id else s for s in draft.sessions]
        saved = self.drafts.save(draft_id, sessions, based_on, by)
        self.drafts.record("cancel" if cancelled else "restore", draft_id, by, f"“{target.title}”")
        return saved

    def delete_session(self, draft_id: str, based_on: int, session_id: str, by: str) -> Draft:
        draft = self.drafts.get(draft_id)
        target = self._find(draft, session_id)
        sessions = [s for s in draft.sessions if s.id != session_id]
        saved = self.drafts.save(draft_id, sessions, based_on, by)
        self.drafts.record("delete", draft_id, by, f"“{target.title}”")
        return saved

    def discard(self, draft_id: str, by: str) -> None:
        self.drafts.get(draft_id)
        self.drafts.delete(draft_id)
        self.drafts.record("discard", draft_id, by)

    @staticmethod
    def _find(draft: Draft, session_id: str) -> Session:
        for s in draft.sessions:
            if s.id == session_id:
                return s
        raise SessionNotFound(session_id)

    # --- going live ----------------------------------------------------------------------

    def publish(
        self, draft_id: str, based_on: int, base: int | None, note: str, by: str
    ) -> VersionInfo:
        """Publish the draft as it was at revision `based_on`, over live version `base`.

        Raises StaleDraft, NotPublishable or ProgrammeConflict and then changes nothing.
        """
        draft = self.drafts.claim(draft_id, based_on)  # from here no save lands on it
        try:
            pending = errors(self.check(draft))
            if pending:  # rows of an imported file still to fix, and the sessions' own errors
                raise NotPublishable(pending)
            info = self.publish_sessions(draft.sessions, base, by, note)
        except BaseException:
            self.drafts.release(draft_id)
            raise
        self.drafts.delete(draft_id)
        self.drafts.record("publish", draft_id, by, str(info.id))
        return info

    def recover(self, older_than: timedelta = timedelta(minutes=1)) -> None:
        """Finish publishes a crash interrupted: a claimed draft whose sessions are live was
        published (its deletion never ran; a draft that only matched the live programme
        would have changed nothing), any other claimed draft takes edits again."""
        live = self.live()
        live_sessions = sorted(live.sessions, key=lambda s: s.id) if live else None
        for draft in self.drafts.stale_claims(older_than):
            if live_sessions == sorted(draft.sessions, key=lambda s: s.id):
                self.drafts.delete(draft.id)
                self.drafts.record("publish", draft.id, draft.updated_by, "after a restart")
            else:
                self.drafts.release(draft.id)

    def publish_sessions(
        self, sessions: Sequence[Session], base: int | None, by: str, note: str = ""
    ) -> VersionInfo:
        """Publish checked sessions over live version `base`: the one way anything goes live
        (a draft from the pages or the API, a file from the CLI).

        Raises NotPublishable or ProgrammeConflict and then changes nothing.
        """
        blocking = errors(validate(sessions))
        if blocking:
            raise NotPublishable(blocking)
        return self.programme.publish(sessions, base=base, author=by, note=note)

    def rollback(self, version: int, base: int | None, by: str, note: str = "") -> AuditEntry:
        """Make `version` live again over live version `base` (ProgrammeConflict if moved)."""
        return self.programme.rollback(version, base=base, author=by, note=note)
