"""Domain objects as the pages and the JSON API show them (times in the programme's zone)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from skill.programme.editing.desk import LIVE, HistoryEntry, ProgrammeDesk
from skill.programme.editing.drafts import Draft
from skill.programme.editing.validate import Problem
from skill.programme.model import Session
from skill.programme.store import ROLLBACK
from skill.simulator.preview import preview as run_preview
from skill.web.admin.context import AdminContext, admin


def _zone() -> ZoneInfo:
    return ZoneInfo(admin().settings.timezone)


def clock_time(moment: datetime) -> str:
    """ "10:42 on Tue 19 May" in the programme's zone."""
    local = moment.astimezone(_zone())
    return f"{local:%H:%M} on {local:%a} {local.day} {local:%b}"


def day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


def session_view(s: Session) -> dict:
    return {
        **s.to_dict(),
        "day": day(s.date),
        "times": f"{s.start:%H:%M}–{s.end:%H:%M}",
        "cancelled": s.cancelled,
    }


def problem_view(p: Problem) -> dict:
    return {
        "message": p.message,
        "session_id": p.session_id,
        "field": p.field,
        "blocking": p.blocking,
    }


def draft_summary(d: Draft) -> dict:
    return {
        "id": d.id,
        "name": d.name,
        "revision": d.revision,
        "base_version": d.base_version,
        "session_count": len(d.sessions),
        "updated_by": d.updated_by,
        "updated_at": d.updated_at.isoformat(),
        "updated": clock_time(d.updated_at),
    }


def home(desk: ProgrammeDesk) -> dict:
    live = desk.live()
    info = None
    if live is not None and live.version is not None:
        info = next((v for v in desk.versions() if v.id == live.version), None)
    return {
        "live": live,
        "live_info": info,
        "live_when": clock_time(info.published_at) if info else "",
        "drafts": [draft_summary(d) for d in desk.drafts.list()],
    }


def draft(desk: ProgrammeDesk, d: Draft) -> dict:
    live = desk.live()
    problems = desk.check(d)
    by_session: dict[str, list[Problem]] = {}
    for p in problems:
        by_session.setdefault(p.session_id or "", []).append(p)
    return {
        "draft": d,
        "summary": draft_summary(d),
        "sessions": [{**session_view(s), "problems": by_session.get(s.id, [])} for s in d.sessions],
        "errors": [p for p in problems if p.blocking],
        "warnings": [p for p in problems if not p.blocking],
        "changes": [c.describe() for c in desk.changes(d.sessions, live)],
        "live_version": live.version if live else None,
    }


def versions(desk: ProgrammeDesk) -> dict:
    live = desk.live()
    live_id = live.version if live else None
    rows = []
    for info in desk.versions():
        changes = [] if info.id == live_id else desk.changes(desk.store.get(info.id).sessions, live)
        rows.append(
            {
                "id": info.id,
                "published_at": info.published_at.isoformat(),
                "published": clock_time(info.published_at),
                "author": info.author,
                "note": info.note,
                "session_count": info.session_count,
                "live": info.id == live_id,
                # Read as "making this version live would…"
                "changes": [c.describe() for c in changes],
            }
        )
    return {"versions": rows, "live_version": live_id}


DRAFT_ACTIONS = {
    "import": "Imported {note} as a new draft",
    "start": "Started a draft from the live programme",
    "add": "Added {note} to a draft",
    "edit": "Edited {note} in a draft",
    "cancel": "Marked {note} as cancelled in a draft",
    "restore": "Restored {note} in a draft",
    "delete": "Deleted {note} from a draft",
    "discard": "Discarded a draft",
    "publish": "Published a draft as version {note}",
    "fix": "Fixed {note} in a draft",
    "drop": "Deleted {note} from a draft",
}


def history_sentence(e: HistoryEntry) -> str:
    if e.action == ROLLBACK:
        what = f"Rolled back to version {e.version} (version {e.previous} was live)"
    elif e.action == LIVE:
        what = f"Version {e.version} went live"
    else:
        return DRAFT_ACTIONS.get(e.action, e.action).format(note=e.note)
    return what + (f": {e.note}" if e.note else "")


def history(desk: ProgrammeDesk) -> list[dict]:
    return [
        {
            "at": e.at.isoformat(),
            "when": clock_time(e.at),
            "author": e.author,
            "what": history_sentence(e),
        }
        for e in desk.history()
    ]


def _default_moment(ctx: AdminContext, d: Draft) -> datetime:
    """Now, if the draft's programme is running; otherwise 09:00 on its first day."""
    zone = _zone()
    now = ctx.services.clock().astimezone(zone)
    days = sorted({s.date for s in d.sessions})
    if not days or days[0] <= now.date() <= days[-1]:
        return now.replace(second=0, microsecond=0)
    return datetime.combine(days[0], time(9, 0), zone)


def preview(ctx: AdminContext, d: Draft, args: Mapping[str, str]) -> dict:
    """The preview form's values and the skill's answers at the chosen moment."""
    zone = _zone()
    default = _default_moment(ctx, d)
    error = None
    try:
        on = date.fromisoformat(args.get("date") or default.date().isoformat())
        at = time.fromisoformat(args.get("time") or default.strftime("%H:%M"))
        moment = datetime.combine(on, at, zone)
    except ValueError:
        error = "Enter a date like 2026-05-19 and a time like 10:30."
        moment = default
    session_id = args.get("session") or (d.sessions[0].id if d.sessions else "")
    programme = ctx.desk.snapshot(d.sessions)
    answers = run_preview(ctx.settings, programme, moment, session_id or None)
    return {
        "date": moment.date().isoformat(),
        "time": moment.strftime("%H:%M"),
        "moment": f"{moment:%H:%M} on {moment:%A} {moment.day} {moment:%B}",
        "tomorrow": day(moment.date() + timedelta(days=1)),
        "session_id": session_id,
        "choices": [(s.id, f"{s.title} ({day(s.date)} {s.start:%H:%M})") for s in d.sessions],
        "answers": [{"question": a.question, "text": a.text, "ssml": a.ssml} for a in answers],
        "error": error,
    }


def model_push(data_dir: Path) -> str:
    """From when one-shot requests ("Alexa, ask … when is …") recognise the live titles."""
    from skill.model.push import last_push

    pushed = last_push(data_dir)
    finished = pushed.get("finished_at") if pushed else None
    if not pushed or not isinstance(finished, str):
        return (
            "New titles are recognised once someone opens the skill. One-shot requests "
            "recognise them after `voice-demo model push` (not run yet)."
        )
    try:
        when = clock_time(datetime.fromisoformat(finished))
    except ValueError:
        when = finished
    version = pushed.get("programme_version")
    return (
        f"One-shot requests recognise the titles of version {version} since {when}. "
        "Later versions' titles are recognised once the next push has built."
    )
