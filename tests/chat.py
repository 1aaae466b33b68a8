"""A person's side of a conversation, driven over the real engine, store and catalogues.

`await chat.say("…")`, `await chat.tap("role.temoin")`, then `chat.last.text`, `chat.choices`.
Only the network edge is replaced: replies are collected instead of sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine import Engine
from bot.i18n import Rendered
from flows import Event, EventKind


@dataclass(slots=True)
class Collecting:
    """The tests' output port: keeps every delivered message per conversation."""

    sent: dict[str, list[Rendered]] = field(default_factory=dict)

    async def send(self, key: str, message: Rendered) -> None:
        self.sent.setdefault(key, []).append(message)


@dataclass(slots=True)
class Chat:
    engine: Engine
    key: str = "console:test"
    channel: str = "console"
    port: Collecting = field(default_factory=Collecting)
    turn: list[Rendered] = field(default_factory=list)
    update_id: int = 0

    @property
    def messages(self) -> list[Rendered]:
        return self.port.sent.get(self.key, [])

    @property
    def last(self) -> Rendered:
        return self.messages[-1]

    @property
    def choices(self) -> list[str]:
        """The choice ids of the latest message that offered any."""
        for message in reversed(self.messages):
            if message.choices:
                return [choice_id for choice_id, _ in message.choices]
        return []

    @property
    def text(self) -> str:
        """Everything the bot said in the latest turn, joined."""
        return "\n".join(m.text for m in self.turn)

    def label(self, choice_id: str) -> str:
        for message in reversed(self.messages):
            for cid, label in message.choices:
                if cid == choice_id:
                    return label
        raise KeyError(choice_id)

    async def send(self, event: Event, update_id: int | None = None) -> list[Rendered]:
        before = len(self.messages)
        items = await self.engine.handle(self.key, self.channel, event, update_id)
        await self.engine.deliver(items, self.port)
        self.turn = self.messages[before:]
        return self.turn

    async def start(self) -> list[Rendered]:
        return await self.send(Event(EventKind.START))

    async def say(self, text: str) -> list[Rendered]:
        return await self.send(Event.say(text))

    async def tap(self, choice_id: str) -> list[Rendered]:
        """Press a button the bot offered (fails loudly if it did not offer it)."""
        assert choice_id in self.choices, f"{choice_id} not offered: {self.choices}"
        return await self.send(Event.tap(choice_id))

    async def command(self, line: str) -> list[Rendered]:
        return await self.send(Event.command_line(line))
