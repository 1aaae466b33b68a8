"""`allodiscri directory check|search` through the real CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from directory.load import BUILTIN_DATA


def test_check_every_territory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "nancy: 50 partners, 7 with contact, 48 to verify, 20 communes, no local line, "
        "no operators' group (ALLODISCRI_OPERATORS_GROUP may set it), no fixed team hours",
        "nantes: 28 partners, 23 with contact, 26 to verify, 24 communes, line 02 40 41 95 96, "
        "no operators' group (ALLODISCRI_OPERATORS_GROUP may set it), team hours set",
    ]


def test_check_one_territory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--territory", "nancy", "directory", "check"]) == 0
    assert capsys.readouterr().out.startswith("nancy: 50 partners")
    assert main(["directory", "check", "--territory", "nantes"]) == 0
    assert capsys.readouterr().out.startswith("nantes: 28 partners")


def test_check_lists_every_problem_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUILTIN_DATA, data)
    path = data / "reference" / "directory_nantes.yaml"
    text = path.read_text(encoding="utf-8")
    apf_criteria = "criteria: [handicap, etat_sante, perte_autonomie]"
    text = text.replace(apf_criteria, "criteria: [handicapp]", 1)  # APF 44, then the MDPH
    text = text.replace('phone: "02 40 41 99 99"', 'phone: "02 40 41"')
    path.write_text(text, encoding="utf-8")
    assert main(["--data-dir", str(data), "directory", "check"]) == 1
    captured = capsys.readouterr()
    assert "nancy: 50 partners" in captured.out
    assert "reference/directory_nantes.yaml: apf_france_handicap_44: criteria: " in captured.err
    assert "maison_tranquillite_publique: contact.phone:" in captured.err


def test_search_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "search", "avocat", "--commune", "st herblain", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["id"] == "ordre_avocats_nantes"
    assert set(found[0]["contact"]) == {"phone", "email", "website", "address", "hours_fr"}


def test_search_text_in_nancy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--territory", "nancy", "directory", "search", "handicap", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "handicap" in lines[0].lower()


def test_search_unknown_commune_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "search", "avocat", "--commune", "paris"]) == 2
    assert "unknown commune 'paris'" in capsys.readouterr().err


def test_territory_from_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLODISCRI_TERRITORY", "nancy")
    assert main(["directory", "search", "cdad", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == "cdad_54"


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["directory", "search", "--help"])
    assert "Example: allodiscri directory search" in capsys.readouterr().out


def test_operators_block_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUILTIN_DATA, data)
    nancy = data / "territories" / "nancy.yaml"
    text = nancy.read_text(encoding="utf-8")
    text = text.replace("  group: null", '  group: "the team"').replace(
        "  hours: null", "  hours: phone_line"
    )
    nancy.write_text(text.replace("reminder_minutes: 20", "reminder_minutes: 0"), encoding="utf-8")
    nantes = data / "territories" / "nantes.yaml"
    text = nantes.read_text(encoding="utf-8").replace("  group: null", "  group: -1001234567890")
    nantes.write_text(text.replace("language: fr\n  # reminder", "language: de\n  # reminder"))
    assert main(["--data-dir", str(data), "directory", "check"]) == 1
    err = capsys.readouterr().err
    assert "operators: group: 'the team' is not a Telegram chat id" in err
    assert "operators: hours: `phone_line` is null here" in err
    assert "operators: reminder_minutes: 0 is not a number of minutes" in err
    assert "nantes: operators: language:" in err
