"""Both territories load and validate; a broken copy reports every problem at once, located."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from directory.errors import DataError, Problem
from directory.load import BUILTIN_DATA, available_territories, load_directory, load_knowledge

NANTES_COMMUNES = 24
NANCY_COMMUNES = 20


def test_available_territories_are_the_built_in_files() -> None:
    assert available_territories() == ("nancy", "nantes")


def test_knowledge_loads_reference_and_danger_routing() -> None:
    knowledge = load_knowledge()
    assert len(knowledge.criteria) == 30
    assert len(knowledge.families) == 11
    assert len(knowledge.domains) == 14
    assert {s.id for s in knowledge.situation_types} == {
        "discrimination", "situation_connexe", "situation_complexe", "hors_champ",
    }
    assert knowledge.helpline("defenseur_droits_3928").phone == "3928"
    assert knowledge.danger_routing["violence_now"] == ("urgence_17", "urgence_112", "urgence_114")
    assert knowledge.criterion("handicap").family == "handicap_sante"


def test_nantes_loads_with_its_line_and_communes() -> None:
    nantes = load_directory("nantes")
    territory = nantes.territory
    assert territory.timezone == "Europe/Paris"
    assert territory.country == "FR"
    assert len(territory.communes) == NANTES_COMMUNES
    assert {"Rezé", "Saint-Herblain", "Couëron", "La Chapelle-sur-Erdre"} <= set(territory.communes)
    assert territory.main_service == "allonantes_discriminations"
    assert nantes.partner(territory.main_service).contact.phone == "02 40 41 95 96"
    line = territory.phone_line
    assert line is not None
    assert line.number == "02 40 41 95 96"
    assert line.hours_to_verify is True
    assert line.public_holidays is True
    assert sorted(slot.weekday for slot in line.slots) == [0, 1, 2, 3, 4]
    assert len(nantes.partners) == 28


def test_nancy_loads_without_a_local_line() -> None:
    nancy = load_directory("nancy")
    assert nancy.territory.phone_line is None
    assert len(nancy.territory.communes) == NANCY_COMMUNES
    assert "Vandœuvre-lès-Nancy" in nancy.territory.communes
    assert len(nancy.partners) == 50


def test_both_territories_load_with_one_knowledge() -> None:
    knowledge = load_knowledge()
    loaded = [load_directory(t, knowledge=knowledge) for t in ("nantes", "nancy")]
    assert [d.territory.id for d in loaded] == ["nantes", "nancy"]


def test_unknown_territory_names_the_known_ones() -> None:
    with pytest.raises(DataError) as caught:
        load_directory("paris")
    assert "nancy, nantes" in str(caught.value)


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(BUILTIN_DATA, data)
    return data


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Rewrite a YAML file after `change` (comments are lost: fine for a throwaway copy)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _break_directory(doc: dict[str, Any]) -> None:
    partners = {p["id"]: p for p in doc["partners"]}
    partners["licra_44"]["criteria"].append("origin")  # typo of "origine"
    partners["nosig"]["domains"].append("housing")
    partners["mrap_nantes"]["id"] = "licra_44"  # duplicate id
    del partners["ldh_nantes"]["contact"]["email"]
    partners["gasprom_asti"]["contact"]["phone"] = "02 40 00 00 00"  # no contact_sources
    partners["gasprom_asti"]["contact_sources"] = []
    partners["planning_familial_44"]["contact"]["phone"] = "02 40 20"
    partners["accoord"]["offers"].append("cafe")


def _break_territory(doc: dict[str, Any]) -> None:
    doc["main_service"] = "allo_nantes"
    doc["phone_line"]["slots"][0]["start"] = "9h"
    doc["phone_line"]["slots"][0]["days"].append("lundi")


def test_a_broken_copy_reports_every_problem_with_file_entry_and_field(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "reference" / "directory_nantes.yaml", _break_directory)
    _edit(data / "territories" / "nantes.yaml", _break_territory)
    with pytest.raises(DataError) as caught:
        load_directory("nantes", data)
    found = {(p.file, p.entry, p.field) for p in caught.value.problems}
    directory = "reference/directory_nantes.yaml"
    territory = "territories/nantes.yaml"
    expected = {
        (directory, "licra_44", "criteria"),
        (directory, "nosig", "domains"),
        (directory, "licra_44", "id"),
        (directory, "ldh_nantes", "contact.email"),
        (directory, "gasprom_asti", "contact.phone"),
        (directory, "planning_familial_44", "contact.phone"),
        (directory, "accoord", "offers"),
        (territory, "nantes", "main_service"),
        (territory, "nantes: phone_line: slots[0]", "start"),
        (territory, "nantes: phone_line: slots[0]", "days"),
    }
    assert expected <= found
    text = str(caught.value)
    assert f"{directory}: licra_44: criteria: unknown id 'origin'" in text.splitlines()
    assert "sourcing rule" in text
    assert len(text.splitlines()) == len(caught.value.problems) >= len(expected)


def test_an_unquoted_hour_gets_a_hint(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "territories" / "nantes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"09:00"', "9:00"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory("nantes", data)
    [problem] = caught.value.problems
    assert problem.field == "start"
    assert "in quotes" in problem.message


def test_a_deployment_folder_with_only_its_territory_file_uses_the_built_in_reference(
    tmp_path: Path,
) -> None:
    territories = tmp_path / "territories"
    territories.mkdir()
    source = (BUILTIN_DATA / "territories" / "nantes.yaml").read_text(encoding="utf-8")
    (territories / "nantes.yaml").write_text(source.replace('"18:00"', '"17:00"'), "utf-8")
    nantes = load_directory("nantes", tmp_path)
    assert nantes.territory.phone_line is not None
    assert {slot.end.hour for slot in nantes.territory.phone_line.slots} == {17}
    assert available_territories(tmp_path) == ("nantes",)


def test_problem_prints_file_entry_field_message() -> None:
    problem = Problem("reference/x.yaml", "some_id", "contact.phone", "bad")
    assert str(problem) == "reference/x.yaml: some_id: contact.phone: bad"
    assert str(DataError([problem, problem])) == f"{problem}\n{problem}"


@pytest.mark.parametrize("territory", ["nantes", "nancy"])
def test_every_partner_has_an_english_sentence(territory: str) -> None:
    """English readers get `summaries/<territory>.yaml` (flows/cards.py)."""
    assert all(p.summary_en for p in load_directory(territory).partners)


def test_an_english_sentence_for_an_unknown_partner_is_reported(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "summaries" / "nantes.yaml").write_text(
        'partners:\n  no_such_partner: "x"\n  licra_44: ""\n', encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        load_directory("nantes", data)
    text = str(caught.value)
    assert "summaries/nantes.yaml" in text and "no_such_partner" in text and "licra_44" in text
