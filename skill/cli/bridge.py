"""`voice-demo bridge`: run on the LAN, apply the skill's shadow commands to the plugs here.

For every `iot_shadow` device whose registry entry names a local plug under `bridge:`, it
listens on the thing's shadow topics over MQTT (polling over HTTPS while the broker can't be
reached), switches the plug, and reports back. Commands older than 30 s are discarded (and
cleared): nobody should come home to a heater switched on hours after asking.

MQTT authenticates either with the thing's X.509 certificate (`--cert/--key`, port 8883) or,
by default, with the same IAM credentials as the HTTPS calls, over WebSocket on port 443
with a SigV4-signed URL (then `BridgePolicyArn` alone grants everything the bridge does).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote, urlparse

from skill.cli.errors import CommandError
from skill.settings import Settings

if TYPE_CHECKING:
    from skill.devices.bridge import Link
    from skill.devices.mqtt import ShadowConnection

log = logging.getLogger(__name__)


def register(sub) -> None:
    p = sub.add_parser("bridge", help="apply AWS IoT shadow commands to plugs on this network")
    p.add_argument(
        "--poll", type=float, default=0.5, help="seconds between polls while MQTT is down (0.5)"
    )
    p.add_argument("--no-mqtt", action="store_true", help="poll only (as before MQTT)")
    p.add_argument(
        "--mqtt-host", help="AWS IoT data endpoint; default: the host of the devices' `endpoint`"
    )
    p.add_argument("--mqtt-port", type=int, help="default 8883 with --cert, else 443 (WebSocket)")
    p.add_argument("--client-id", default="voice-demo-bridge", help="one per bridge (policy)")
    p.add_argument("--cert", help="the thing's certificate (PEM) for mutual TLS")
    p.add_argument("--key", help="its private key (PEM)")
    p.add_argument("--ca", help="CA bundle (AmazonRootCA1.pem); default: the system's")
    p.add_argument("--mqtt-no-tls", action="store_true", help=argparse.SUPPRESS)  # test brokers
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
    connection, how = (None, "") if args.once else _connection(args, links)
    bridge = Bridge(
        links, max_age_s=args.max_age, budget_s=settings.device_budget_s, connection=connection
    )
    names = ", ".join(f"{link.device.id} ({link.plug.device.driver})" for link in links)
    print(f"voice-demo bridge: {names}; commands older than {args.max_age:.0f} s are discarded")
    if not args.once:
        print(how or f"polling every {args.poll:g} s")
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


def _connection(args: argparse.Namespace, links: list[Link]) -> tuple[ShadowConnection | None, str]:
    """The MQTT connection the options ask for, and a line saying how it connects."""
    import importlib.util

    from skill.devices.mqtt import MqttConfig, ShadowConnection

    if args.no_mqtt:
        return None, ""
    if importlib.util.find_spec("paho") is None:
        print("paho-mqtt is not installed (pip install 'voice-demo[bridge]'): polling instead")
        return None, ""
    if bool(args.cert) != bool(args.key):
        raise CommandError("--cert and --key go together (the thing's certificate and its key)")
    first = links[0].device.options
    endpoint = urlparse(first.get("endpoint") or os.environ.get("AWS_ENDPOINT_URL_IOT_DATA") or "")
    host = args.mqtt_host or endpoint.hostname
    if not args.mqtt_host and endpoint.scheme == "http":
        print(f"the IoT endpoint {endpoint.netloc} is plain HTTP (not AWS IoT): polling only")
        return None, ""
    if not host:
        print("no IoT endpoint named (the devices' `endpoint` or --mqtt-host): polling only")
        return None, ""
    region = (
        first.get("region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    )
    websocket = None
    if not args.cert and not args.mqtt_no_tls:
        if not region:
            raise CommandError("signing the MQTT WebSocket needs a region (AWS_REGION)")
        websocket = sigv4_websocket_path(host, region)
    port = args.mqtt_port or (8883 if args.cert or args.mqtt_no_tls else 443)
    config = MqttConfig(
        host=host,
        port=port,
        client_id=args.client_id,
        ca_file=args.ca,
        cert_file=args.cert,
        key_file=args.key,
        websocket_path=websocket,
        tls=not args.mqtt_no_tls,
    )
    auth = "certificate" if args.cert else ("IAM (SigV4 WebSocket)" if websocket else "no TLS")
    line = f"MQTT: {host}:{port} as {args.client_id}, {auth}; polling every {args.poll:g} s if down"
    return ShadowConnection(config), line


def sigv4_websocket_path(host: str, region: str) -> Callable[[], str]:
    """A function giving a freshly presigned `/mqtt?...` path for AWS IoT's WebSocket.

    AWS IoT wants the session token appended after signing, not signed with the rest
    (AWS IoT Developer Guide, "MQTT over the WebSocket protocol").
    """

    def path() -> str:
        import botocore.session
        from botocore.auth import SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        found = botocore.session.get_session().get_credentials()
        if found is None:
            raise CommandError("no AWS credentials for the MQTT WebSocket (see docs/deploying.md)")
        frozen = found.get_frozen_credentials()
        request = AWSRequest(method="GET", url=f"https://{host}/mqtt")
        signer = SigV4QueryAuth(
            Credentials(frozen.access_key, frozen.secret_key), "iotdevicegateway", region, 300
        )
        signer.add_auth(request)
        signed = urlparse(request.url)
        result = f"{signed.path}?{signed.query}"
        if frozen.token:
            result += "&X-Amz-Security-Token=" + quote(frozen.token, safe="")
        return result

    return path
