"""Replay many scripted conversations through the engine and a real SQLite file; print figures.

Targets (issue 2, one core): >= 1,000 steps/s, p99 step latency <= 20 ms, <= 4 KB of memory per
waiting conversation (the state lives in the store, not in memory).

Usage: python bench/engine.py [--conversations 300] [--concurrency 20] [--waiting 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import open_app
from bot.i18n import Rendered
from bot.settings import Settings
from flows import Event, EventKind

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
STORIES = (
    "L'agence a refusé mon dossier pour l'appartement quand elle a vu mon nom arabe.",
    "Mon chef me fait des remarques sur mon handicap devant tout le monde, 06 12 34 56 78.",
    "I was fired after telling my boss I was pregnant, my name is Anna Smith.",
    "Le videur m'a refusé l'entrée de la boîte parce que je suis noir.",
)
SCRIPT = (
    Event(EventKind.START),
    Event.tap("role.victime"),
    None,  # the story
    Event.tap("confirm.yes"),
    Event.say("Nantes"),
    Event.tap("need.orient"),
    Event.tap("needs.done"),
    Event.tap("info.partners"),
    Event.tap("partners.done"),
    Event.tap("consent.yes"),
)


class Discard:
    async def send(self, key: str, message: Rendered) -> None:
        return None


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def converse(engine, number: int, latencies: list[float], port: Discard) -> int:  # type: ignore[no-untyped-def]
    key = f"bench:{number}"
    steps = 0
    for event in SCRIPT:
        event = event or Event.say(STORIES[number % len(STORIES)])
        started = time.perf_counter()
        items = await engine.handle(key, "bench", event, update_id=number * 100 + steps)
        await engine.deliver(items, port)
        latencies.append(time.perf_counter() - started)
        steps += 1
    return steps


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database=Path(folder) / "bench.sqlite3")
        async with open_app(settings, clock=lambda: NOW) as app:
            engine, port = app.engine, Discard()
            await converse(engine, -1, [], port)  # warm up (catalogues, lexicons, caches)
            latencies: list[float] = []
            started = time.perf_counter()
            queue = list(range(args.conversations))

            async def worker() -> None:
                while queue:
                    await converse(engine, queue.pop(), latencies, port)

            await asyncio.gather(*(worker() for _ in range(args.concurrency)))
            elapsed = time.perf_counter() - started
            reports = len(await app.store.reports())
            ordered = sorted(latencies)
            p50 = statistics.median(ordered) * 1000
            p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
            print(
                f"conversations: {args.conversations} ({reports} records), "
                f"concurrency {args.concurrency}"
            )
            print(
                f"steps: {len(latencies)} in {elapsed:.2f} s "
                f"-> {len(latencies) / elapsed:,.0f} steps/s"
            )
            print(
                f"step latency: p50 {p50:.2f} ms, p99 {p99:.2f} ms (includes queueing at "
                f"concurrency {args.concurrency})"
            )

            gc.collect()
            before = rss_kib()
            for number in range(args.waiting):
                key = f"waiting:{number}"
                for event in (Event(EventKind.START), Event.tap("role.victime")):
                    await engine.deliver(await engine.handle(key, "bench", event), port)
            gc.collect()
            after = rss_kib()
            per = (after - before) * 1024 / args.waiting
            print(
                f"memory: {args.waiting} conversations waiting for their story: "
                f"RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB, {per:,.0f} bytes each"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--waiting", type=int, default=5000)
    asyncio.run(main(parser.parse_args()))
