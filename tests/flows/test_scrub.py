"""The scrubber takes personal data out and leaves the facts: exact outputs on typical messages."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from directory.names import load_names
from flows.scrub import Scrubbed, scrub

NAMES = load_names()
CASES = yaml.safe_load(
    (Path(__file__).parent.parent / "data" / "scrub_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bonjour, mon chef Jean Dupont m'a traité de sale arabe devant tout le monde.",
            "Bonjour, mon chef [NAME] m'a traité de sale arabe devant tout le monde.",
        ),
        (
            "jai parlé a kevin et fatou m'a dit que le proprio refusait les noirs",
            "jai parlé a [NAME] et [NAME] m'a dit que le proprio refusait les noirs",
        ),
        (
            "Mme Le Goff la gérante du Leclerc de Rezé m'a refusé l'entrée",
            "Mme [NAME] la gérante du Leclerc de Rezé m'a refusé l'entrée",
        ),
        ("Marie-Claire Le Goff et Ahmed Ben Ali sont venus.", "[NAME] et [NAME] sont venus."),
        (
            "slt mon voisin mohamed se fait insulter par DUPONT",
            "slt mon voisin [NAME] se fait insulter par [NAME]",
        ),
        ("je m'appelle aminata traoré j'ai 34 ans", "je m'appelle [NAME] j'ai 34 ans"),
        (
            "My name is John Smith and my boss Sarah said no",
            "My name is [NAME] and my boss [NAME] said no",
        ),
        ("Pierre m'a dit de jeter la pierre.", "[NAME] m'a dit de jeter la pierre."),
        (
            "Mon conseiller France Travail, M. Girard, m'a aidé",
            "Mon conseiller France Travail, M. [NAME], m'a aidé",
        ),
        ("ma voisine Mme Rousseau crie", "ma voisine Mme [NAME] crie"),
    ],
)
def test_names(text: str, expected: str) -> None:
    assert scrub(text, NAMES).text == expected


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+44 20 7946 0958",
        "+212 6 61 23 45 67",
        "06-98-76-54-32",
        "+2250707123456",
    ],
)
def test_phone_formats(phone: str) -> None:
    assert scrub(f"appelez le {phone} svp", NAMES).text == "appelez le [PHONE] svp"


@pytest.mark.parametrize(
    "text",
    [
        "J'ai appelé le 17, le 112, le 115, le 119, le 3919, le 3928 et le 116 006.",
        "J'ai 50 ans, ça fait 3 ans, 2 fois, le 12 mars, il gagne 45 000 € par an.",
        "Hier au Carrefour de Bellevue, on m'a dit de retourner au Maroc. Franchement.",
        "Je suis arabe, noir, musulman, gay, en situation de handicap, à Nantes et Rezé.",
        "مرحبا اسمي وأنا أعيش في نانت 🙏😡❤️",
        "Lundi 3 juin, la CAF, la CPAM et Pôle emploi m'ont renvoyé vers McDonald's.",
    ],
)
def test_ordinary_text_passes_untouched(text: str) -> None:
    assert scrub(text, NAMES) == Scrubbed(text, ())


@pytest.mark.parametrize(
    ("text", "expected", "found"),
    [
        ("IBAN FR76 3000 6000 0112 3456 7890 189.", "IBAN [IBAN].", (("IBAN", 1),)),
        ("sécu 1 85 05 78 006 084 36", "sécu [NIR]", (("NIR", 1),)),
        ("carte 4970 1012 3456 7893 refusée", "carte [CARD] refusée", (("CARD", 1),)),
        (
            "mail jean.dupont@gmail.com, insta @jdupont44",
            "mail [EMAIL], insta [HANDLE]",
            (("EMAIL", 1), ("HANDLE", 1)),
        ),
        ("voir https://www.facebook.com/marc.leroy.77.", "voir [URL].", (("URL", 1),)),
        ("ip 192.168.1.12 bloquée", "ip [IP] bloquée", (("IP", 1),)),
        (
            "3 bis bd Victor Hugo, apt 4, 27 allée des Tilleuls, 44000 Nantes",
            "[ADDRESS], [ADDRESS]",  # the town after a postal code is part of the address
            (("ADDRESS", 2),),
        ),
        (
            "numéro allocataire 1234567, plaque AB-123-CD",
            "numéro allocataire [ID], plaque [ID]",
            (("ID", 2),),
        ),
        ("passeport n° 12AB34567", "passeport n° [ID]", (("ID", 1),)),
        (
            "je suis né le 12/03/1985 à Alger",
            "je suis né le [DATE_OF_BIRTH] à Alger",
            (("DATE_OF_BIRTH", 1),),
        ),
    ],
)
def test_structured(text: str, expected: str, found: tuple[tuple[str, int], ...]) -> None:
    assert scrub(text, NAMES) == Scrubbed(expected, found)


def test_found_counts_kinds_never_values() -> None:
    result = scrub("Jean Dupont et Fatou Diallo, 06 12 34 56 78", NAMES)
    assert result.found == (("PHONE", 1), ("NAME", 2))
    assert "Dupont" not in repr(result.found)


@pytest.mark.parametrize("split", ["tuned", "held_out"])
def test_labelled_cases_lose_every_item(split: str) -> None:
    """Every labelled name and structured item disappears (the bench gives the percentages)."""
    leaks = []
    for case in CASES[split]:
        out = scrub(case["text"], NAMES).text
        leaks += [
            (item, out) for item in case.get("names", []) + case.get("data", []) if item in out
        ]
    assert leaks == []


def test_long_hostile_texts_are_scrubbed() -> None:
    """10,000 characters of digits, prose or at-signs come back whole (speed: bench/)."""
    prose = " ".join(c["text"] for c in CASES["tuned"])
    assert "0000000000" not in scrub("0" * 10_000, NAMES).text
    assert scrub("1 " * 5_000, NAMES).text.count("1") <= 5_000
    kept = scrub((prose * 10)[:10_000], NAMES).text
    assert "discrimination" in kept or "refus" in kept
    assert scrub("a@" * 5_000, NAMES).text.count("a") > 1_000


def test_cli_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Mon chef Jean Dupont, 06 12 34 56 78"))
    assert main(["anonymise", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "text": "Mon chef [NAME], [PHONE]",
        "found": {"PHONE": 1, "NAME": 1},
    }


DATA = Path(__file__).parent.parent / "data"
EVALS = {
    name: yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["cases"]
    for name in ("scrub_eval.yaml", "scrub_eval2.yaml")
}
WORD = re.compile(r"\w+")


def _rates(file: str, split: str) -> tuple[float, float, float]:
    """(names gone, structured items gone, other words kept) on one half of an eval set,
    scored like bench/scrub_eval.py: an item leaks when it, or one of its words, survives."""
    gone = {"names": [0, 0], "data": [0, 0]}
    kept = total = 0
    for case in (c for c in EVALS[file] if c["split"] == split):
        out = scrub(case["text"], NAMES).text
        rest = case["text"]
        for item in case.get("names", []) + case.get("data", []):
            rest = rest.replace(item, " ")
        rest_words, out_words = Counter(WORD.findall(rest)), Counter(WORD.findall(out))
        for kind in gone:
            for item in case.get(kind, []):
                leaked = item in out or any(
                    len(w) >= 2 and out_words[w] > rest_words[w] for w in WORD.findall(item)
                )
                gone[kind][0] += not leaked
                gone[kind][1] += 1
        kept += sum(min(n, out_words[w]) for w, n in rest_words.items())
        total += sum(rest_words.values())
    return gone["names"][0] / gone["names"][1], gone["data"][0] / gone["data"][1], kept / total


@pytest.mark.parametrize(
    ("file", "split", "names_floor", "data_floor", "kept_floor"),
    [
        ("scrub_eval.yaml", "dev", 0.987, 1.0, 0.996),
        ("scrub_eval.yaml", "test", 0.96, 1.0, 0.991),
        ("scrub_eval2.yaml", "dev", 1.0, 1.0, 0.988),
        ("scrub_eval2.yaml", "test", 0.973, 1.0, 0.981),
    ],
)
def test_eval_set_floors(
    file: str, split: str, names_floor: float, data_floor: float, kept_floor: float
) -> None:
    """The floors measured on two sets written by people who never saw the rules (halves fixed
    in advance): a change that loses ground here fails the build. Words kept went down a little
    on the first set when a town after a postal code became part of the address (its writer
    labelled it a word to keep, the second writer part of the address)."""
    names_rate, data_rate, kept_rate = _rates(file, split)
    assert names_rate >= names_floor
    assert data_rate >= data_floor
    assert kept_rate >= kept_floor
