"""`voice-demo homes …`: homes, their devices (YAML import/export) and linked speakers.

HOME is a home's id or its label. What the admin pages do, for operators at a terminal.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from skill.cli.errors import CommandError
from skill.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("homes", help="homes: add, list, remove; devices; link speakers")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    add = actions.add_parser("add", help="add a home (prints its id)")
    add.add_argument("label", help="a label you choose, e.g. 'Trial home A' (no real names)")
    add.add_argument("--time-zone", default=None, help="e.g. Europe/London (the default)")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", help="list homes with their devices and speakers")
    listing.set_defaults(run=run_list)

    remove = actions.add_parser("remove", help="remove a home, its devices and speaker links")
    remove.add_argument("home")
    remove.set_defaults(run=run_remove)

    devices = actions.add_parser("devices", help="a home's device registry as YAML")
    what = devices.add_subparsers(dest="what", required=True, metavar="ACTION")
    imp = what.add_parser("import", help="replace the home's devices from FILE.yaml")
    imp.add_argument("home")
    imp.add_argument("file", type=Path)
    imp.set_defaults(run=run_import)
    exp = what.add_parser("export", help="write the home's devices to FILE.yaml (- for stdout)")
    exp.add_argument("home")
    exp.add_argument("file")
    exp.set_defaults(run=run_export)

    link = actions.add_parser("link", help="link a speaker (or an account) to a home")
    link.add_argument("home")
    target = link.add_mutually_exclusive_group(required=True)
    target.add_argument("--speaker", metavar="DEVICE_ID", help="an Echo's deviceId")
    target.add_argument("--account", metavar="SUB", help="a Cognito user's sub (smart home)")
    link.set_defaults(run=run_link)

    unlink = actions.add_parser("unlink", help="unlink a speaker from its home")
    unlink.add_argument("--speaker", metavar="DEVICE_ID", required=True)
    unlink.set_defaults(run=run_unlink)


def open_homes():
    """The homes for this machine's settings, or a CommandError saying what is wrong."""
    from skill.devices.errors import RegistryError
    from skill.homes.setup import homes_for

    try:
        return homes_for(Settings.from_env())
    except (RegistryError, ValueError) as exc:
        raise CommandError(str(exc)) from exc


def _telling_alexa(homes) -> Callable[[], None]:
    """With the smart-home skill's LWA client set, device edits here reach the Alexa app
    too (Discovery reports); returns what to call before exiting to send them."""
    settings = Settings.from_env()
    if not (settings.lwa_client_id and settings.lwa_client_secret):
        return lambda: None
    from skill.services import open_state
    from skill.smarthome import build_for
    from skill.smarthome.homes import DirectoryHomes

    smart_home = build_for(settings, DirectoryHomes(homes.directory), open_state(settings))
    homes.directory.on_registry_change(smart_home.registry_changed)

    def send() -> None:
        if not smart_home.flush(10):
            print("warning: the Alexa app was not told yet; it learns at its next discovery")
        smart_home.close()

    return send


def _home(homes, ref: str):
    found = homes.directory.find(ref)
    if found is None:
        known = ", ".join(f"{h.label} ({h.id})" for h in homes.directory.homes()) or "none yet"
        raise CommandError(f"there is no home {ref!r} (homes: {known})")
    return found


def run_add(args: argparse.Namespace) -> int:
    from skill.homes import HomeError

    homes = open_homes()
    try:
        home = homes.directory.add_home(args.label, args.time_zone)
    except HomeError as exc:
        raise CommandError(str(exc)) from exc
    print(home.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    homes = open_homes()
    d = homes.directory
    for home in d.homes():
        devices = d.devices_for_home(home.id).registry
        names = ", ".join(device.name for device in devices) or "no devices"
        speakers = len(d.speakers(home.id))
        print(f"{home.id}\t{home.label}\t{home.time_zone}\t{names}\t{speakers} speaker(s)")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    homes = open_homes()
    home = _home(homes, args.home)
    send = _telling_alexa(homes)
    homes.directory.remove_home(home.id)
    send()
    print(f"removed {home.label} ({home.id})")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from skill.devices.errors import RegistryError

    homes = open_homes()
    home = _home(homes, args.home)
    try:
        text = args.file.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{args.file}: can't read it ({exc.strerror})") from exc
    send = _telling_alexa(homes)
    try:
        registry = homes.directory.import_registry(home.id, text, str(args.file))
    except RegistryError as exc:
        raise CommandError(f"{exc} (nothing was changed)") from exc
    send()
    print(f"{home.label}: {len(registry)} device(s) from {args.file}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    homes = open_homes()
    home = _home(homes, args.home)
    text = homes.directory.registry_text(home.id)
    if args.file == "-":
        print(text, end="")
    else:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{args.file}: can't write it ({exc.strerror})") from exc
    return 0


def run_link(args: argparse.Namespace) -> int:
    from skill.homes import HomeError

    homes = open_homes()
    home = _home(homes, args.home)
    try:
        if args.speaker is not None:
            homes.directory.link_speaker(home.id, args.speaker)
        else:
            homes.directory.link_account(home.id, args.account)
    except HomeError as exc:
        raise CommandError(str(exc)) from exc
    what = "speaker" if args.speaker is not None else "account"
    print(f"linked the {what} to {home.label} ({home.id})")
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    homes = open_homes()
    if not homes.directory.unlink_speaker(args.speaker):
        raise CommandError(f"the speaker {args.speaker!r} was not linked to any home")
    print("unlinked the speaker")
    return 0
