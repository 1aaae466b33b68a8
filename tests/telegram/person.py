"""A person on Telegram, as the tests see them: they write, press buttons, and read the chat.

Drives the emulator's user (`tests/telegram/emulator.py`), which talks to the real bot over HTTP.
A turn ends when the bot's question arrives: every question carries buttons, and it is always
the last message of a turn; a ticked multiple choice is an edit of the pressed message instead.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]
TURN_TIMEOUT = 10.0


def buttons(message: Message) -> list[tuple[str, str]]:
    """(callback data, label) of a message's inline keyboard."""
    markup = message.get("reply_markup") or {}
    return [
        (button.get("callback_data", ""), button["text"])
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


@dataclass
class Person:
    user: Any
    """The emulator's user (its private chat with the bot)."""
    turn: list[Message] = field(default_factory=list)

    @property
    def messages(self) -> list[Message]:
        return list(self.user.messages)

    @property
    def last_question(self) -> Message:
        for message in reversed(self.messages):
            if buttons(message):
                return message
        raise AssertionError("the bot asked nothing yet")

    @property
    def choices(self) -> list[str]:
        """Callback data of the current question's buttons."""
        return [data for data, _ in buttons(self.last_question)]

    @property
    def text(self) -> str:
        """Everything the bot said in the latest turn."""
        return "\n".join(m.get("text", "") for m in self.turn)

    def label(self, data: str) -> str:
        for button_data, label in buttons(self.last_question):
            if button_data == data:
                return label
        raise AssertionError(f"{data} not offered: {self.choices}")

    async def say(self, text: str) -> list[Message]:
        return await self._turn(lambda: self.user.send(text))

    async def press(self, data: str) -> list[Message]:
        """Press the current question's button with this data, by its label, as a person does."""
        label = self.label(data)
        return await self._turn(lambda: self.user.press(label))

    async def tick(self, data: str) -> Message:
        """Press a button of a multiple choice: the question is edited in place."""
        question = self.last_question
        label = self.label(data)
        before = buttons(question)
        self.user.press(label)
        await wait_until(lambda: buttons(self._current(question)) != before, "the tick")
        return self._current(question)

    async def send_update(self, action: Any) -> list[Message]:
        """Any other action (a sticker, an edit, a raw update) that gets a turn in answer."""
        return await self._turn(action)

    def _current(self, message: Message) -> Message:
        return next(m for m in self.messages if m["message_id"] == message["message_id"])

    async def _turn(self, action: Any) -> list[Message]:
        before = len(self.messages)
        action()
        await wait_until(
            lambda: any(buttons(m) for m in self.messages[before:]),
            f"an answer after message {before}",
        )
        self.turn = self.messages[before:]
        return self.turn


async def wait_until(ready: Any, what: str, timeout: float = TURN_TIMEOUT) -> None:
    """Poll `ready()` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)
