"""`voice-demo model check | build | card`: keep the interaction models honest.

check: models, handlers, shipped data and manifest agree (non-zero exit with the list).
build: regenerate the DEVICE and SESSION values after the registry or programme changed.
card:  a printable "things you can say" card from the model (HTML or Markdown).
"""

from __future__ import annotations

import sys
from pathlib import Path

from skill.cli.errors import CommandError
from skill.model import LOCALES, MODEL_DIR, load
from skill.settings import Settings


def register(sub) -> None:
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
    check.set_defaults(run=run_check)
    build.set_defaults(run=run_build)
    card.set_defaults(run=run_card)


def run_check(args) -> int:
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


def run_build(args) -> int:
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


def run_card(args) -> int:
    from skill.model.card import build_card, markdown, render_html

    try:
        model = load(args.locale, args.models)
    except FileNotFoundError as exc:
        raise CommandError(f"no interaction model at {exc.filename}") from None
    fmt = args.format or ("html" if args.out and args.out.suffix in (".html", ".htm") else "md")
    card = build_card(model)
    text = render_html(card) if fmt == "html" else markdown(card)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0
