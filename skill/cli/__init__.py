"""`voice-demo`: one sub-command per module in this package, wired explicitly below."""

from __future__ import annotations

import argparse
import logging
import sys

from skill.cli import accounts, bridge, homes, model, programme, say, serve, smarthome, trial
from skill.cli.errors import CommandError  # noqa: F401 - re-exported for callers

# Each module exposes `register(subparsers)`; the parser's `run(args) -> int` does the work.
COMMANDS = [serve, trial, say, model, programme, bridge, homes, accounts, smarthome]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voice-demo", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except CommandError as exc:
        print(f"voice-demo: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
