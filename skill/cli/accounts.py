"""`voice-demo accounts …`: named admin accounts (editor | ot | admin) and an OT's homes."""

from __future__ import annotations

import argparse
import getpass
import sys

from skill.cli.errors import CommandError
from skill.cli.homes import open_homes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("accounts", help="admin accounts: add, remove, password, assign homes")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account (prompts for its password)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["editor", "ot", "admin"])
    add.set_defaults(run=run_add)
    listing = actions.add_parser("list", help="list accounts, roles and an OT's homes")
    listing.set_defaults(run=run_list)
    remove = actions.add_parser("remove", help="remove an account")
    remove.add_argument("name")
    remove.set_defaults(run=run_remove)
    password = actions.add_parser("password", help="set an account's password (prompts)")
    password.add_argument("name")
    password.set_defaults(run=run_password)
    assign = actions.add_parser("assign", help="give an OT a home to look after")
    assign.add_argument("name")
    assign.add_argument("home", help="the home's id or label")
    assign.add_argument("--remove", action="store_true", help="take the home away instead")
    assign.set_defaults(run=run_assign)


def _ask_password() -> str:
    """Twice from the terminal; one line from stdin when it isn't one (scripts, tests)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise CommandError("the two passwords differ; nothing was changed")
    return first


def _run(action) -> int:
    from skill.homes import HomeError

    try:
        action()
    except HomeError as exc:
        raise CommandError(str(exc)) from exc
    return 0


def run_add(args: argparse.Namespace) -> int:
    homes = open_homes()
    if homes.accounts.get(args.name) is not None:
        raise CommandError(f"there is already an account called {args.name!r}")
    password = _ask_password()
    code = _run(lambda: homes.accounts.add(args.name, args.role, password))
    print(f"added {args.name} ({args.role})")
    return code


def run_list(args: argparse.Namespace) -> int:
    homes = open_homes()
    labels = {h.id: h.label for h in homes.directory.homes()}
    for account in homes.accounts.all():
        looked_after = ", ".join(sorted(labels.get(h, h) for h in account.homes))
        print(f"{account.name}\t{account.role.value}\t{looked_after}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    homes = open_homes()
    code = _run(lambda: homes.accounts.remove(args.name))
    print(f"removed {args.name}")
    return code


def run_password(args: argparse.Namespace) -> int:
    homes = open_homes()
    if homes.accounts.get(args.name) is None:
        raise CommandError(f"there is no account called {args.name!r}")
    password = _ask_password()
    code = _run(lambda: homes.accounts.set_password(args.name, password))
    print(f"changed the password of {args.name}; their open sessions have ended")
    return code


def run_assign(args: argparse.Namespace) -> int:
    homes = open_homes()
    home = homes.directory.find(args.home)
    if home is None:
        raise CommandError(f"there is no home {args.home!r}")
    code = _run(lambda: homes.accounts.assign(args.name, home.id, not args.remove))
    verb = "no longer looks after" if args.remove else "now looks after"
    print(f"{args.name} {verb} {home.label}")
    return code
