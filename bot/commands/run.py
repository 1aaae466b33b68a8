"""`allodiscri run`: serve the bot — on Telegram when a token is set, else in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable

from telegram.error import InvalidToken, NetworkError

from bot import logs
from bot.app import open_app
from bot.commands import console
from bot.commands.common import settings_from
from bot.settings import Settings

NO_TOKEN = (
    "No TELEGRAM_BOT_TOKEN set: opening the terminal chat.\n"
    "To serve Telegram, create a bot with @BotFather and run:\n"
    "  TELEGRAM_BOT_TOKEN=123456:ABC... allodiscri run\n"
    '(or put telegram_token = "..." in the TOML file named by ALLODISCRI_CONFIG; '
    "see the README, 'Telegram').\n\n"
)
REFUSED = (
    "Telegram refused the token in TELEGRAM_BOT_TOKEN. Copy it again from @BotFather "
    "(/mybots → your bot → API Token).\n"
)
UNREACHABLE = "Cannot reach the Bot API at {url} ({error}); check the network and try again.\n"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "run",
        help="serve the bot (Telegram with TELEGRAM_BOT_TOKEN, else the terminal chat)",
        description="Serve the bot on Telegram (long polling, or a webhook with --webhook); "
        "with no token, chat in the terminal.",
        epilog="Examples: TELEGRAM_BOT_TOKEN=... allodiscri run   |   "
        "allodiscri run --webhook https://bot.example.org/tg --listen 127.0.0.1 --port 8443",
    )
    parser.add_argument("--user", default=None, help="terminal chat: whose conversation")
    parser.add_argument("--db", default=None, help="SQLite file (default: ALLODISCRI_DB)")
    parser.add_argument(
        "--webhook", default=None, metavar="URL", help="public HTTPS address for Telegram's POSTs"
    )
    parser.add_argument("--listen", default=None, help="webhook: address to listen on")
    parser.add_argument("--port", type=int, default=None, help="webhook: port to listen on")
    parser.add_argument("--verbose", action="store_true", help="log every step (debug level)")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_from(
        args,
        database=args.db,
        webhook_url=args.webhook,
        webhook_listen=args.listen,
        webhook_port=args.port,
    )
    if settings.telegram_token is None:
        if args.webhook:
            sys.stderr.write("--webhook needs TELEGRAM_BOT_TOKEN.\n")
            return 2
        sys.stderr.write(NO_TOKEN)
        return console.handle(args)
    logs.configure(settings, logging.DEBUG if args.verbose else logging.INFO)
    try:
        with asyncio.Runner(loop_factory=_fast_loop()) as runner:
            return runner.run(_serve(settings))
    except InvalidToken:
        sys.stderr.write(REFUSED)
        return 2
    except NetworkError as error:
        sys.stderr.write(UNREACHABLE.format(url=settings.telegram_api_url, error=error))
        return 1


def _fast_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it exists (Linux, macOS): ~10 % less CPU per update (bench/telegram.py)."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


async def _serve(settings: Settings) -> int:
    from bot.telegram.service import serve_telegram

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with open_app(settings) as app:
        await serve_telegram(app, stop)
    return 0
