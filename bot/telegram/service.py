"""Serving Telegram: the bot, its menu, the outbox left by a previous run, then polling or webhook.

Rule: one wiring function. Everything it needs comes from `App` (store, engine, settings); it
stops cleanly when `stop` is set (SIGTERM, Ctrl-C): polling confirms what was committed, queued
replies go out, then the HTTP client closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass

from telegram import Bot

from bot.app import App
from bot.settings import Settings
from bot.telegram.dispatcher import Dispatcher
from bot.telegram.inbound import ALLOWED_UPDATES
from bot.telegram.menu import set_menu
from bot.telegram.polling import LONG_POLL, poll
from bot.telegram.port import SENDERS, TelegramPort
from bot.telegram.transport import AiohttpRequest
from bot.telegram.webhook import serve_webhook

log = logging.getLogger(__name__)

PURGE_EVERY = 3600.0
WEBHOOK_CONNECTIONS = 40


@dataclass(frozen=True, slots=True)
class Webhook:
    url: str
    listen: str
    port: int
    secret: str


def make_bot(settings: Settings) -> Bot:
    """A PTB `Bot` on the configured Bot API server; long polls get their own connection."""
    if settings.telegram_token is None:
        raise ValueError("no TELEGRAM_BOT_TOKEN")
    return Bot(
        settings.telegram_token.value,
        base_url=settings.telegram_api_url,
        request=AiohttpRequest(connections=SENDERS),
        get_updates_request=AiohttpRequest(connections=1, read_timeout=LONG_POLL + 10),
    )


def webhook_from(settings: Settings) -> Webhook | None:
    if not settings.webhook_url:
        return None
    secret = settings.webhook_secret.value if settings.webhook_secret else None
    return Webhook(
        settings.webhook_url,
        settings.webhook_listen,
        settings.webhook_port,
        secret or secrets.token_urlsafe(32),
    )


async def serve_telegram(app: App, stop: asyncio.Event) -> None:
    """Serve until `stop` is set; raises `telegram.error.InvalidToken` for a refused token."""
    bot = make_bot(app.settings)
    await bot.initialize()
    purging = asyncio.create_task(_purge_regularly(app))
    reminding: asyncio.Task[None] | None = None
    dispatcher: Dispatcher | None = None
    try:
        await set_menu(bot, app.engine.renderer, app.settings.default_language)
        dispatcher = Dispatcher(app.engine, TelegramPort(bot), bot.username)
        group = app.world.team_group
        if group is not None:
            desk = dispatcher.open_desk(group)
            await desk.start()
            reminding = asyncio.create_task(desk.remind_regularly(stop))
        queued = await dispatcher.flush_outbox()
        if queued:
            log.info("%s replies left by the previous run are being sent", queued)
        webhook = webhook_from(app.settings)
        if webhook is None:
            await bot.delete_webhook()
            log.info("polling Telegram as @%s", bot.username)
            await poll(bot, dispatcher, stop)
        else:
            await bot.set_webhook(
                webhook.url,
                secret_token=webhook.secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=WEBHOOK_CONNECTIONS,
            )
            log.info("webhook set for @%s", bot.username)
            await serve_webhook(
                bot, dispatcher, webhook.url, webhook.secret, webhook.listen, webhook.port, stop
            )
        await dispatcher.drain()
    finally:
        if dispatcher is not None and dispatcher.desk is not None:
            await dispatcher.desk.close()
        if reminding is not None:
            reminding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reminding
        purging.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purging
        await bot.shutdown()


async def _purge_regularly(app: App) -> None:
    """Forget conversations idle past the retention delay, every hour while serving."""
    while True:
        await asyncio.sleep(PURGE_EVERY)
        forgotten = await app.store.purge(app.engine.now(), app.settings.retention_days)
        if forgotten:
            log.info("%s idle conversations forgotten", forgotten)
