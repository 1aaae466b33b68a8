"""The `allodiscri` command line: one parser of nouns and verbs, each noun in `bot/commands/`.

Machine output goes to stdout (`--json` where it applies), diagnostics to stderr, and a failure
exits non-zero. Each command module exposes `register(subparsers)` and sets `func` on its parser:
a callable taking the parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.commands import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="allodiscri",
        description="First-contact bot for people facing discrimination.",
        epilog="Example: allodiscri console",
    )
    parser.add_argument(
        "--territory", default=None, help="territory id (default: ALLODISCRI_TERRITORY or nantes)"
    )
    parser.add_argument(
        "--data-dir", default=None, help="folder with territory data files (default: built in)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return int(func(args))


if __name__ == "__main__":
    sys.exit(main())
