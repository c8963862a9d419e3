"""`voice-demo trial …`: the OT trial log from a terminal (export, delete a person, purge).

Works whether or not recording is switched on, so a finished trial can still be exported
and cleared. USER_ID is an Alexa user id or the hashed id the admin page shows.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import skill.cli
from skill.clock import utc_now
from skill.settings import Settings


def register(sub) -> None:
    p = sub.add_parser("trial", help="the OT trial log: export, delete a person, purge")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write entries as CSV (FILE, or - for stdout)")
    export.add_argument("file")
    export.add_argument("--user", help="only this person (Alexa user id or hashed id)")
    export.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD")
    export.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD")
    export.set_defaults(run=run_export)
    delete = actions.add_parser("delete-user", help="delete every entry for one person")
    delete.add_argument("user_id")
    delete.set_defaults(run=run_delete_user)
    purge = actions.add_parser("purge", help="delete entries older than the retention period")
    purge.set_defaults(run=run_purge)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day like 2026-05-19") from None


def user_key(settings: Settings, user: str) -> str:
    from skill.triallog.hashing import looks_hashed, user_hasher

    return user if looks_hashed(user) else user_hasher(settings)(user)


def run_export(args) -> int:
    from skill.triallog import open_store, report

    settings = Settings.from_env()
    if args.start and args.end and args.start > args.end:
        raise skill.cli.CommandError("--from is after --to")
    user = user_key(settings, args.user) if args.user else None
    entries = open_store(settings).entries(args.start, args.end, user)
    from zoneinfo import ZoneInfo

    # The install's time zone; people's labels live with their homes (the admin pages).
    text = report.to_csv(entries, report.Names(ZoneInfo(settings.timezone)))
    if args.file == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise skill.cli.CommandError(f"cannot write {args.file}: {exc.strerror}") from None
        print(f"Wrote {len(entries)} entries to {args.file}.")
    return 0


def run_delete_user(args) -> int:
    from skill.triallog import open_store

    settings = Settings.from_env()
    user = user_key(settings, args.user_id.strip())
    count = open_store(settings).delete_user(user)
    print(f"Deleted {count} entries for user {user}.")
    return 0


def run_purge(args) -> int:
    from skill.triallog import open_store

    settings = Settings.from_env()
    cutoff = utc_now() - timedelta(days=max(1, settings.trial_retention_days))
    count = open_store(settings).purge(cutoff)
    print(f"Purged {count} entries older than {settings.trial_retention_days} days.")
    return 0
