"""`voice-demo programme diff|preview`: the admin pages' review steps for the command line.

A file (or a published version) is compared with the live programme in words, or run
through the real skill at a chosen moment, before anyone publishes it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from skill.cli.errors import CommandError
from skill.programme import formats
from skill.programme.editing.diff import diff
from skill.programme.editing.validate import Problem, errors, validate
from skill.programme.formats.result import ParseResult
from skill.programme.programme import Programme
from skill.programme.service import open_store
from skill.programme.store import StoreError
from skill.settings import Settings


def register_actions(actions) -> None:
    """Adds to the `programme` command's actions (see skill/cli/programme.py)."""
    d = actions.add_parser("diff", help="what a file or version would change, in words")
    d.add_argument("source", help="a programme file (.csv, .ics) or a version number")
    d.set_defaults(run=run_diff)

    p = actions.add_parser("preview", help="what the skill would say with a file or version")
    p.add_argument("source", help="a programme file (.csv, .ics) or a version number")
    p.add_argument("--at", default=None, help='the moment to pretend it is: "2026-05-19 10:40"')
    p.add_argument("--session", default=None, help="a title for “tell me about …”")
    p.set_defaults(run=run_preview)


def report(problems: list[Problem]) -> bool:
    """Print problems (stderr); True when any blocks publishing."""
    for p in problems:
        print(f"  {'error' if p.blocking else 'warning'}: {p.message}", file=sys.stderr)
    return bool(errors(problems))


def findings(result: ParseResult) -> None:
    """How the file was read and what was skipped or shortened (stderr), before any errors."""
    for note in result.notes:
        print(f"  {note}", file=sys.stderr)
    for warning in result.warnings:
        print(f"  warning: {warning}", file=sys.stderr)


def _load(source: str, settings: Settings) -> Programme:
    if source.isdigit():
        try:
            return open_store(settings).get(int(source))
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
    result = formats.read_file(Path(source), settings.timezone)
    findings(result)
    if not result.ok:
        for error in result.errors:
            print(f"  {error}", file=sys.stderr)
        raise CommandError(f"{source}: the file has problems (see above)")
    report(validate(result.sessions))
    return Programme(result.sessions, zone=settings.timezone)


def run_diff(args) -> int:
    settings = Settings.from_env()
    target = _load(args.source, settings)
    try:
        live = open_store(settings).live()
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    changes = diff(live.sessions if live else (), target.sessions)
    against = f"version {live.version}" if live else "an empty programme"
    if not changes:
        print(f"No differences from the live programme ({against}).")
    for change in changes:
        print(change.describe())
    return 0


def run_preview(args) -> int:
    from skill.simulator.preview import preview  # builds the real skill: only load it when asked

    settings = Settings.from_env()
    programme = _load(args.source, settings)
    zone = ZoneInfo(settings.timezone)
    try:
        at = datetime.fromisoformat(args.at).replace(tzinfo=zone) if args.at else None
    except ValueError as exc:
        raise CommandError(f'--at: give a moment like "2026-05-19 10:40" ({exc})') from exc
    at = at or datetime.now(zone)
    session_id = None
    if args.session:
        found, _ = programme.find(args.session)
        if not found:
            raise CommandError(f"no session matches {args.session!r}")
        session_id = found[0].id
    elif programme.sessions:
        session_id = programme.sessions[0].id
    print(f"At {at:%H:%M} on {at:%A} {at.day} {at:%B %Y}:")
    for answer in preview(settings, programme, at, session_id):
        print(f"\nYou: {answer.question}\nAlexa: {answer.text}")
    return 0
