"""The terminal channel: numbered choices, piped input, and resuming after quitting."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from bot.app import open_app
from bot.console import run_console
from tests.conftest import MONDAY_MORNING, settings_for

ROOT = Path(__file__).resolve().parents[2]


async def _console(tmp_path: Path, lines: str) -> str:
    out = io.StringIO()
    async with open_app(settings_for(tmp_path), clock=lambda: MONDAY_MORNING) as app:
        await run_console(app.engine, io.StringIO(lines), out, user="tester")
    return out.getvalue()


async def test_numbers_pick_choices_and_quitting_then_coming_back_resumes(tmp_path: Path) -> None:
    first = await _console(tmp_path, "1\n/quit\n")
    assert "  1. Cela m'est arrivé" in first
    assert "Racontez-moi" in first
    again = await _console(tmp_path, "")
    assert "Reprenons" in again
    assert "Racontez-moi" in again  # the same question, not the welcome


async def test_a_number_out_of_range_is_text_and_gets_a_kind_reply(tmp_path: Path) -> None:
    out = await _console(tmp_path, "42\n")
    assert "Je suis là pour vous écouter" in out  # "42" is text, and says nothing yet


def test_the_installed_command_holds_a_whole_piped_conversation(tmp_path: Path) -> None:
    """`allodiscri console` as a person runs it: one line per turn on standard input."""
    script = "\n".join(
        [
            "1",  # it happened to me
            "Le videur de la boîte de nuit m'a refusé l'entrée parce que je suis arabe, "
            "mes amis blancs sont entrés.",
            "1",  # yes, that's right
            "Nantes",
            "3",
            "5",  # continue
            "1",  # who can help
            "/person",
            "",
        ]
    )
    env = {**os.environ, "ALLODISCRI_DB": str(tmp_path / "cli.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "piped"],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Ce que j'ai compris" in result.stdout or "Voici ce que j'ai compris" in result.stdout
    assert "Boîtes de nuit" in result.stdout or "Commerces" in result.stdout
    assert "Parler à une personne" in result.stdout or "02 40 41 95 96" in result.stdout


def _stage(db: Path, key: str) -> str | None:
    if not db.exists():
        return None
    try:
        with closing(sqlite3.connect(db)) as connection:
            query = "SELECT state FROM conversations WHERE key = ?"
            row = connection.execute(query, (key,)).fetchone()
    except sqlite3.OperationalError:  # the bot is still creating the file and its tables
        return None
    return json.loads(row[0])["stage"] if row else None


def test_a_killed_console_resumes_where_it_was(tmp_path: Path) -> None:
    """kill -9 in the middle of a conversation: the next start resumes it, nothing lost."""
    db = tmp_path / "killed.sqlite3"
    env = {**os.environ, "ALLODISCRI_DB": str(db)}
    command = [sys.executable, "-m", "bot", "console", "--user", "k"]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, cwd=ROOT, text=True
    )
    assert process.stdin is not None
    process.stdin.write("1\nMon patron m'a licenciée parce que je suis enceinte.\n")
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while _stage(db, "console:k") != "confirm" and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stdin.close()
    assert process.returncode == -signal.SIGKILL
    assert _stage(db, "console:k") == "confirm"
    result = subprocess.run(
        command, input="1\n", capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
        check=True,
    )
    assert "Reprenons" in result.stdout
    assert "Grossesse" in result.stdout  # the understanding survived the kill
    assert "Dans quelle commune" in result.stdout
