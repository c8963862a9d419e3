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


def _directory(settings: Settings) -> Any:
    from skill.homes.setup import homes_for

    return homes_for(settings).directory


def run_link(args: argparse.Namespace) -> int:
    from skill.smarthome.homes import DEFAULT_HOME

    sub = args.account.strip()
    if not sub:
        raise skill.cli.CommandError("--account needs the login's sub (admin-get-user shows it)")
    from skill.homes.model import HomeError

    home = args.home or DEFAULT_HOME
    directory = _directory(Settings.from_env())
    try:
        found = directory.home(home)
        directory.link_account(found.id, sub)
    except HomeError as exc:
        raise skill.cli.CommandError(f"no home {home!r}: {exc}") from None
    print(f"linked {sub} to home {found.id}")
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    sub = args.account.strip()
    _directory(Settings.from_env()).unlink_account(sub)
    print(f"unlinked {sub}")
    return 0
