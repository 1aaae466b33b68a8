"""The operators' relay survives hard kills: `allodiscri run` as its own process, killed with
SIGKILL while a person and a member of the team write to each other."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

from tests.telegram.bot_api import Emulator
from tests.telegram.person import Person, wait_until
from tests.telegram.test_reliability import _kill, bot_process

_until = partial(wait_until, timeout=20.0)

GROUP = -1005555
ROUNDS = (0.1, 0.25, 0.4)


def _in_order(texts: list[str], expected: list[str]) -> list[str]:
    """The expected texts, each at its first appearance, in the order they appeared."""
    seen: list[str] = []
    for text in texts:
        for want in expected:
            if text.endswith(want) and want not in seen:
                seen.append(want)
    return seen


async def test_killed_while_a_person_and_the_team_talk(emu: Emulator, tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    env = {"ALLODISCRI_OPERATORS_GROUP": str(GROUP)}
    camille = emu.user(9101, "Camille")
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille])
    user = emu.user(7001, "Sam", "fr")
    person = Person(user)
    async with bot_process(emu, db, extra_env=env):
        await person.say("/start")
        await person.say("/person")
        await _until(lambda: team.topics, "the follow-up's topic")
        thread = next(iter(team.topics))
        team.send(camille, "/take", thread_id=thread)
        await _until(lambda: any("est là" in m["text"] for m in user.messages), "the take-over")
    said_by_person: list[str] = []
    said_by_team: list[str] = []
    for round_number, delay in enumerate(ROUNDS):
        async with bot_process(emu, db, extra_env=env) as process:
            for i in range(4):
                relayed_before = len(team.messages)
                said_by_person.append(f"personne {round_number}.{i}")
                user.send(said_by_person[-1])
                said_by_team.append(f"équipe {round_number}.{i}")
                team.send(camille, said_by_team[-1], thread_id=thread)
                if i == 0:  # the bot is up and relaying: the kill falls in the middle of work
                    await _until(lambda n=relayed_before: len(team.messages) > n, "the bot at work")
                await asyncio.sleep(delay / 4)
            await _kill(process)
    async with bot_process(emu, db, extra_env=env):
        group_texts = lambda: [m["text"] for m in team.messages]  # noqa: E731
        person_texts = lambda: [m["text"] for m in user.messages]  # noqa: E731
        await _until(
            lambda: len(_in_order(group_texts(), said_by_person)) == len(said_by_person),
            "every message of the person in the group",
        )
        await _until(
            lambda: len(_in_order(person_texts(), said_by_team)) == len(said_by_team),
            "every message of the team at the person's",
        )
    assert _in_order(group_texts(), said_by_person) == said_by_person, "in order"
    assert _in_order(person_texts(), said_by_team) == said_by_team, "in order"
    # A message in flight at a kill may go out again (Telegram has no idempotent send):
    # at most one per kill on each side; never lost.
    relayed = [t for t in group_texts() if any(t.endswith(w) for w in said_by_person)]
    answered = [t for t in person_texts() if any(t.endswith(w) for w in said_by_team)]
    assert len(relayed) - len(said_by_person) <= len(ROUNDS), relayed
    assert len(answered) - len(said_by_team) <= len(ROUNDS), answered
    assert len(team.topics) == 1
