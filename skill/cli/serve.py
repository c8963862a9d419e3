"""`voice-demo serve`: local mode on 127.0.0.1 (skill endpoint, admin and stand pages).

waitress's limits are set here on purpose (see docs/security.md). Its defaults — 100
connections, a 120 s idle timeout, bodies up to 1 GB read before Flask's 2 MB limit —
let about a hundred idle or slow sockets take the server off the air. waitress buffers a
request completely before a worker thread sees it, so slow clients cost a connection slot
each, not a thread: plenty of slots, a short idle timeout and small size limits keep
/alexa answering. Beyond the stand's own network, put a reverse proxy in front.
"""

from __future__ import annotations

import logging
import os
import secrets
from typing import Any

from skill.settings import Settings

log = logging.getLogger(__name__)

CONNECTION_LIMIT = 1000  # open sockets at once (each idle one costs a few KB, no thread)
HEADROOM_FDS = 64  # descriptors kept free for the data folder, SQLite and outbound calls
LIMITS: dict[str, Any] = {
    "channel_timeout": 30,  # seconds a connection may sit idle (stand polls every 0.5 s)
    "cleanup_interval": 5,  # how often idle connections are looked for
    "max_request_header_size": 32 * 1024,  # Alexa sends about 2 KB of headers
    "max_request_body_size": 2 * 1024 * 1024,  # = skill.web.MAX_BODY, refused with 413
    "asyncore_use_poll": True,  # select() cannot watch descriptors past 1024
    "backlog": 1024,
    "expose_tracebacks": False,
}


def connection_limit(wanted: int = CONNECTION_LIMIT) -> int:
    """As many connections as the process may open files for, raising the soft limit if we may."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return min(wanted, 500)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = wanted + HEADROOM_FDS
    if soft != resource.RLIM_INFINITY and soft < need:
        target = need if hard == resource.RLIM_INFINITY else min(need, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, soft - HEADROOM_FDS))


def waitress_options(threads: int = 8) -> dict[str, Any]:
    return {
        **LIMITS,
        "threads": threads,
        "connection_limit": connection_limit(),
        "ident": "voice-demo",
    }


def _keep_alive_channel() -> type:
    """waitress's channel, except that a 304 with `Content-Length: 0` keeps the connection.

    waitress 3 drops Content-Length from every response without a body and then closes
    any HTTP/1.1 response that has none (task.py, build_response_header), so each poll of
    the stand that got a 304 cost a new TCP connection. Counting such a 304 as having a
    (zero-length) body keeps the header and the connection; nothing else changes.
    """
    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    class KeepAliveTask(WSGITask):
        @property
        def has_body(self) -> bool:
            if self.status.startswith("304") and self.content_length == 0:
                return True
            return bool(super().has_body)

    class KeepAliveChannel(HTTPChannel):
        task_class = KeepAliveTask

    return KeepAliveChannel


def create_server(app: Any, host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> Any:
    """The waitress server `serve` runs (tests run the very same one on port 0)."""
    from waitress import create_server as waitress_server

    sockets: dict[int, Any] = {}
    server = waitress_server(app, map=sockets, host=host, port=port, **waitress_options(threads))
    channel = _keep_alive_channel()
    for listener in [server, *sockets.values()]:  # one per listening address
        if hasattr(listener, "channel_class"):
            listener.channel_class = channel
    return server


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the skill, admin pages and stand page locally")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument(
        "--demo",
        action="store_true",
        help="demo defaults: generate and print an admin password if none is set",
    )
    p.set_defaults(run=run)


def run(args: Any) -> int:
    settings = Settings.from_env()
    if args.demo and not settings.admin_password:
        password = secrets.token_urlsafe(9)
        os.environ["VOICE_DEMO_ADMIN_PASSWORD"] = password
        settings = settings.with_(admin_password=password)
        print(f"Admin password for this run: {password}", flush=True)
    from skill.web import create_app

    app = create_app(settings)
    try:
        server = create_server(app, args.host, args.port, args.threads)
    except ImportError:  # pragma: no cover - waitress is in the web extra
        app.run(host=args.host, port=args.port, threaded=True)
        return 0
    print(
        f"voice-demo serving on http://{args.host}:{args.port}/  (POST /alexa, /admin, /stand)",
        flush=True,
    )
    server.run()
    return 0
