"""The Telegram output port: sends committed replies, and says which failures are for good.

Rule: a reply leaves the outbox only once Telegram accepted it, or once Telegram said it never
will (the person blocked the bot, the chat is gone): those raise `Undeliverable` and are dropped.
"Too many requests" waits the delay Telegram gives and tries again; a network failure or a
timeout leaves the reply in the outbox for the next attempt.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

from bot.engine import Undeliverable
from bot.i18n import Rendered
from bot.telegram.inbound import chat_of
from bot.telegram.outbound import (
    TEXT_LIMIT,
    Keyboard,
    marked_answer,
    to_messages,
    utf16_len,
)

log = logging.getLogger(__name__)

RETRIES = 5
"""Times a message is tried again after "too many requests" before it waits in the outbox."""


def retry_seconds(error: RetryAfter) -> float:
    """Seconds Telegram asks to wait (a `timedelta` in PTB's newer mode, else an int)."""
    delay = error.retry_after
    return float(delay.total_seconds() if isinstance(delay, timedelta) else delay)


SENDERS = 16
"""Bot API requests in flight at once: the HTTP pool's size (Telegram allows ~30 messages/s in
all; a longer queue inside the HTTP pool costs more CPU than it saves)."""


@dataclass(slots=True)
class TelegramPort:
    bot: Bot
    _senders: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(SENDERS))

    async def send(self, key: str, message: Rendered) -> None:
        chat_id = chat_of(key)
        for piece in to_messages(message):
            try:
                await self.request("sendMessage", chat_id, piece.html, piece.keyboard)
            except BadRequest as error:
                log.error("Telegram refused a reply for good: %s", error.message)
                raise Undeliverable(error.message) from None

    async def replace(self, chat_id: int, message_id: int, message: Rendered) -> bool:
        """Edit a message in place (a multiple choice ticked); False when it cannot be edited."""
        pieces = to_messages(message)
        if len(pieces) != 1:
            return False
        try:
            await self.request(
                "editMessageText", chat_id, pieces[0].html, pieces[0].keyboard, message_id
            )
        except (Undeliverable, BadRequest) as error:
            return "not modified" in str(error).lower()
        return True

    async def mark(self, chat_id: int, message_id: int, message_html: str, label: str) -> None:
        """Take the buttons off a pressed question and show the answer under it (best effort)."""
        text = marked_answer(message_html, label)
        try:
            if message_html and utf16_len(text) <= TEXT_LIMIT:
                await self.request("editMessageText", chat_id, text, None, message_id)
            else:
                await self.call(
                    self.bot.edit_message_reply_markup, chat_id=chat_id, message_id=message_id
                )
        except (Undeliverable, BadRequest) as error:
            log.debug("could not mark message %s: %s", message_id, error)

    async def unbutton(self, chat_id: int, message_id: int) -> None:
        """Take stale buttons off a message (best effort)."""
        try:
            await self.call(
                self.bot.edit_message_reply_markup, chat_id=chat_id, message_id=message_id
            )
        except (Undeliverable, BadRequest) as error:
            log.debug("could not take the buttons off %s: %s", message_id, error)

    async def request(
        self,
        method: str,
        chat_id: int,
        html: str,
        keyboard: Keyboard | None = None,
        message_id: int | None = None,
        **extra: object,
    ) -> object:
        """Send or edit a text; the answer is not parsed into PTB objects (nothing reads more
        than a message id, and parsing it was the bot's largest CPU cost under load). `extra`
        adds Bot API parameters (a topic, a message replied to)."""
        params: dict[str, object] = {
            "chat_id": chat_id,
            "text": html,
            "parse_mode": ParseMode.HTML.value,
            "link_preview_options": {"is_disabled": True},
            **extra,
        }
        if keyboard is not None:
            params["reply_markup"] = keyboard
        if message_id is not None:
            params["message_id"] = message_id
        return await self.call(self.bot.do_api_request, endpoint=method, api_kwargs=params)

    async def post(
        self,
        chat_id: int,
        text: str,
        thread_id: int | None = None,
        reply_to: int | None = None,
        choices: tuple[tuple[str, str], ...] = (),
    ) -> list[int]:
        """Send a plain text to a group (in a topic, or as a reply); returns the message ids.

        A reply whose original was deleted is sent anyway (`allow_sending_without_reply`)."""
        extra: dict[str, object] = {}
        if thread_id is not None:
            extra["message_thread_id"] = thread_id
        if reply_to is not None:
            extra["reply_parameters"] = {
                "message_id": reply_to,
                "allow_sending_without_reply": True,
            }
        ids = []
        for piece in to_messages(Rendered(text, choices)):
            sent = await self.request("sendMessage", chat_id, piece.html, piece.keyboard, **extra)
            if isinstance(sent, dict) and "message_id" in sent:
                ids.append(int(sent["message_id"]))
        return ids

    async def create_topic(self, chat_id: int, name: str) -> int:
        """A new forum topic; its id is the thread id to post into."""
        topic = await self.call(self.bot.create_forum_topic, chat_id=chat_id, name=name)
        return int(topic.message_thread_id)  # type: ignore[attr-defined]

    async def topic(self, action: str, chat_id: int, thread_id: int) -> bool:
        """close, reopen or delete a forum topic; False when Telegram refused (best effort)."""
        method = {
            "close": self.bot.close_forum_topic,
            "reopen": self.bot.reopen_forum_topic,
            "delete": self.bot.delete_forum_topic,
        }[action]
        try:
            await self.call(method, chat_id=chat_id, message_thread_id=thread_id)
        except (BadRequest, Undeliverable) as error:
            log.info("could not %s topic %s: %s", action, thread_id, error)
            return False
        return True

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> bool:
        """Set a forum topic's title (best effort: False when Telegram refused)."""
        try:
            await self.call(
                self.bot.edit_forum_topic, chat_id=chat_id, message_thread_id=thread_id, name=name
            )
        except (BadRequest, Undeliverable) as error:
            return "not_modified" in error.args[0].lower() if error.args else False
        return True

    async def delete(self, chat_id: int, message_ids: list[int]) -> bool:
        """Delete messages by hundreds (best effort: False when Telegram refused)."""
        try:
            for start in range(0, len(message_ids), 100):
                chunk = message_ids[start : start + 100]
                await self.call(self.bot.delete_messages, chat_id=chat_id, message_ids=chunk)
        except (BadRequest, Undeliverable) as error:
            log.info("could not delete messages: %s", error)
            return False
        return True

    async def answer(self, query_id: str) -> None:
        """Stop the button's spinner; a query already answered or too old is not an error."""
        try:
            await self.call(self.bot.answer_callback_query, callback_query_id=query_id)
        except (Undeliverable, BadRequest) as error:
            log.debug("callback query not answered: %s", error)

    async def call(self, method, **params: object) -> object:  # type: ignore[no-untyped-def]
        """One Bot API call, waiting out "too many requests"; final refusals → Undeliverable."""
        for attempt in range(RETRIES + 1):
            try:
                async with self._senders:
                    return await method(**params)
            except RetryAfter as error:
                if attempt == RETRIES:
                    raise
                seconds = retry_seconds(error)
                log.warning("Telegram asks to wait %.0f s", seconds)
                await asyncio.sleep(seconds)
            except Forbidden as error:
                raise Undeliverable(f"forbidden: {error.message}") from None
            except ChatMigrated as error:
                raise Undeliverable(f"chat migrated to {error.new_chat_id}") from None
            except BadRequest as error:
                if "chat not found" in error.message.lower():
                    raise Undeliverable("chat not found") from None
                raise
        raise AssertionError("unreachable")
