"""The command line: reports export, the flow diagram, help texts, settings."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from bot.app import open_app
from bot.cli import build_parser, main
from bot.commands.flows import mermaid
from bot.settings import Secret, Settings
from flows import Stage
from tests.bot.test_robustness import _walk_to
from tests.chat import Chat
from tests.conftest import MONDAY_MORNING, settings_for

ROOT = Path(__file__).resolve().parents[2]


async def _one_closed_conversation(tmp_path: Path) -> None:
    async with open_app(settings_for(tmp_path), clock=lambda: MONDAY_MORNING) as app:
        await _walk_to(Chat(app.engine), Stage.CLOSED)


def test_reports_export_csv_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_one_closed_conversation(tmp_path))
    db = str(tmp_path / "allodiscri.sqlite3")
    assert main(["reports", "export", "--format", "json", "--db", db]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 1 and records[0]["criteria"] == ["grossesse"]
    assert set(records[0]) >= {"ref", "month", "territory", "criteria", "domain", "description"}
    assert not {"key", "chat_id", "user", "name", "username"} & set(records[0])
    assert main(["reports", "export", "--format", "csv", "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["domain"] == "emploi_prive" and rows[0]["territory"] == "nantes"


def test_diagram_is_checked_in_and_current() -> None:
    assert (ROOT / "docs" / "flow.mmd").read_text(encoding="utf-8") == mermaid()
    for stage in Stage:
        assert stage.value in mermaid()


def _commands() -> list[tuple[str, str]]:
    parser = build_parser()
    found = []
    top = parser._subparsers._group_actions[0]  # type: ignore[union-attr]
    for name, sub in top.choices.items():
        verbs = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
        if verbs:
            found += [(f"{name} {verb}", p.epilog or "") for verb, p in verbs[0].choices.items()]
        else:
            found.append((name, sub.epilog or ""))
    return found


@pytest.mark.parametrize("command,epilog", _commands(), ids=lambda c: str(c))
def test_every_command_has_an_example_and_is_in_the_readme(command: str, epilog: str) -> None:
    assert "example" in epilog.lower()
    assert f"allodiscri {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_token_never_shows() -> None:
    settings = Settings.load({"TELEGRAM_BOT_TOKEN": "123456:SECRET-TOKEN"})
    assert isinstance(settings.telegram_token, Secret)
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.telegram_token)
    assert settings.telegram_token.value == "123456:SECRET-TOKEN"


def test_settings_from_a_toml_file(tmp_path: Path) -> None:
    config = tmp_path / "allodiscri.toml"
    config.write_text('territory = "nancy"\nretention_days = 7\n', encoding="utf-8")
    settings = Settings.load({"ALLODISCRI_CONFIG": str(config), "ALLODISCRI_RETENTION_DAYS": "9"})
    assert settings.territory == "nancy" and settings.retention_days == 9
    with pytest.raises(ValueError, match="unknown settings: colour"):
        config.write_text('colour = "blue"\n', encoding="utf-8")
        Settings.load({"ALLODISCRI_CONFIG": str(config)})
