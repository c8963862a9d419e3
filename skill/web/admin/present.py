"""Domain objects as the pages and the JSON API show them (times in the programme's zone)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from skill.programme.editing.desk import LIVE, HistoryEntry, ProgrammeDesk
from skill.programme.editing.diff import Change, Comparison
from skill.programme.editing.drafts import Draft
from skill.programme.editing.validate import Problem
from skill.programme.model import Session
from skill.programme.service import SEED_AUTHOR
from skill.programme.store import ROLLBACK, VersionInfo
from skill.simulator.preview import Answer
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


CLI_AUTHOR = "cli"  # the CLI records "cli:<login name>" (skill/cli/programme.py)


def who(author: str) -> str:
    """An author as an officer reads it: no "seed" or "cli:root"."""
    if author == SEED_AUTHOR:
        return "Set up at install"
    name = author.removeprefix(f"{CLI_AUTHOR}:") if author.startswith(f"{CLI_AUTHOR}:") else None
    if author == CLI_AUTHOR or name in ("", "root"):
        return "The command line"
    if name is not None:
        return f"{name}, from the command line"
    return author


def published_by(author: str) -> str:
    """ "published by Priya", "set up at install with the demo programme", …"""
    if author == SEED_AUTHOR:
        return "set up at install with the demo programme"
    if who(author) == "The command line":
        return "published from the command line"
    return f"published by {who(author)}"


def published_line(info: VersionInfo) -> str:
    """ "Published by Priya at 10:42 on Tue 19 May." """
    phrase = published_by(info.author)
    return f"{phrase[0].upper()}{phrase[1:]} at {clock_time(info.published_at)}."


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


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
        "live_line": published_line(info) if info else "",
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
        "counts": desk.compare(d.sessions, live).counts(),
        "live_version": live.version if live else None,
    }


def change_view(c: Change) -> dict:
    s = c.session
    return {
        "session_id": s.id,
        "title": s.title,
        "day": day(s.date),
        "times": f"{s.start:%H:%M}–{s.end:%H:%M}",
        "room": s.room,
        "details": list(c.details),
        "text": c.describe(),
    }


def comparison_view(cmp: Comparison, doing: str = "Publishing") -> dict:
    """The counts, the sentence and the grouped lists: one shape for the pages and the API."""
    warning = ""
    if cmp.removes_more_than_it_keeps:
        warning = (
            f"This removes {plural(len(cmp.removed), 'session')} of the "
            f"{cmp.before} in the live programme and keeps only {cmp.kept}. "
            "Visitors will no longer hear about the removed sessions. "
            "Check that this is what you mean."
        )
    return {
        "counts": cmp.counts(),
        "sentence": cmp.sentence(doing),
        "removes_more_than_it_keeps": cmp.removes_more_than_it_keeps,
        "warning": warning,
        "added": [change_view(c) for c in cmp.added],
        "changed": [change_view(c) for c in cmp.changed],
        "removed": [change_view(c) for c in cmp.removed],
    }


def publish_check(desk: ProgrammeDesk, d: Draft) -> dict:
    """What publishing the draft would do to the live programme (the "check" page)."""
    live = desk.live()
    problems = desk.check(d)
    return {
        "draft": d,
        "summary": draft_summary(d),
        "live_version": live.version if live else None,
        "errors": [p for p in problems if p.blocking],
        **comparison_view(desk.compare(d.sessions, live)),
    }


def _info(desk: ProgrammeDesk, version: int) -> VersionInfo | None:
    return next((v for v in desk.versions() if v.id == version), None)


def rollback_check(desk: ProgrammeDesk, version: int) -> dict:
    """What making `version` live again would do, said exactly (the confirmation page)."""
    target = desk.store.get(version)  # VersionNotFound: refusals.py
    live = desk.live()
    info = _info(desk, version)
    live_id = live.version if live else None
    what = f"Version {version}"
    if info is not None:
        what += (
            f" ({plural(info.session_count, 'session')}, {published_by(info.author)}"
            f" at {clock_time(info.published_at)})"
        )
    if live_id is None:
        plan = f"{what} will become the live programme."
    elif live_id == version:
        plan = f"Version {version} is already the live programme."
    else:
        plan = f"{what} will replace version {live_id} as the live programme."
    return {
        "version": version,
        "live_version": live_id,
        "is_live": live_id == version,
        "plan": plan,
        **comparison_view(desk.compare(target.sessions, live), f"Making version {version} live"),
    }


def versions(desk: ProgrammeDesk) -> dict:
    live = desk.live()
    live_id = live.version if live else None
    rows = []
    for info in desk.versions():
        changes: list[str] = []
        counts = None
        if info.id != live_id:
            sessions = desk.store.get(info.id).sessions
            changes = [c.describe() for c in desk.changes(sessions, live)]
            counts = desk.compare(sessions, live).counts()
        rows.append(
            {
                "id": info.id,
                "published_at": info.published_at.isoformat(),
                "published": clock_time(info.published_at),
                "author": info.author,
                "by": who(info.author),
                "published_line": published_line(info),
                "note": info.note,
                "session_count": info.session_count,
                "live": info.id == live_id,
                # Read as "making this version live would…"
                "changes": changes,
                "counts": counts,
            }
        )
    return {"versions": rows, "live_version": live_id}


DRAFT_ACTIONS = {
    "import": "Imported {note} as a new draft",
    "start": "Started a draft from the live programme",
    "add": "Added {note} to a draft",
    "edit": "Edited {note} in a draft",
    "cancel": "Marked {note} as cancelled in a draft",
    "restore": "Marked {note} as on again in a draft",
    "delete": "Deleted {note} from a draft",
    "discard": "Discarded a draft",
    "publish": "Published a draft as version {note}",
    "fix": "Fixed {note} in a draft",
    "drop": "Deleted {note} from a draft",
}


def history_sentence(e: HistoryEntry) -> str:
    if e.action == ROLLBACK:
        what = f"Made version {e.version} live again in place of version {e.previous}"
        return what + (f". Reason: {e.note}" if e.note else "")
    if e.action == LIVE:
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
            "who": who(e.author),
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
    typed = {
        "date": (args.get("date") or default.date().isoformat()).strip(),
        "time": (args.get("time") or default.strftime("%H:%M")).strip(),
    }
    errors: dict[str, str] = {}
    on, at = default.date(), default.time()
    try:
        on = date.fromisoformat(typed["date"])
    except ValueError:
        errors["date"] = "Enter the day to pretend it is as a real date, like 2026-05-19."
    try:
        at = time.fromisoformat(typed["time"])
    except ValueError:
        errors["time"] = "Enter the time to pretend it is in 24-hour time, like 10:30."
    moment = datetime.combine(on, at, zone)
    error = next(iter(errors.values()), None)  # the API answers with the first
    session_id = args.get("session") or (d.sessions[0].id if d.sessions else "")
    programme = ctx.desk.snapshot(d.sessions)
    answers = run_preview(ctx.settings, programme, moment, session_id or None)
    return {
        "date": typed["date"] if "date" in errors else moment.date().isoformat(),
        "time": typed["time"] if "time" in errors else moment.strftime("%H:%M"),
        "errors": errors,
        "moment": f"{moment:%H:%M} on {moment:%A} {moment.day} {moment:%B}",
        "tomorrow": day(moment.date() + timedelta(days=1)),
        "session_id": session_id,
        "choices": [(s.id, f"{s.title} ({day(s.date)} {s.start:%H:%M})") for s in d.sessions],
        "answers": [
            {"question": a.question, "text": a.text, "ssml": a.ssml, "where": a.where or ABOUT}
            for a in answers
        ],
        "groups": _grouped(answers),
        "error": error,
    }


ABOUT = "About this draft"


def _grouped(answers: list[Answer]) -> list[tuple[str, list[Answer]]]:
    """Answers under their headings, in the order asked: the draft's, the stand's, the card's."""
    groups: dict[str, list[Answer]] = {}
    for a in answers:
        groups.setdefault(a.where or ABOUT, []).append(a)
    return list(groups.items())


def model_push(data_dir: Path) -> str:
    """From when one-shot requests ("Alexa, ask … when is …") recognise the live titles."""
    from skill.model.push import last_push

    pushed = last_push(data_dir)
    finished = pushed.get("finished_at") if pushed else None
    if not pushed or not isinstance(finished, str):
        return (
            "New titles are understood as soon as someone opens the skill. Asked in one go "
            "(“Alexa, ask … when is …”), they are understood only once the voice model is "
            "updated after each publish: ask the person who runs the server to set that up."
        )
    try:
        when = clock_time(datetime.fromisoformat(finished))
    except ValueError:
        when = finished
    version = pushed.get("programme_version")
    return (
        f"Asked in one go (“Alexa, ask … when is …”), the titles of version {version} are "
        f"understood since {when}. A newer version's titles follow a few minutes after it "
        "is published."
    )


def card(ctx: AdminContext) -> dict:
    """The "things you can say" card, its sessions taken from the live programme."""
    from markupsafe import Markup

    from skill.model.card import card_html
    from skill.model.suggest import card_for

    live = ctx.desk.live()
    titles = [s.title for s in live.sessions if not s.cancelled] if live else []
    made = card_for(titles)
    return {"card_html": Markup(card_html(made)), "version": live.version if live else None}
