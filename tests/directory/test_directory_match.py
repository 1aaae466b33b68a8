"""Ranking partners for a qualified situation: the right ones first, contacts preferred."""

from __future__ import annotations

from dataclasses import replace

import pytest

from directory.load import load_directory, load_knowledge
from directory.match import PartnerMatch, Query, match_partners, score_partner
from directory.model import Contact, Directory


@pytest.fixture(scope="module")
def nantes() -> Directory:
    return load_directory("nantes", knowledge=load_knowledge())


@pytest.fixture(scope="module")
def nancy() -> Directory:
    return load_directory("nancy", knowledge=load_knowledge())


def ids(found: tuple[PartnerMatch, ...]) -> list[str]:
    return [item.partner.id for item in found]


def test_housing_and_origin_in_nantes(nantes: Directory) -> None:
    query = Query("discrimination", ("origine",), "logement_prive", "Nantes", ("act",))
    found = match_partners(nantes, query, limit=5)
    assert found[0].partner.id == "licra_44"
    assert "criterion:origine" in found[0].reasons
    assert all("logement_prive" in item.partner.domains for item in found)
    assert "adil_44_maison_habitant" in ids(found)
    assert [item.score for item in found] == sorted((item.score for item in found), reverse=True)


def test_disability_case_returns_disability_partners(nantes: Directory) -> None:
    query = Query("discrimination", ("handicap",), "emploi_prive", "Rezé", ("inform",))
    found = match_partners(nantes, query, limit=3)
    assert {"apf_france_handicap_44", "mdph_44"} <= set(ids(found))
    assert all("criterion:handicap" in item.reasons for item in found[:2])


def test_specialists_of_another_criterion_are_left_out(nantes: Directory) -> None:
    query = Query("discrimination", ("handicap",), None, None, ())
    found = match_partners(nantes, query, limit=30)
    assert "licra_44" not in ids(found)
    assert "nosig" not in ids(found)


def test_the_main_service_is_excluded_by_default(nantes: Directory) -> None:
    query = Query("discrimination", (), None, "Nantes", ("listen",))
    assert "allonantes_discriminations" not in ids(match_partners(nantes, query, limit=30))
    with_main = match_partners(nantes, query, limit=30, exclude=())
    assert "allonantes_discriminations" in ids(with_main)


def test_a_partner_without_contact_never_outranks_an_equal_one_with_contact(
    nantes: Directory,
) -> None:
    with_contact = nantes.partner("apf_france_handicap_44")
    without = replace(with_contact, id="apf_copy", name="AAA copy", contact=Contact())
    directory = replace(nantes, partners=(*nantes.partners, without))
    query = Query("discrimination", ("handicap",), "emploi_prive", "Nantes", ("inform",))
    found = ids(match_partners(directory, query, limit=30))
    assert found.index("apf_france_handicap_44") < found.index("apf_copy")
    first = score_partner(nantes.territory, with_contact, query)
    second = score_partner(nantes.territory, without, query)
    assert first is not None and second is not None
    assert first.score > second.score
    assert "contact" in first.reasons and "contact" not in second.reasons


def test_commune_outside_a_city_service_counts_against_it(nantes: Directory) -> None:
    saint_nazaire_only = nantes.partner("mrap_saint_nazaire")
    query = Query("discrimination", ("origine",), None, "Rezé", ())
    scored = score_partner(nantes.territory, saint_nazaire_only, query)
    assert scored is not None and "commune:elsewhere" in scored.reasons
    found = ids(match_partners(nantes, query, limit=3))
    assert "mrap_saint_nazaire" not in found


def test_disability_in_nancy_finds_disability_partners(nancy: Directory) -> None:
    query = Query("discrimination", ("handicap",), "emploi_prive", "Nancy", ())
    found = match_partners(nancy, query, limit=8)
    assert {"apf_france_handicap_54", "cap_emploi_54"} <= set(ids(found))


def test_ordering_is_deterministic(nantes: Directory) -> None:
    query = Query(None, (), None, None, ())
    assert match_partners(nantes, query, limit=10) == match_partners(nantes, query, limit=10)


def test_unknown_needs_are_a_bug() -> None:
    with pytest.raises(ValueError, match="needs"):
        Query(needs=("talk",))


def test_the_persons_words_bring_forward_the_partner_that_does_this() -> None:
    """Residence permits: no criterion, so the association that helps with them comes first."""
    directory = load_directory("nantes", knowledge=load_knowledge())
    story = "La préfecture bloque mon titre de séjour depuis six mois"
    plain = Query("situation_complexe", (), "services_publics", "Nantes", ())
    worded = Query("situation_complexe", (), "services_publics", "Nantes", (), story)
    assert match_partners(directory, worded)[0].partner.id == "la_cimade_nantes"
    assert "words" in match_partners(directory, worded)[0].reasons
    assert [m.partner.id for m in match_partners(directory, plain)] != [
        m.partner.id for m in match_partners(directory, worded)
    ]
