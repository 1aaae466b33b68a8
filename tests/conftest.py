"""Shared fixtures: the real app on a SQLite file in a temporary folder, at a fixed time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, open_app
from bot.settings import Settings
from tests.chat import Chat

PARIS = ZoneInfo("Europe/Paris")
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
SATURDAY_NIGHT = datetime(2026, 11, 28, 22, 0, tzinfo=PARIS)


class Clock:
    """A clock a test moves by hand (`clock.at = …`), for hours, reminders and delays."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def settings_for(tmp_path: Path, territory: str = "nantes") -> Settings:
    return Settings(territory=territory, database=tmp_path / "allodiscri.sqlite3")


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with open_app(settings_for(tmp_path), clock=lambda: MONDAY_MORNING) as app:
        yield app


@pytest.fixture
async def chat(app: App) -> Chat:
    return Chat(app.engine)
