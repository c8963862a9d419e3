"""`voice-demo bridge`: run on the LAN, apply the skill's shadow commands to the plugs here.

For every `iot_shadow` device whose registry entry names a local plug under `bridge:`, it
polls the thing's shadow, switches the plug, and reports back. Commands older than 30 s are
discarded (and cleared): nobody should come home to a heater switched on hours after asking.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from skill.cli.errors import CommandError
from skill.settings import Settings

log = logging.getLogger(__name__)


def register(sub) -> None:
    p = sub.add_parser("bridge", help="apply AWS IoT shadow commands to plugs on this network")
    p.add_argument("--poll", type=float, default=0.5, help="seconds between polls (0.5)")
    p.add_argument(
        "--max-age", type=float, default=30.0, help="discard commands older than this (≤ 30 s)"
    )
    p.add_argument("--once", action="store_true", help="one pass over the shadows, then exit")
    p.set_defaults(run=run)


def run(args) -> int:
    from skill.devices import RegistryError, load_registry
    from skill.devices.bridge import MAX_AGE_S, Bridge, links_from_registry
    from skill.devices.plug import DriverContext
    from skill.storage import dynamodb

    if not 0 < args.max_age <= MAX_AGE_S:
        raise CommandError(f"--max-age must be between 0 and {MAX_AGE_S:.0f} seconds")
    if args.poll <= 0:
        raise CommandError("--poll must be more than 0 seconds")
    settings = Settings.from_env()
    try:
        registry = load_registry(settings.devices_file)
    except RegistryError as exc:
        raise CommandError(str(exc)) from None
    context = DriverContext(
        data_dir=settings.data_dir, environ=os.environ, aws_client=dynamodb.client
    )
    links = links_from_registry(registry, context, dynamodb.client)
    if not links:
        raise CommandError(
            f"{settings.devices_file}: no iot_shadow device names a local plug under 'bridge:'"
        )
    bridge = Bridge(links, max_age_s=args.max_age, budget_s=settings.device_budget_s)
    names = ", ".join(f"{link.device.id} ({link.plug.device.driver})" for link in links)
    print(f"voice-demo bridge: {names}; commands older than {args.max_age:.0f} s are discarded")
    try:
        if args.once:
            outcomes = bridge.step()
            for device_id, outcome in outcomes.items():
                print(f"{device_id}: {outcome}")
            ok = {"idle", "reported", "applied", "discarded"}
            return 0 if all(outcome in ok for outcome in outcomes.values()) else 1
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            bridge.run(stop, poll_s=args.poll)
        except KeyboardInterrupt:
            stop.set()
        return 0
    finally:
        bridge.close()
