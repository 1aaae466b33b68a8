"""Free-text partner search and commune recognition, accent- and case-insensitive."""

from __future__ import annotations

import pytest

from directory.load import load_directory, load_knowledge
from directory.model import Directory
from directory.search import find_commune, normalise, search_partners


@pytest.fixture(scope="module")
def nantes() -> Directory:
    return load_directory("nantes", knowledge=load_knowledge())


@pytest.fixture(scope="module")
def nancy() -> Directory:
    return load_directory("nancy", knowledge=load_knowledge())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reze", "Rezé"),
        ("REZÉ", "Rezé"),
        ("st herblain", "Saint-Herblain"),
        ("saint herblain", "Saint-Herblain"),
        ("Saint-Herblain (44800)", "Saint-Herblain"),
        ("st herbain", "Saint-Herblain"),
        ("nantes nord", "Nantes"),
        ("je vis à St-Sébastien", "Saint-Sébastien-sur-Loire"),
        ("chapelle sur erdre", "La Chapelle-sur-Erdre"),
        ("coueron", "Couëron"),
        ("orvaut", "Orvault"),
        ("saint", None),  # several Saint-… communes: ask
        ("bouaye ou bouguenais", None),  # two communes named: ask
        ("le bus", None),
        ("paris", None),
        ("", None),
    ],
)
def test_find_commune_nantes(nantes: Directory, text: str, expected: str | None) -> None:
    assert find_commune(nantes.territory, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandoeuvre", "Vandœuvre-lès-Nancy"),
        ("villers les nancy", "Villers-lès-Nancy"),
        ("nancy", "Nancy"),
        ("jarville", "Jarville-la-Malgrange"),
        ("maxevile ou malzevile", None),  # two close misspellings: ask
        ("malzevile", "Malzéville"),
        ("reze", None),
    ],
)
def test_find_commune_nancy(nancy: Directory, text: str, expected: str | None) -> None:
    assert find_commune(nancy.territory, text) == expected


def test_normalise() -> None:
    assert normalise("Vandœuvre-lès-Nancy") == "vandoeuvre les nancy"
    assert normalise("St-Sébastien") == "saint sebastien"


def test_search_by_name_ignores_accents_and_case(nantes: Directory) -> None:
    found = search_partners(nantes, "CIMADE")
    assert found[0].partner.id == "la_cimade_nantes"
    assert "name" in found[0].reasons


def test_search_by_description(nantes: Directory) -> None:
    found = search_partners(nantes, "aide aux victimes")
    assert found[0].partner.id == "france_victimes_44"


def test_search_filters_by_criterion(nantes: Directory) -> None:
    found = search_partners(nantes, "handicap", criterion="handicap", limit=10)
    assert {"apf_france_handicap_44", "mdph_44"} <= {item.partner.id for item in found}
    assert all(
        item.partner.all_criteria or "handicap" in item.partner.criteria for item in found
    )


def test_search_filters_by_commune(nantes: Directory) -> None:
    found = search_partners(nantes, "racisme", commune="Rezé", limit=10)
    assert "mrap_saint_nazaire" not in {item.partner.id for item in found}
    assert found


def test_nonsense_finds_nothing(nantes: Directory) -> None:
    assert search_partners(nantes, "xyzzy quux") == ()
