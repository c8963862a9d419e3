"""`voice-demo smarthome …`: link a home's Cognito login to its home (docs/smart-home.md).

Until the homes command (`voice-demo homes link HOME --account SUB`) lands, this deployment's
one registry is the home `stand`; the link lives in the state store (SQLite locally, the
DynamoDB state table with VOICE_DEMO_STORE=dynamodb).
"""

from __future__ import annotations

import argparse
from typing import Any

import skill.cli
from skill.settings import Settings
from skill.storage.state import StateStore


def register(sub: Any) -> None:
    p = sub.add_parser("smarthome", help="the smart-home skill: link a login to its home")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    link = actions.add_parser("link", help="let a Cognito login (its sub) reach a home")
    link.add_argument("--account", required=True, metavar="SUB", help="the login's sub")
    link.add_argument("--home", default=None, help="the home (this deployment has: stand)")
    link.set_defaults(run=run_link)
    unlink = actions.add_parser("unlink", help="the login reaches no home any more")
    unlink.add_argument("--account", required=True, metavar="SUB")
    unlink.set_defaults(run=run_unlink)


def _state(settings: Settings) -> StateStore:
    if settings.store == "dynamodb":
        from skill.storage.dynamodb import dynamodb_state_store

        return dynamodb_state_store(settings)
    from skill.storage.state import SqliteStateStore

    return SqliteStateStore(settings.data_dir / "state.sqlite3")


def run_link(args: argparse.Namespace) -> int:
    from skill.smarthome.homes import DEFAULT_HOME, link_account

    sub = args.account.strip()
    if not sub:
        raise skill.cli.CommandError("--account needs the login's sub (admin-get-user shows it)")
    home = args.home or DEFAULT_HOME
    if home != DEFAULT_HOME:
        raise skill.cli.CommandError(f"no home {home!r}: this deployment has one, {DEFAULT_HOME!r}")
    link_account(_state(Settings.from_env()), sub, home)
    print(f"linked {sub} to home {home}")
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    from skill.smarthome.homes import unlink_account

    sub = args.account.strip()
    unlink_account(_state(Settings.from_env()), sub)
    print(f"unlinked {sub}")
    return 0
