"""`voice-demo programme …`: import, export, list and roll back published programmes.

Works on whichever store the settings name (SQLite in the data folder, or DynamoDB with
VOICE_DEMO_STORE=dynamodb), so the same commands publish for the stand and for Lambda.
A file with any error publishes nothing: every problem is listed and the exit status
is non-zero.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from skill.cli import programme_review
from skill.cli.errors import CommandError
from skill.clock import utc_now
from skill.programme import formats
from skill.programme.editing.desk import NotPublishable, ProgrammeDesk
from skill.programme.editing.validate import validate
from skill.programme.service import ProgrammeService, open_store
from skill.programme.store import (
    ProgrammeConflict,
    ProgrammeStore,
    StoreError,
    VersionNotFound,
)
from skill.settings import Settings


def register(sub) -> None:
    p = sub.add_parser("programme", help="import, export, list and roll back programme versions")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    imp = actions.add_parser("import", help="check a programme file; --publish makes it live")
    imp.add_argument("file", type=Path, help=f"programme file ({', '.join(formats.READERS)})")
    imp.add_argument("--publish", action="store_true", help="publish it as a new live version")
    imp.add_argument("--note", default="", help="why (shown in `programme versions`)")
    imp.add_argument("--author", default=None, help="who (default: your login name)")
    imp.set_defaults(run=run_import)

    exp = actions.add_parser("export", help="write the live (or a given) version to a file")
    exp.add_argument("file", help="output file (.csv), or - for standard output")
    exp.add_argument("--version", type=int, default=None, help="a version id (default: live)")
    exp.set_defaults(run=run_export)

    ver = actions.add_parser("versions", help="list published versions, newest first")
    ver.set_defaults(run=run_versions)

    back = actions.add_parser("rollback", help="make an earlier version live again")
    back.add_argument("version", type=int)
    back.add_argument("--note", default="", help="why (kept in the audit log)")
    back.add_argument("--author", default=None, help="who (default: your login name)")
    back.set_defaults(run=run_rollback)

    programme_review.register_actions(actions)


def _author(args) -> str:
    if args.author:
        return args.author
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _store(settings: Settings) -> ProgrammeStore:
    try:
        return open_store(settings)
    except (StoreError, ValueError, OSError) as exc:
        raise CommandError(f"cannot open the programme store: {exc}") from exc


def _desk(settings: Settings) -> ProgrammeDesk:
    """The same desk the admin pages use, so the CLI publishes and rolls back the same way."""
    programme = ProgrammeService(_store(settings), zone=settings.timezone, ttl_s=0)
    return ProgrammeDesk.open(programme, settings.data_dir, settings.timezone, utc_now)


def run_import(args) -> int:
    settings = Settings.from_env()
    result = formats.read_file(args.file, settings.timezone)
    programme_review.findings(result)
    if not result.ok:
        for error in result.errors:
            print(f"  {error}", file=sys.stderr)
        count = len(result.errors)
        raise CommandError(
            f"{args.file}: {count} problem{'s' if count != 1 else ''}; nothing was published"
        )
    if programme_review.report(validate(result.sessions)):
        raise CommandError(f"{args.file}: the programme has errors; nothing was published")
    count = len(result.sessions)
    if not args.publish:
        print(
            f"{args.file}: {count} sessions, no problems. Nothing was published "
            "(add --publish to make it live)."
        )
        return 0
    desk = _desk(settings)
    try:
        base = desk.store.live_version_id()
        info = desk.publish_sessions(result.sessions, base, _author(args), args.note)
    except NotPublishable as exc:  # checked above; kept for a programme changed meanwhile
        raise CommandError(f"{args.file}: the programme has errors; nothing was published") from exc
    except ProgrammeConflict as exc:
        raise CommandError(f"{exc}. Nothing was published; run the import again.") from exc
    except StoreError as exc:
        raise CommandError(f"nothing was published: {exc}") from exc
    print(f"Published version {info.id} ({info.session_count} sessions); it is live now.")
    _update_voice_model(settings)
    _update_reminders(settings, info.id)
    return 0


def run_export(args) -> int:
    settings = Settings.from_env()
    suffix = ".csv" if args.file == "-" else Path(args.file).suffix.lower()
    writer = formats.WRITERS.get(suffix)
    if writer is None:
        raise CommandError(
            f"cannot write {suffix or 'that'} files (use {', '.join(formats.WRITERS)})"
        )
    store = _store(settings)
    try:
        version = args.version if args.version is not None else store.live_version_id()
        if version is None:
            raise CommandError("nothing has been published yet")
        programme = store.get(version)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    text = writer(programme.sessions)
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"Wrote version {version} ({len(programme)} sessions) to {args.file}.")
    return 0


def run_versions(args) -> int:
    settings = Settings.from_env()
    store = _store(settings)
    try:
        live, versions = store.live_version_id(), store.versions()
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    if not versions:
        print("No versions have been published yet.")
        return 0
    zone = ZoneInfo(settings.timezone)
    rows = [("", "version", "published", "by", "sessions", "note")]
    for v in versions:
        when = v.published_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        mark = "live" if v.id == live else ""
        rows.append((mark, str(v.id), when, v.author, str(v.session_count), v.note))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())
    return 0


def run_rollback(args) -> int:
    settings = Settings.from_env()
    desk = _desk(settings)
    try:
        live = desk.store.live_version_id()
        if live == args.version:
            print(f"Version {args.version} is already live.")
            return 0
        desk.rollback(args.version, live, _author(args), args.note)
    except VersionNotFound as exc:
        raise CommandError(f"{exc} (see `voice-demo programme versions`)") from exc
    except ProgrammeConflict as exc:
        raise CommandError(f"{exc}. Nothing changed; check the versions and try again.") from exc
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Version {args.version} is live again (it replaced version {live}).")
    _update_voice_model(settings)
    _update_reminders(settings, args.version)
    return 0


def _update_voice_model(settings: Settings) -> None:
    """As the admin pages do after a publish: the development model learns the live titles
    (when SMAPI is configured), so one-shot requests recognise them. The CLI waits for it."""
    from skill.cli.model import push_live
    from skill.model.push import PushSettings

    if not PushSettings.configured(os.environ):
        return
    print("Sending the live session names to the development voice model…")
    try:
        push_live(settings)
    except CommandError as exc:
        print(
            f"warning: the programme is live, but the voice model was not updated: {exc}. "
            "Run `voice-demo model push` to try again.",
            file=sys.stderr,
        )


def _update_reminders(settings: Settings, version: int | None) -> None:
    """Ask Alexa to bring visitors' reminders in step (Skill Messaging), and say so; silent
    when nobody has a reminder and messaging is not set up."""
    from skill.reminders.publish import notify
    from skill.services import open_reminders

    try:
        reminders = open_reminders(settings)
        if reminders.messenger is None and not reminders.store.users():
            return
    except Exception as exc:  # noqa: BLE001 - the publish stands whatever happens here
        print(f"Reminders were not checked: {exc.__class__.__name__}.", file=sys.stderr)
        return
    print(notify(reminders, version))
