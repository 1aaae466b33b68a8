"""The operators' desk under load: `allodiscri run` (its own process) ↔ HTTP ↔ the emulator.

Prints:
1. escalations: N people ask for a person at once; how fast their follow-ups reach the group
   (one topic each, sheet included);
2. relays: every follow-up taken, then people and members of the team write to each other at a
   steady rate; p50/p99 from a message to its copy on the other side, each way.

The group's messages are handled one at a time, in order (a team writes little); this shows how
much room that leaves.

Usage: python bench/operators.py [--people 200] [--rate 50] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.telegram import TOKEN, Meter, process, quantiles
from tests.telegram.bot_api import Emulator

GROUP = -1009999


async def _until(ready: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not keep up")
        await asyncio.sleep(0.002)


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="allodiscri-bench-ops-"))
    async with Emulator(token=TOKEN, bot_id=123456, bot_username="allodiscri_bench_bot") as emu:
        members = [emu.user(30_000 + i, f"Op{i}") for i in range(5)]
        team = emu.group(GROUP, "Équipe", forum=True, members=members)
        users = [emu.user(40_000 + i, "P", "fr") for i in range(args.people)]
        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": emu.api_url,
            "ALLODISCRI_DB": str(folder / "bench.sqlite3"),
            "ALLODISCRI_OPERATORS_GROUP": str(GROUP),
        }
        async with process(sys.executable, "-m", "bot", "run", env=env) as pid:
            await asyncio.sleep(2.0)
            for user in users:
                user.send("/start")
            await _until(lambda: all(len(u.messages) >= 2 for u in users))

            meter = Meter(pid)
            started = time.perf_counter()
            for user in users:
                user.send("/person")
            await _until(lambda: len(team.topics) == args.people)
            elapsed = time.perf_counter() - started
            print(
                f"escalations: {args.people} people at once, all in the group in "
                f"{elapsed:.2f} s ({args.people / elapsed:,.0f} follow-ups/s, one topic each); "
                f"{meter}"
            )

            topic_of = {}
            for thread, title in team.topics.items():
                number = int(title.split(" · ")[0].split()[-1])
                topic_of[number] = thread
            for number, thread in topic_of.items():
                team.send(members[number % len(members)], "/take", thread_id=thread)
            await _until(lambda: all(any("est là" in m["text"] for m in u.messages) for u in users))

            meter = Meter(pid)
            to_team: list[float] = []
            to_person: list[float] = []
            count = int(args.rate * args.seconds)
            start = time.perf_counter()
            tasks = []
            for i in range(count):
                await asyncio.sleep(max(0.0, start + i / args.rate - time.perf_counter()))
                number = i % args.people + 1
                user = users[number - 1]
                if i % 2 == 0:
                    text = f"message {i} de la personne"
                    user.send(text)
                    tasks.append(asyncio.create_task(_arrival(team, text, to_team)))
                else:
                    text = f"réponse {i} de l'équipe"
                    team.send(members[0], text, thread_id=topic_of[number])
                    tasks.append(asyncio.create_task(_arrival(user, text, to_person)))
            await asyncio.gather(*tasks)
            print(
                f"relays at {args.rate:.0f} messages/s for {args.seconds:.0f} s "
                f"({args.people} conversations with the team): person → group "
                f"{quantiles(to_team)}; group → person {quantiles(to_person)}; {meter}"
            )


async def _arrival(chat: Any, text: str, delays: list[float]) -> None:
    started = time.perf_counter()
    await _until(lambda: any(m.get("text", "").endswith(text) for m in chat.messages[-20:]))
    delays.append(time.perf_counter() - started)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    asyncio.run(main(parser.parse_args()))
