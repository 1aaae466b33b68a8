"""Wiring in one place: `open_app(settings)` builds the store, data, catalogues and engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.engine import Engine, World
from bot.i18n import Catalogues, Renderer
from bot.settings import Settings
from bot.store import Store
from directory.lexicon import load_lexicon
from directory.load import load_directory, load_knowledge
from directory.names import load_names


@dataclass(frozen=True, slots=True)
class App:
    settings: Settings
    store: Store
    engine: Engine
    world: World


def load_world(settings: Settings) -> World:
    """Every data file, validated; raises `DataError` naming file, entry and field."""
    knowledge = load_knowledge()
    directory = load_directory(settings.territory, settings.data_dir, knowledge=knowledge)
    return World(
        knowledge=knowledge,
        directory=directory,
        lexicon=load_lexicon(),
        names=load_names(),
        retention_days=settings.retention_days,
        default_language=settings.default_language,
        team_group=settings.operators_group or directory.territory.operators.group,
    )


@asynccontextmanager
async def open_app(
    settings: Settings, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[App]:
    world = load_world(settings)
    renderer = Renderer(Catalogues.load(), world.knowledge)
    zone = ZoneInfo(world.directory.territory.timezone)
    store = await Store.open(settings.database)
    try:
        engine = Engine(store, renderer, world, clock or partial(datetime.now, zone))
        await store.purge(engine_now(clock, zone), settings.retention_days)
        yield App(settings, store, engine, world)
    finally:
        await store.close()


def engine_now(clock: Callable[[], datetime] | None, zone: ZoneInfo) -> datetime:
    return clock() if clock else datetime.now(zone)
