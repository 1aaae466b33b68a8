"""Webhook mode: Telegram posts each update; the answer is 200 only once its step is committed.

Rule: a request without the secret token set at `setWebhook` gets 403 and is never read; an update
whose step failed gets 500, so Telegram delivers it again (and the store drops it if it had been
committed after all).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

from bot.telegram.dispatcher import Dispatcher

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20


def webhook_app(bot: Bot, dispatcher: Dispatcher, url: str, secret: str) -> web.Application:
    """The aiohttp application answering Telegram's POSTs on the path of `url`."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request without the right secret token refused")
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, bot)
        except (ValueError, TypeError, KeyError):
            log.warning("webhook request that is not an update refused")
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        try:
            await dispatcher.submit(update)
        except Exception as error:
            log.error("update %s not committed: %s", update.update_id, type(error).__name__)
            return web.Response(status=500)
        return web.Response(status=200)

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(urlsplit(url).path or "/", receive)
    return app


async def serve_webhook(
    bot: Bot,
    dispatcher: Dispatcher,
    url: str,
    secret: str,
    listen: str,
    port: int,
    stop: asyncio.Event,
) -> None:
    """Listen until `stop` is set."""
    runner = web.AppRunner(webhook_app(bot, dispatcher, url, secret), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, listen, port)
    await site.start()
    log.info("webhook listening on %s:%s", listen, port)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
