"""`voice-demo say "<utterance>"` and `voice-demo chat`: talk to the skill without an Echo.

Both use the settings and data folder `voice-demo serve` would, so a lamp switched on
here is on for the server too.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from skill.cli.errors import CommandError
from skill.model import LOCALES, MODEL_DIR, load
from skill.settings import Settings

QUIT = {"quit", "exit", ":q"}


def register(sub) -> None:
    say = sub.add_parser("say", help="say one thing to the skill, offline, and print the answer")
    say.add_argument("utterance", help='e.g. "turn on the lamp" or "open learning week demo"')
    _common(say)
    say.set_defaults(run=run_say)
    chat = sub.add_parser("chat", help="a conversation with the skill, offline (keeps a session)")
    _common(chat)
    chat.set_defaults(run=run_chat)


def _common(p) -> None:
    p.add_argument("--locale", default="en-GB", choices=LOCALES)
    p.add_argument("--json", action="store_true", help="print request and response envelopes")
    p.add_argument("--now", help="pretend it is this time (ISO, e.g. 2026-05-19T10:40)")


def simulator(args):
    from skill.simulator.session import Simulator

    settings = Settings.from_env()
    clock = None
    if args.now:
        try:
            moment = datetime.fromisoformat(args.now)
        except ValueError:
            raise CommandError(
                f"--now {args.now!r} is not a date and time like 2026-05-19T10:40"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(settings.timezone))

        def clock():
            return moment

    try:
        model = load(args.locale, MODEL_DIR)
    except FileNotFoundError as exc:
        raise CommandError(f"no interaction model at {exc.filename}") from None
    return Simulator.for_settings(settings, clock, locale=args.locale, model=model)


def _show(exchange, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"request": exchange.request, "response": exchange.response}, indent=2))
    else:
        print(exchange.speech)
        if exchange.alexa_says:
            print(exchange.alexa_says)


def run_say(args) -> int:
    _show(simulator(args).say(args.utterance), args.json)
    return 0


def run_chat(args) -> int:
    sim = simulator(args)
    interactive = sys.stdin.isatty()
    if interactive:
        print(f'Say "open {sim.model.invocation_name}", or ask straight away. Ctrl-D to leave.')
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            break
        if line.strip().lower() in QUIT:
            break
        exchange = sim.say(line)
        if args.json:
            _show(exchange, True)
        else:
            print(f"alexa> {exchange.speech}")
            if exchange.alexa_says:  # Alexa's own question (a permission request)
                print(f"alexa> {exchange.alexa_says}")
        if not sim.in_session:
            return 0
    sim.end()
    return 0
