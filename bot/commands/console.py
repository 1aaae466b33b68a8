"""`allodiscri console`: chat with the bot in the terminal (or from piped input)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.app import open_app
from bot.commands.common import settings_from
from bot.console import run_console


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "console",
        help="chat with the bot in this terminal",
        description="Chat in the terminal; type a choice's number, or text, or /help.",
        epilog="Example: allodiscri console --user alice   (printf '1\\n' | allodiscri console)",
    )
    parser.add_argument("--user", default=None, help="whose conversation (default: your login)")
    parser.add_argument("--db", default=None, help="SQLite file (default: ALLODISCRI_DB)")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    return asyncio.run(_console(args))


async def _console(args: argparse.Namespace) -> int:
    async with open_app(settings_from(args, database=args.db)) as app:
        return await run_console(app.engine, sys.stdin, sys.stdout, args.user)
