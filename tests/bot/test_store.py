"""The store: migrations recorded and safe to re-run, one transaction per step, purge."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.store import Store
from flows import State, Step
from tests.conftest import MONDAY_MORNING


async def test_migrations_are_recorded_and_safe_to_rerun(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = await Store.open(path)
    assert await store.migrate() == ()
    await store.close()
    store = await Store.open(path)
    assert await store.migrate() == ()
    await store.close()


async def test_a_failed_step_leaves_nothing_behind(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.sqlite3")
    step = Step(State(), (), (object(),))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unknown effect"):
        await store.commit("k", "console", 7, step, [], MONDAY_MORNING)
    assert await store.load("k") is None
    assert not await store.seen("console", 7)
    await store.close()


async def test_purge_forgets_idle_conversations(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.sqlite3")
    await store.commit("old", "console", 1, Step(State(), ()), [], MONDAY_MORNING)
    later = MONDAY_MORNING + timedelta(days=31)
    await store.commit("new", "console", 2, Step(State(), ()), [], later)
    assert await store.purge(later, retention_days=30) == 1
    assert await store.load("old") is None and await store.load("new") is not None
    await store.close()


def test_state_round_trips_through_json() -> None:
    state = State(criteria=("origine", "pretendue_race"), answered=("intro",), urgent=True)
    assert State.from_json(state.to_json()) == state
