"""`voice-demo model check | build | card`: keep the interaction models honest.

check: models, handlers, shipped data and manifest agree (non-zero exit with the list).
build: regenerate the DEVICE and SESSION values after the registry or programme changed.
card:  a printable "things you can say" card from the model and the live programme's
       sessions (HTML, one A4 page, or Markdown).
push:  the live programme's titles and the registry's devices into the development-stage
       model through the Skill Management API, waiting for the build.
package: build/skill-package/ and ask-resources.json for `ask deploy`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skill.cli.errors import CommandError
from skill.model import LOCALES, MODEL_DIR, load
from skill.settings import Settings


def register(sub: Any) -> None:
    model = sub.add_parser("model", help="check, rebuild or print from the interaction models")
    actions = model.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="exit non-zero if models and handlers disagree")
    build = actions.add_parser("build", help="regenerate DEVICE and SESSION values from data")
    card = actions.add_parser("card", help='print a "things you can say" card')
    for p in (check, build, card):
        p.add_argument("--models", type=Path, default=MODEL_DIR, help="the models' folder")
    card.add_argument("--out", type=Path, help="write here (.html or .md); default: stdout")
    card.add_argument("--format", choices=("html", "md"), help="default: from --out, else md")
    card.add_argument("--locale", default="en-GB", choices=LOCALES)
    push = actions.add_parser(
        "push", help="send the live titles and devices to the development model (SMAPI)"
    )
    push.add_argument("--models", type=Path, default=MODEL_DIR, help="the models' folder")
    push.add_argument("--locale", action="append", choices=LOCALES, help="default: all")
    push.add_argument("--no-wait", action="store_true", help="don't wait for the build")
    pack = actions.add_parser("package", help="write build/skill-package/ for `ask deploy`")
    pack.add_argument("--models", type=Path, default=MODEL_DIR, help="the models' folder")
    pack.add_argument("--out", type=Path, help="default: build/skill-package")
    check.set_defaults(run=run_check)
    build.set_defaults(run=run_build)
    card.set_defaults(run=run_card)
    push.set_defaults(run=run_push)
    pack.set_defaults(run=run_package)


def run_check(args: argparse.Namespace) -> int:
    from skill.alexa.builder import handled_intents
    from skill.model.check import check_files

    problems = check_files(args.models, handled_intents(), Settings.from_env())
    if problems:
        print(f"{len(problems)} problem(s) in {args.models}:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    models = [load(locale, args.models) for locale in LOCALES]
    samples = sum(len(m.samples()) for m in models)
    print(f"ok: {', '.join(LOCALES)}; {samples} sample utterances; handlers and data agree")
    return 0


def run_build(args: argparse.Namespace) -> int:
    from skill.model.build import build, data_values
    from skill.model.values import DataError

    try:
        values = data_values(Settings.from_env())
    except DataError as exc:
        raise CommandError(str(exc)) from None
    changed = build(values, args.models)
    counts = ", ".join(f"{len(v)} {k}" for k, v in values.items())
    if changed:
        print(f"updated {', '.join(p.name for p in changed)} ({counts})")
    else:
        print(f"already up to date ({counts})")
    return 0


def run_card(args: argparse.Namespace) -> int:
    from skill.model.card import build_card, markdown, render_html

    try:
        model = load(args.locale, args.models)
    except FileNotFoundError as exc:
        raise CommandError(f"no interaction model at {exc.filename}") from None
    fmt = args.format or ("html" if args.out and args.out.suffix in (".html", ".htm") else "md")
    card = build_card(model, live_titles(Settings.from_env()))
    text = render_html(card) if fmt == "html" else markdown(card)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def live_titles(settings: Settings) -> list[str]:
    """The live programme's session titles, for the card's examples."""
    from skill.clock import utc_now
    from skill.programme.service import open_programme
    from skill.programme.store import StoreError

    try:
        live = open_programme(settings, utc_now).current()
    except StoreError as exc:
        raise CommandError(f"the live programme can't be read: {exc}") from None
    return [s.title for s in live.sessions if not s.cancelled]


def run_push(args: argparse.Namespace) -> int:
    return push_live(Settings.from_env(), args.models, args.locale or LOCALES, not args.no_wait)


def push_live(
    settings: Settings,
    models: Path = MODEL_DIR,
    locales: Iterable[str] = LOCALES,
    wait: bool = True,
) -> int:
    """The live titles and devices to the development model (also after a CLI publish)."""
    from skill.model.push import PushError, PushSettings, live_values, push, record
    from skill.services import build_services

    try:
        target = PushSettings.from_env(os.environ)
    except PushError as exc:
        raise CommandError(str(exc)) from None
    values, version = live_values(build_services(settings))
    try:
        result = push(target, values, models, locales, wait=wait)
    except PushError as exc:
        raise CommandError(str(exc)) from None
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    if not wait:
        print(f"sent {', '.join(result.status)} ({counts}); the build is under way")
        return 0
    for locale, status in result.status.items():
        print(f"{locale}: {status}")
        for message in result.errors.get(locale, []):
            print(f"  - {message}", file=sys.stderr)
    if result.ok:
        record(settings.data_dir, result, version)
        print(f"built ({counts}): one-shot requests know programme version {version}")
        return 0
    if all(s != "FAILED" for s in result.status.values()):
        print("still building; run `voice-demo model push` again later to check", file=sys.stderr)
        return 3
    return 1


def run_package(args: argparse.Namespace) -> int:
    from skill.model.package import PACKAGE_DIR, ROOT, package

    written = package(args.out or PACKAGE_DIR, args.models, ROOT)
    for path in written:
        print(f"wrote {path}")
    return 0
