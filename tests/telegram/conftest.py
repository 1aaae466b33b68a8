"""Telegram fixtures: the Bot API emulator on 127.0.0.1 and the real bot serving it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.settings import Secret, Settings
from bot.telegram.service import serve_telegram
from tests.conftest import MONDAY_MORNING, settings_for
from tests.telegram.bot_api import Emulator

TOKEN = "123456:TEST-allodiscri-not-a-real-token"
BOT_USERNAME = "allodiscri_test_bot"


def telegram_settings(emu: Emulator, tmp_path: Path, **changes: object) -> Settings:
    return replace(
        settings_for(tmp_path),
        telegram_token=Secret(TOKEN),
        telegram_api_url=emu.api_url,
        **changes,  # type: ignore[arg-type]
    )


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(token=TOKEN, bot_id=123456, bot_username=BOT_USERNAME) as emulator:
        yield emulator


@asynccontextmanager
async def serving(
    emu: Emulator,
    tmp_path: Path,
    at: datetime = MONDAY_MORNING,
    clock: Callable[[], datetime] | None = None,
    **changes: object,
) -> AsyncIterator[App]:
    """The bot serving the emulator, in this event loop, until the block ends."""
    settings = telegram_settings(emu, tmp_path, **changes)
    async with open_app(settings, clock=clock or (lambda: at)) as app:
        stop = asyncio.Event()
        task = asyncio.create_task(serve_telegram(app, stop))
        try:
            yield app
        finally:
            stop.set()
            await asyncio.wait_for(task, 15)


@pytest.fixture
async def bot(emu: Emulator, tmp_path: Path) -> AsyncIterator[App]:
    async with serving(emu, tmp_path) as app:
        yield app
