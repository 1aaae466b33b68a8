"""Updates in order per chat, concurrently across chats; each one committed before it is confirmed.

Rule: `submit(update)` returns a future that resolves once the update's step is committed (or the
update needed nothing stored). Polling confirms an update to Telegram, and the webhook answers
200, only after that future resolves; the replies go out afterwards, from the outbox. A chat has
two chains of jobs, its steps and its sends, each job waiting for the one before: replies never
arrive out of order, and a slow send never holds up the commit of the chat's next message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Update
from telegram.error import TelegramError

from bot.engine import Engine, Outcome, Undeliverable
from bot.store import OutboxItem
from bot.telegram.desk import Desk
from bot.telegram.inbound import (
    CHANNEL,
    FromTeam,
    InGroup,
    Private,
    chat_key,
    chat_of,
    read_update,
)
from bot.telegram.outbound import choice_ids, keyboard_of
from bot.telegram.port import TelegramPort
from flows import N_, msg

log = logging.getLogger(__name__)

PRIVATE_ONLY = N_("telegram.private_only")
GROUP_NOTICE_EVERY = 600.0
"""Seconds between two "write to me in private" notices in the same group."""
ATTEMPTS = 3
"""Tries of a step that raised (the database was busy…) before the person gets an apology."""
RETRY_DELAY = 5.0
"""Seconds before a reply that could not be sent is tried again."""
APOLOGY = N_("telegram.error")


@dataclass(slots=True)
class Dispatcher:
    engine: Engine
    port: TelegramPort
    bot_username: str
    monotonic: Callable[[], float] = time.monotonic
    team_group: int | None = None
    desk: Desk | None = None
    """The operators' desk, when an operators' group is set (see `open_desk`)."""
    _steps: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _sends: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _noticed: dict[int, float] = field(default_factory=dict)
    _retrying: set[int] = field(default_factory=set)
    _sent_upto: dict[int, int] = field(default_factory=dict)
    """Per chat, the last outbox id sent (kept while the chat has sends queued)."""

    def open_desk(self, group_id: int) -> Desk:
        """Serve the operators' group too: its messages and the team's outbox."""
        self.team_group = group_id
        self.desk = Desk(self.engine, self.port, group_id, self._deliver_outcome)
        return self.desk

    def submit(self, update: Update) -> asyncio.Future[None]:
        """Queue an update behind its chat's earlier ones; the future resolves once committed."""
        committed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        try:
            inbound = read_update(update, self.bot_username, self.team_group)
        except Exception as error:  # a shape we never met: skipped, never blocks the others
            log.error("update %s unreadable: %s", update.update_id, type(error).__name__)
            inbound = None
        if isinstance(inbound, Private):
            self._chain(self._steps, inbound.chat_id, lambda: self._private(inbound, committed))
        elif isinstance(inbound, FromTeam) and self.desk is not None:
            self._chain(self._steps, inbound.chat_id, lambda: self._team(inbound, committed))
        elif isinstance(inbound, InGroup):
            if inbound.joined:  # how a deployer learns the id of the group meant for the team
                log.info(
                    "added to the group %s; to make it the operators' group, set "
                    "ALLODISCRI_OPERATORS_GROUP=%s (or operators.group in the territory file)",
                    inbound.chat_id,
                    inbound.chat_id,
                )
            committed.set_result(None)
            self._chain(self._sends, inbound.chat_id, lambda: self._group(inbound))
        else:
            committed.set_result(None)
        return committed

    async def _team(self, inbound: FromTeam, committed: asyncio.Future[None]) -> None:
        """An operators' group message: one at a time, in order (the team writes little)."""
        assert self.desk is not None
        try:
            await self.desk.handle(inbound)
        finally:
            if not committed.done():
                committed.set_result(None)

    def _deliver_outcome(
        self, outcome: Outcome, dropped: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """Queue a committed step's replies behind the person's earlier ones; `dropped` is
        called when Telegram refuses them for good (the person blocked the bot)."""
        if not outcome.items:
            return
        chat_id = chat_of(outcome.items[0].key)

        async def job() -> None:
            if await self._deliver(outcome.items) and dropped is not None:
                await dropped()

        self._chain(self._sends, chat_id, job)

    async def flush_outbox(self) -> int:
        """Queue what a previous run committed but did not send, chat by chat, in order."""
        pending = await self.engine.store.pending()
        by_chat: dict[int, list[OutboxItem]] = {}
        for item in pending:
            if item.key.startswith(f"{CHANNEL}:"):
                by_chat.setdefault(chat_of(item.key), []).append(item)
        for chat_id, items in by_chat.items():
            self._chain(self._sends, chat_id, lambda items=items: self._deliver(items))
        return sum(len(items) for items in by_chat.values())

    async def drain(self) -> None:
        """Wait for every queued job (before stopping)."""
        while self._steps or self._sends:
            tasks = [*self._steps.values(), *self._sends.values()]
            await asyncio.gather(*tasks, return_exceptions=True)

    def _chain(
        self,
        chains: dict[int, asyncio.Task[None]],
        chat_id: int,
        job: Callable[[], Awaitable[None]],
    ) -> None:
        """Run `job` after the chat's previous job in `chains` (whatever became of it)."""
        previous = chains.get(chat_id)

        async def run() -> None:
            if previous is not None:
                await asyncio.wait([previous])
            try:
                await job()
            except Exception as error:  # a bug: logged without message contents
                log.error("chat job failed: %s", type(error).__name__, exc_info=error)

        task = asyncio.create_task(run())
        chains[chat_id] = task

        def forget(done: asyncio.Task[None]) -> None:
            if chains.get(chat_id) is done:
                del chains[chat_id]
                if chains is self._sends:
                    self._sent_upto.pop(chat_id, None)

        task.add_done_callback(forget)

    async def _private(self, inbound: Private, committed: asyncio.Future[None]) -> None:
        try:
            outcome = await self._step(inbound)
        finally:
            if not committed.done():
                committed.set_result(None)
        self._chain(self._sends, inbound.chat_id, lambda: self._reply(inbound, outcome))
        if outcome is not None and outcome.team and self.desk is not None:
            self._chain(self._sends, self.desk.group_id, self.desk.flush)

    async def _reply(self, inbound: Private, outcome: Outcome | None) -> None:
        pressed = inbound.pressed
        if pressed is not None:
            await self.port.answer(pressed.query_id)
        if outcome is None:
            await self._apologise(inbound.chat_id, inbound.language)
            return
        items = outcome.items
        if pressed is not None and pressed.message_id is not None and not outcome.duplicate:
            items = await self._show_press(inbound, outcome)
        await self._deliver(items)

    async def _step(self, inbound: Private) -> Outcome | None:
        """Run the step, trying again if the store failed; None when it kept failing."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await self.engine.process(
                    inbound.key, CHANNEL, inbound.event, inbound.update_id, inbound.language
                )
            except Exception as error:
                log.error(
                    "update %s failed (attempt %s): %s",
                    inbound.update_id,
                    attempt,
                    type(error).__name__,
                    exc_info=error,
                )
                await asyncio.sleep(0.2 * attempt)
        return None

    async def _show_press(self, inbound: Private, outcome: Outcome) -> list[OutboxItem]:
        """Show the answer on the pressed message; a ticked multiple choice is edited in place."""
        pressed = inbound.pressed
        assert pressed is not None and pressed.message_id is not None
        items = outcome.items
        offered = tuple(data for data, _ in pressed.buttons)
        if len(items) == 1 and not outcome.refused and pressed.label is not None:
            fresh = choice_ids(keyboard_of(items[0].message.choices))
            if fresh and set(fresh) == set(offered):
                replaced = await self.port.replace(
                    pressed.chat_id, pressed.message_id, items[0].message
                )
                if replaced:
                    await self.engine.store.delivered(items[0].id)
                    return []
        if pressed.label is None:
            return items  # forged data: the message's own buttons may still be current
        if outcome.refused:
            await self.port.unbutton(pressed.chat_id, pressed.message_id)
        else:
            await self.port.mark(
                pressed.chat_id, pressed.message_id, pressed.message_html, pressed.label
            )
        return items

    async def _deliver(self, items: list[OutboxItem]) -> int:
        """Send in order; an item a retry already sent is skipped (outbox ids only grow), and
        nothing newer goes out while an older reply of the chat waits for its retry. Returns
        how many replies Telegram refused for good."""
        if not items:
            return 0
        chat_id = chat_of(items[0].key)
        if chat_id in self._retrying:
            return 0  # left in the outbox: the retry sends everything pending, oldest first
        dropped = 0
        for item in items:
            if item.id <= self._sent_upto.get(chat_id, 0):
                continue
            try:
                dropped += await self.engine.deliver([item], self.port)
            except (TelegramError, OSError) as error:
                log.warning("reply to deliver later: %s", type(error).__name__)
                self._retry_later(chat_id)
                return dropped
            self._sent_upto[chat_id] = item.id
        return dropped

    def _retry_later(self, chat_id: int) -> None:
        if chat_id in self._retrying:
            return
        self._retrying.add(chat_id)

        async def retry() -> None:
            await asyncio.sleep(RETRY_DELAY)
            self._chain(self._sends, chat_id, lambda: self._redeliver(chat_id))

        asyncio.get_running_loop().create_task(retry())

    async def _redeliver(self, chat_id: int) -> None:
        self._retrying.discard(chat_id)
        await self._deliver(await self.engine.store.pending(chat_key(chat_id)))

    async def _apologise(self, chat_id: int, language: str | None) -> None:
        """In the conversation's language if it can be read, else Telegram's, else the default."""
        try:
            state = await self.engine.store.load(chat_key(chat_id))
        except Exception:  # the store is what failed
            state = None
        lang = state.lang if state else language or self.engine.world.default_language
        text = self.engine.renderer.message(msg(APOLOGY), lang)
        try:
            await self.port.call(self.port.bot.send_message, chat_id=chat_id, text=text)
        except (TelegramError, Undeliverable) as error:
            log.warning("apology not sent: %s", type(error).__name__)

    async def _group(self, inbound: InGroup) -> None:
        """Once in a while, tell a group that the bot talks only in private (nothing stored)."""
        now = self.monotonic()
        last = self._noticed.get(inbound.chat_id)
        if last is not None and now - last < GROUP_NOTICE_EVERY:
            return
        self._noticed[inbound.chat_id] = now
        lang = self.engine.world.default_language
        text = self.engine.renderer.message(msg(PRIVATE_ONLY, bot=f"@{self.bot_username}"), lang)
        try:
            await self.port.call(
                self.port.bot.send_message,
                chat_id=inbound.chat_id,
                text=text,
                message_thread_id=inbound.thread_id,
                reply_to_message_id=inbound.reply_to,
            )
        except (TelegramError, Undeliverable) as error:
            log.info("group notice not sent: %s", type(error).__name__)
