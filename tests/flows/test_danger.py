"""Danger detection: generous on purpose (a miss can cost a life), quiet on idioms."""

from __future__ import annotations

import pytest

from directory.lexicon import Lexicon, load_lexicon
from flows.danger import detect_danger


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.mark.parametrize(("text", "category"), [
    ("il m'a frappé et il est devant chez moi", "violence_now"),
    ("mon ex me menace de mort", "violence_now"),
    ("il a un couteau jai peur", "violence_now"),
    ("IL VA ME TUER", "violence_now"),
    ("my husband hits me", "violence_now"),
    ("he threatened to kill me", "violence_now"),
    ("me quiere matar, tengo miedo", "violence_now"),
    ("ضربني و هددني", "violence_now"),
    ("je veux me suicider", "suicide"),
    ("jveux mourir", "suicide"),
    ("je ne veux plus vivre", "suicide"),
    ("j'ai envie d'en finir", "suicide"),
    ("jpense au suicid", "suicide"),
    ("I want to kill myself", "suicide"),
    ("quiero morir", "suicide"),
    ("bghit nmout", "suicide"),
    ("mon beau-père frappe mon fils", "child_danger"),
    ("il touche ma fille", "child_danger"),
    ("someone is abusing my daughter", "child_danger"),
    ("je dors dehors ce soir", "no_shelter"),
    ("on est à la rue avec les enfants", "no_shelter"),
    ("I have nowhere to sleep tonight", "no_shelter"),
    ("je dors dans ma voiture depuis une semaine", "no_shelter"),
])
def test_danger_is_caught(lexicon: Lexicon, text: str, category: str) -> None:
    assert category in detect_danger(text, lexicon)


@pytest.mark.parametrize("text", [
    "mon patron menace de me licencier si je fais grève",
    "il m'a menacé de licenciement",
    "on passe la journée à tuer le temps",
    "j'ai reçu trois coups de fil de l'agence",
    "they threatened to fire me",
    "can you help me with my landlord",
    "le propriétaire refuse de me louer car je suis noir",
    "Bonjour",
])
def test_look_alikes_are_not_urgent(lexicon: Lexicon, text: str) -> None:
    assert detect_danger(text, lexicon) == ()


def test_categories_follow_reference_order(lexicon: Lexicon) -> None:
    found = detect_danger("je dors dehors et il me frappe, je veux mourir", lexicon)
    assert found == ("violence_now", "suicide", "no_shelter")
