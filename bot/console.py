"""The terminal channel: the same conversation, typed, with numbered choices.

Works interactively and with piped standard input (one line per turn), so a conversation can be
scripted. The conversation lives in the store: quitting and coming back resumes it.
"""

from __future__ import annotations

import asyncio
import getpass
import re
from dataclasses import dataclass, field
from typing import TextIO

from bot.engine import Engine
from bot.i18n import Rendered
from flows import N_, Event, EventKind, msg

CHANNEL = "console"
QUIT = ("/quit", "/exit", "/q")
HINT = N_("console.hint")
NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


@dataclass(slots=True)
class ConsoleOutput:
    """Prints replies and remembers the last choices so that a typed number selects one."""

    out: TextIO
    choices: list[str] = field(default_factory=list)

    async def send(self, key: str, message: Rendered) -> None:
        self.out.write(message.text + "\n")
        if message.choices:
            self.choices = [choice_id for choice_id, _ in message.choices]
            for number, (_, label) in enumerate(message.choices, start=1):
                self.out.write(f"  {number}. {label}\n")
        self.out.write("\n")
        self.out.flush()

    def event(self, line: str) -> Event:
        """A typed line as an event: a number picks a choice, '/x' is a command, else text."""
        stripped = line.strip()
        number = NUMBER.match(stripped)
        if number and self.choices and 1 <= int(number.group(1)) <= len(self.choices):
            return Event.tap(self.choices[int(number.group(1)) - 1])
        if stripped.startswith("/") and len(stripped) > 1:
            return Event.command_line(stripped)
        return Event.say(line.rstrip("\n"))


def console_key(user: str | None) -> str:
    return f"{CHANNEL}:{user or getpass.getuser()}"


async def run_console(
    engine: Engine, stdin: TextIO, stdout: TextIO, user: str | None = None
) -> int:
    """Chat until end of input or /quit; the conversation stays in the store for next time."""
    key = console_key(user)
    output = ConsoleOutput(stdout)
    interactive = stdin.isatty()
    if interactive:
        hint = engine.renderer.message(msg(HINT), engine.world.default_language)
        stdout.write(hint + "\n\n")
    await engine.flush(output, key)
    opening = EventKind.RESUME if await engine.exists(key) else EventKind.START
    await engine.deliver(await engine.handle(key, CHANNEL, Event(opening)), output)
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await loop.run_in_executor(None, stdin.readline)
        if not line or line.strip().lower() in QUIT:
            break
        if not line.strip():
            continue
        items = await engine.handle(key, CHANNEL, output.event(line))
        await engine.deliver(items, output)
    return 0
