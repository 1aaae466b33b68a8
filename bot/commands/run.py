"""`allodiscri run`: serve the bot — on Telegram when a token is set, else in the terminal."""

from __future__ import annotations

import argparse
import sys

from bot.commands import console
from bot.commands.common import settings_from

NO_TELEGRAM_YET = (
    "TELEGRAM_BOT_TOKEN is set, but this version has no Telegram channel yet "
    "(it is the next piece of work); opening the terminal chat instead.\n"
)
NO_TOKEN = (
    "No TELEGRAM_BOT_TOKEN set: opening the terminal chat. "
    "(Set TELEGRAM_BOT_TOKEN to serve Telegram; `allodiscri console --help` for options.)\n"
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "run",
        help="serve the bot (terminal chat when no Telegram token is set)",
        epilog="Example: allodiscri run",
    )
    parser.add_argument("--user", default=None, help="terminal chat: whose conversation")
    parser.add_argument("--db", default=None, help="SQLite file (default: ALLODISCRI_DB)")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    sys.stderr.write(NO_TELEGRAM_YET if settings.telegram_token else NO_TOKEN)
    return console.handle(args)
