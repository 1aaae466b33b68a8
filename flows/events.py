"""What a person can do, as channel-neutral events: start, write, press a button, type a command."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    START = "start"
    """A new conversation opens (first contact, or the channel's start button)."""
    RESUME = "resume"
    """The person comes back to a conversation kept in the store."""
    TEXT = "text"
    """Free text the person typed."""
    CHOICE = "choice"
    """A button pressed (or its number typed in the console): carries the choice id."""
    COMMAND = "command"
    """A command such as /help, /back, /person, /forget, /language, /privacy, /restart."""
    UNSUPPORTED = "unsupported"
    """Something we cannot read (sticker, photo, voice…): answered kindly, nothing stored."""


COMMANDS = ("start", "help", "back", "restart", "person", "forget", "language", "privacy")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing the person did; exactly one of text, choice or command is meaningful."""

    kind: EventKind
    text: str = ""
    choice: str = ""
    command: str = ""
    arg: str = ""

    @classmethod
    def say(cls, text: str) -> Event:
        return cls(EventKind.TEXT, text=text)

    @classmethod
    def tap(cls, choice_id: str) -> Event:
        return cls(EventKind.CHOICE, choice=choice_id)

    @classmethod
    def unsupported(cls, what: str = "media") -> Event:
        """Something we cannot take: `media` (sticker, photo…) or `edited` (a changed message)."""
        return cls(EventKind.UNSUPPORTED, arg=what)

    @classmethod
    def command_line(cls, line: str) -> Event:
        """Parse '/name arg' (the '@botname' suffix Telegram adds is dropped)."""
        head, _, arg = line.strip().lstrip("/").partition(" ")
        name = head.split("@", 1)[0].lower()
        return cls(EventKind.COMMAND, command=name, arg=arg.strip())
