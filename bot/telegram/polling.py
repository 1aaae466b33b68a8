"""Long polling that confirms an update to Telegram only once its step is committed.

Rule: the offset passed to `getUpdates` moves past a batch only after every update of that batch
is committed (`Dispatcher.submit` futures). PTB's stock `Updater` confirms a batch as soon as it
has fetched it, so a hard kill there loses messages for good (docs/design.md, "Telegram"); here a
kill at any moment means Telegram sends the unconfirmed updates again, and the store drops those
already committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.telegram.dispatcher import Dispatcher
from bot.telegram.inbound import ALLOWED_UPDATES
from bot.telegram.port import retry_seconds

log = logging.getLogger(__name__)

LONG_POLL = 25
"""Seconds Telegram may hold a `getUpdates` request open while nothing happens."""
BATCH = 100
BACKOFF_MAX = 30.0


async def poll(bot: Bot, dispatcher: Dispatcher, stop: asyncio.Event) -> None:
    """Fetch, commit, confirm, until `stop` is set."""
    offset: int | None = None
    backoff = 0.5
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            bot.get_updates(
                offset=offset,
                limit=BATCH,
                timeout=LONG_POLL,
                allowed_updates=ALLOWED_UPDATES,
                read_timeout=LONG_POLL + 10,
            )
        )
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            fetch.cancel()
            break
        try:
            updates = fetch.result()
        except (InvalidToken, Conflict):
            raise
        except RetryAfter as error:
            await _pause(stop, retry_seconds(error))
            continue
        except (TimedOut, NetworkError) as error:
            log.warning("getUpdates failed (%s); trying again in %.1f s", error, backoff)
            await _pause(stop, backoff)
            backoff = min(backoff * 2, BACKOFF_MAX)
            continue
        backoff = 0.5
        if not updates:
            continue
        await asyncio.gather(*(dispatcher.submit(update) for update in updates))
        offset = updates[-1].update_id + 1
    if offset is not None:
        await _confirm(bot, offset)


async def _confirm(bot: Bot, offset: int) -> None:
    """Tell Telegram the last committed batch is done, so a clean restart gets nothing twice."""
    try:
        await bot.get_updates(offset=offset, limit=1, timeout=0, allowed_updates=ALLOWED_UPDATES)
    except (TimedOut, NetworkError) as error:
        log.info("last confirmation not sent (%s); the store drops the repeats", error)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
