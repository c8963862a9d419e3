"""`voice-demo serve`: local mode on 127.0.0.1 (skill endpoint, admin and stand pages)."""

from __future__ import annotations

import logging
import os
import secrets

from skill.settings import Settings

log = logging.getLogger(__name__)


def register(sub) -> None:
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


def run(args) -> int:
    settings = Settings.from_env()
    if args.demo and not settings.admin_password:
        password = secrets.token_urlsafe(9)
        os.environ["VOICE_DEMO_ADMIN_PASSWORD"] = password
        settings = settings.with_(admin_password=password)
        print(f"Admin password for this run: {password}", flush=True)
    from skill.web import create_app

    app = create_app(settings)
    print(
        f"voice-demo serving on http://{args.host}:{args.port}/  (POST /alexa, /admin, /stand)",
        flush=True,
    )
    try:
        from waitress import serve
    except ImportError:  # pragma: no cover - waitress is in the web extra
        app.run(host=args.host, port=args.port, threaded=True)
        return 0
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="voice-demo")
    return 0
