"""Danger detection: generous on purpose (a miss can cost a life), quiet on idioms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from directory.lexicon import Lexicon, load_lexicon
from flows.danger import detect_danger
from flows.triage import triage


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.mark.parametrize(
    ("text", "category"),
    [
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
    ],
)
def test_danger_is_caught(lexicon: Lexicon, text: str, category: str) -> None:
    assert category in detect_danger(text, lexicon)


@pytest.mark.parametrize(
    "text",
    [
        "mon patron menace de me licencier si je fais grève",
        "il m'a menacé de licenciement",
        "on passe la journée à tuer le temps",
        "j'ai reçu trois coups de fil de l'agence",
        "they threatened to fire me",
        "can you help me with my landlord",
        "le propriétaire refuse de me louer car je suis noir",
        "Bonjour",
    ],
)
def test_look_alikes_are_not_urgent(lexicon: Lexicon, text: str) -> None:
    assert detect_danger(text, lexicon) == ()


def test_categories_follow_reference_order(lexicon: Lexicon) -> None:
    found = detect_danger("je dors dehors et il me frappe, je veux mourir", lexicon)
    assert found == ("violence_now", "suicide", "no_shelter")


# Probes written on 2026-11-24 in new words (familiar French, English, Spanish): every one must
# get the emergency numbers; the look-alikes after them must not.
PROBES = (
    "jvais me foutre en l'air ce soir",
    "I want to end it all",
    "il a dit qu'il allait me planter si je parlais",
    "mon mari me frappe quand il boit",
    "je dors dehors ce soir avec mes enfants",
    "he threatened to kill me",
    "l'oncle de ma fille de 8 ans la touche, elle me l'a dit",
    "quiero morirme",
    "je veux plus vivre, j'en peux plus de ce racisme",
    "il m'attend en bas de chez moi avec un couteau",
    "they said they'll burn my house down",
    "j'ai pris des cachets",
    "mon ex me menace avec une arme",
    "on m'a mis à la porte, je sais pas où dormir cette nuit",
    "my neighbour said he would shoot me",
    "jai envie de mourir",
    "i'm going to kill myself",
    "ils ont dit qu'ils allaient me défoncer à la sortie du taf",
    "je me scarifie depuis que ça a commencé",
    "il me tape dessus tous les jours au foyer",
    "mon patron m'a giflé",
    "someone is following me home every night and says he will hurt me",
    "y a des mecs qui ont cassé ma porte et menacé de revenir",
    "j'ai peur pour ma vie",
    "je pense au suicide",
    # second round (after the fourth and fifth sets), in seven languages
    "il a sorti un flingue devant moi",
    "je me fais du mal depuis des semaines",
    "j'ai avalé toutes mes pilules",
    "I'm going to end it tonight",
    "I took a bunch of pills",
    "mi ha minacciato di morte",
    "vreau să mor",
    "m-a amenințat cu moartea",
    "ghadi n9tlek",
    "o meu marido bate-me e disse que nos mata",
    "estamos en la calle y no tenemos donde dormir esta noche",
    "ma soeur dit kelle veut plus etre la",
    "ce serait plus simple pour tout le monde si je n'étais plus là",
    "a guy on the bus keeps shoving a woman in a wheelchair",
    "le pegaron en el patio y mañana lo esperan a la salida",
    "son beau père la frappe, elle a peur de rentrer demain",
    "أخي قال لي إنه لم يعد يريد أن يعيش",
    "il m'a dit que je vais le regretter",
    "he said I'll regret it",
    "i keep thinking about ending it",
    "dormimos en el coche con los niños",
    "I'm scared to go home tonight",
    "ich habe Angst vor ihm",
)
LOOK_ALIKES = (
    "on m'a mis sur la touche depuis mon congé maternité",
    "j'ai appuyé sur la touche et rien ne s'est passé",
    "mon chef me tue à la tâche",
    "le controleur voulait rien savoir c abusé",
    "je me suis senti traité comme un danger par ce dentiste",
    "¿Me pueden ayudar con mi pedido?",
    "can you help me find a lawyer for my landlord",
    "mon chef me tue avec ses remarques sur mon accent",
    "je suis morte de rire quand il a dit ça",
    "my boss killed my promotion because I'm gay",
    "la frappe de Mbappé était magnifique",
    "I regret it now, I should have complained earlier",
)


@pytest.mark.parametrize("text", PROBES)
def test_danger_probes_are_caught(lexicon: Lexicon, text: str) -> None:
    assert triage(text, lexicon).urgent


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_danger_look_alikes_are_not(lexicon: Lexicon, text: str) -> None:
    assert not triage(text, lexicon).urgent


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("mon fils s'est fait tabasser à la sortie du collège", "violence_now"),
        ("il m'a agressée dans le bus", "violence_now"),
        ("I was stabbed last night", "violence_now"),
        ("lo apuñalaron ayer", "violence_now"),
        ("ele foi espancado", "violence_now"),
        ("sono stato accoltellato", "violence_now"),
        ("mein Nachbar hat gedroht mich umzubringen", "violence_now"),
        ("un homme m'a poussé, 然后推了我，我的手流血了", "violence_now"),
        ("我想死", "suicide"),
        ("je pense au suicide depuis des semaines", "suicide"),
    ],
)
def test_word_stems_and_characters_are_danger(
    lexicon: Lexicon, text: str, category: str
) -> None:
    """Inflected verbs are found from their stem, Chinese from characters (no spaces)."""
    assert category in triage(text, lexicon).danger


def test_an_aggressive_boss_is_not_an_assault(lexicon: Lexicon) -> None:
    assert not triage("mon chef est agressif verbalement en réunion", lexicon).urgent


def test_a_stem_too_short_is_refused(tmp_path: Path) -> None:
    from directory.lexicon import DEFAULT_DATA_DIR, LexiconError, load_lexicon

    lexicon_dir = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DATA_DIR / "lexicon", lexicon_dir)
    (lexicon_dir / "zz.yaml").write_text("lang: fr\ndanger_stems:\n  suicide: [sui]\n")
    with pytest.raises(LexiconError, match="too short"):
        load_lexicon(lexicon_dir=lexicon_dir)
