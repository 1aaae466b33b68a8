"""Telegram end to end: people writing through the Bot API emulator to the real bot process.

Prints three figures, so that they say which side limits:
1. the emulator alone, served by a bare echo bot on the same python-telegram-bot transport;
2. the bot (`allodiscri run`, its own process, real SQLite file) with N people writing at once:
   updates per second, and p50/p99 from a person's message to the bot's next question;
3. the bot under a steady 100 updates/s: p50/p99 of the same delay.

Targets (issue 3): >= 300 updates/s handled, p99 <= 250 ms at 100 updates/s.

Usage: python bench/telegram.py [--people 1000] [--steady-seconds 20] [--rate 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.telegram.bot_api import Emulator

TOKEN = "123456:BENCH-not-a-real-token"
STORIES = (
    "L'agence a refusé mon dossier pour l'appartement quand elle a vu mon nom arabe.",
    "Mon chef me fait des remarques sur mon handicap devant tout le monde.",
    "I was fired after telling my boss I was pregnant.",
    "Le videur m'a refusé l'entrée de la boîte parce que je suis noir.",
)
ECHO_BOT = textwrap.dedent(
    """
    import asyncio, sys
    sys.path.insert(0, sys.argv[3])
    from telegram import Bot
    from bot.telegram.transport import AiohttpRequest

    KEYBOARD = {"inline_keyboard": [[{"text": "ok", "callback_data": "ok"}]]}

    async def main():
        bot = Bot(sys.argv[1], base_url=sys.argv[2], request=AiohttpRequest(16),
                  get_updates_request=AiohttpRequest(1, read_timeout=40))
        async with bot:
            offset = None
            while True:
                updates = await bot.get_updates(offset=offset, timeout=25, limit=100)
                await asyncio.gather(*(
                    bot.do_api_request("sendMessage", {"chat_id": u.message.chat_id,
                                       "text": u.message.text, "reply_markup": KEYBOARD})
                    for u in updates if u.message))
                if updates:
                    offset = updates[-1].update_id + 1

    asyncio.run(main())
    """
)
ROOT = str(Path(__file__).resolve().parents[1])


def has_buttons(message: dict[str, Any]) -> bool:
    return bool((message.get("reply_markup") or {}).get("inline_keyboard"))


async def until_question(user: Any, timeout: float = 60.0) -> None:
    """Wait for the bot's next question (the last message of every turn carries buttons)."""
    while True:
        for message in await user.replies(count=1, timeout=timeout):
            if has_buttons(message):
                return


def label_of(user: Any, data: str) -> str:
    for row in user.last["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button.get("callback_data") == data:
                return str(button["text"])
    raise AssertionError(f"{data} not offered")


class Person:
    """One person's conversation, a step at a time; each step is timed to the next question."""

    def __init__(self, user: Any, number: int) -> None:
        self.user = user
        self.story = STORIES[number % len(STORIES)]
        self.position = 0

    def act(self) -> None:
        steps = (
            lambda: self.user.send("/restart" if self.position else "/start"),
            lambda: self.user.press(label_of(self.user, "role.victime")),
            lambda: self.user.send(self.story),
            lambda: self.user.send("/help"),
        )
        steps[self.position % len(steps)]()
        self.position += 1

    async def step(self) -> float:
        started = time.perf_counter()
        self.act()
        await until_question(self.user)
        return time.perf_counter() - started


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of a process, this one by default."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall time and the CPU share of the bot's process and of this one (emulator + people)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.wall, self.bot, self.here = time.perf_counter(), cpu_seconds(pid), cpu_seconds()

    def __str__(self) -> str:
        wall = time.perf_counter() - self.wall
        bot = (cpu_seconds(self.pid) - self.bot) / wall
        here = (cpu_seconds() - self.here) / wall
        return f"CPU: bot {bot:.0%} of a core, emulator + people {here:.0%}"


@asynccontextmanager
async def process(*argv: str, env: dict[str, str]) -> AsyncIterator[int]:
    child = await asyncio.create_subprocess_exec(
        *argv, env={**os.environ, **env}, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        yield child.pid
    finally:
        child.terminate()
        try:
            await asyncio.wait_for(child.wait(), 20)
        except TimeoutError:
            child.kill()
            await child.wait()


def api_calls(emu: Emulator) -> int:
    """Bot API requests so far (the counters with a space are the emulator's own tallies)."""
    return sum(count for name, count in emu.stats.items() if " " not in name)


def quantiles(delays: list[float]) -> str:
    ordered = sorted(delays)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"p50 {p50:.0f} ms, p99 {p99:.0f} ms"


async def burst(people: list[Person], rounds: int) -> tuple[float, list[float]]:
    """Everybody writes at once, and each writes again as soon as answered, `rounds` times."""

    async def converse(person: Person) -> list[float]:
        return [await person.step() for _ in range(rounds)]

    started = time.perf_counter()
    delays = [d for ds in await asyncio.gather(*(converse(p) for p in people)) for d in ds]
    elapsed = time.perf_counter() - started
    return len(delays) / elapsed, delays


async def steady(people: list[Person], rate: float, seconds: float) -> list[float]:
    """Open loop: one update every 1/rate s, from people who are not waiting for an answer."""
    idle = list(people)
    tasks: list[asyncio.Task[float]] = []
    start = time.perf_counter()
    count = int(rate * seconds)
    for i in range(count):
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        person = idle.pop(0)

        async def run(person: Person = person) -> float:
            try:
                return await person.step()
            finally:
                idle.append(person)

        tasks.append(asyncio.create_task(run()))
    return list(await asyncio.gather(*tasks))


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="allodiscri-bench-"))
    async with Emulator(token=TOKEN, bot_id=123456, bot_username="allodiscri_bench_bot") as emu:
        echo_users = [emu.user(user_id=10_000 + i, first_name="E") for i in range(args.people)]
        async with process(sys.executable, "-c", ECHO_BOT, TOKEN, emu.api_url, ROOT, env={}) as pid:
            await asyncio.sleep(1.0)
            meter = Meter(pid)

            async def echo(user: Any) -> float:
                started = time.perf_counter()
                user.send("ping")
                await user.replies(count=1, timeout=60)
                return time.perf_counter() - started

            started = time.perf_counter()
            delays = await asyncio.gather(*(echo(u) for u in echo_users))
            rate = len(delays) / (time.perf_counter() - started)
            print(f"emulator alone (echo bot): {rate:,.0f} updates/s, {quantiles(delays)}; {meter}")

        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": emu.api_url,
            "ALLODISCRI_DB": str(folder / "bench.sqlite3"),
        }
        people = [
            Person(emu.user(user_id=20_000 + i, first_name="P", language_code="fr"), i)
            for i in range(args.people)
        ]
        async with process(sys.executable, "-m", "bot", "run", env=env) as pid:
            await asyncio.sleep(2.0)
            meter = Meter(pid)
            calls = api_calls(emu)
            rate, delays = await burst(people, rounds=3)
            per_update = (api_calls(emu) - calls) / (len(delays) or 1)
            print(
                f"bot, {args.people} people writing at once (3 messages each): "
                f"{rate:,.0f} updates/s, "
                f"{quantiles(delays)}; {meter}; {per_update:.1f} Bot API calls per update"
            )
            meter = Meter(pid)
            delays = await steady(people, args.rate, args.steady_seconds)
            mean = statistics.mean(delays) * 1000
            print(
                f"bot, steady {args.rate:.0f} updates/s for {args.steady_seconds:.0f} s: "
                f"{quantiles(delays)}, mean {mean:.0f} ms; {meter}"
            )
        print(f"emulator counters: {emu.stats}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--steady-seconds", type=float, default=20.0)
    asyncio.run(main(parser.parse_args()))
