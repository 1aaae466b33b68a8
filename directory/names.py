"""The lexicon the scrubber uses to tell personal names from ordinary words.

Rule: `NameLexicon` is a plain frozen value (so `flows.scrub` stays pure and takes it as an
argument); `load_names()` is the only place that reads the lists in `data/names/`. Every key is
folded by `fold` (lower case, no accents) because people write "kevin", "Kévin" and "KEVIN".
Where the lists come from and under which licence: `data/names/build_lists.py` and the header
of each file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "names"

CIVILITIES = frozenset(
    [
        "m",
        "mr",
        "mme",
        "mlle",
        "mrs",
        "ms",
        "miss",
        "monsieur",
        "madame",
        "mademoiselle",
        "dr",
        "docteur",
        "doctor",
        "pr",
        "professeur",
        "maitre",
        "me",
        "sir",
        "lady",
        "mister",
    ]
)
"""Titles before a name; "me" (maître) only counts when the next word is capitalised."""

RELATIONS = frozenset(
    [
        "chef",
        "cheffe",
        "boss",
        "patron",
        "patronne",
        "manager",
        "manageur",
        "manageuse",
        "responsable",
        "directeur",
        "directrice",
        "superieur",
        "superieure",
        "collegue",
        "collegues",
        "voisin",
        "voisine",
        "voisins",
        "proprio",
        "proprietaire",
        "bailleur",
        "bailleresse",
        "gerant",
        "gerante",
        "gardien",
        "gardienne",
        "concierge",
        "prof",
        "professeur",
        "professeure",
        "instit",
        "maitresse",
        "educateur",
        "educatrice",
        "conseiller",
        "conseillere",
        "agent",
        "agente",
        "medecin",
        "docteur",
        "avocat",
        "avocate",
        "employeur",
        "employeuse",
        "recruteur",
        "recruteuse",
        "formateur",
        "formatrice",
        "tuteur",
        "tutrice",
        "fils",
        "fille",
        "frere",
        "soeur",
        "mari",
        "femme",
        "epoux",
        "epouse",
        "copain",
        "copine",
        "compagnon",
        "compagne",
        "ami",
        "amie",
        "pote",
        "cousin",
        "cousine",
        "oncle",
        "tonton",
        "tante",
        "tata",
        "mere",
        "pere",
        "maman",
        "papa",
        "enfant",
        "neveu",
        "niece",
        "beau-frere",
        "belle-soeur",
        "beau-pere",
        "belle-mere",
        "petit-fils",
        "petite-fille",
        "ex",
        "coloc",
        "colocataire",
        "locataire",
        "camarade",
        "binome",
        "collegue",
        "colleague",
        "coworker",
        "co-worker",
        "neighbour",
        "neighbor",
        "landlord",
        "landlady",
        "friend",
        "son",
        "daughter",
        "husband",
        "wife",
        "brother",
        "sister",
        "cousin",
        "uncle",
        "aunt",
        "mother",
        "father",
        "teacher",
        "supervisor",
        "employer",
        "partner",
        "boyfriend",
        "girlfriend",
        "mate",
    ]
)
"""Words after which a possessive ("mon", "ma", "my", "le", "la") announces a person's name."""

INTRODUCERS = frozenset(
    [
        "appelle",
        "appelles",
        "appelait",
        "appellent",
        "nomme",
        "nommait",
        "prenom",
        "nom",
        "surnom",
        "pseudo",
        "llamo",
        "chiamo",
        "named",
        "called",
        "name",
        "heisse",
        "heiße",
    ]
)
"""Verbs and nouns after which the next words are a name ("je m'appelle X", "my name is X")."""

PARTICLES = frozenset(
    [
        "de",
        "du",
        "des",
        "d",
        "le",
        "la",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "dos",
        "ben",
        "bin",
        "ibn",
        "el",
        "al",
        "ould",
        "ait",
        "mac",
        "mc",
        "st",
        "saint",
    ]
)
"""Lower-case pieces of compound surnames: "Le Goff", "de la Tour", "Ben Ali", "El Amrani"."""


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The comparison key of a word: case and accents never tell a name from a word."""
    word = word.casefold().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class NameLexicon:
    """Folded word sets the scrubber consults; see each list's header for where it comes from.

    `common_words` holds ordinary words (French, English and neighbours) including the first
    names that are also words ("rose", "pierre"): those are names only when the context says so.
    """

    first_names: frozenset[str]
    surnames: frozenset[str]
    common_words: frozenset[str]
    not_names: frozenset[str]
    stopwords: frozenset[str]
    civilities: frozenset[str] = CIVILITIES
    relations: frozenset[str] = RELATIONS
    introducers: frozenset[str] = INTRODUCERS
    particles: frozenset[str] = PARTICLES


def _words(name: str) -> frozenset[str]:
    """Folded entries of a list file: '#' starts a comment line, entries split on blanks."""
    text = (_DATA / name).read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(fold(word) for line in lines for word in line.split())


@cache
def load_names() -> NameLexicon:
    """Read the shipped lists once (about 60,000 short strings, a few megabytes in memory)."""
    stopwords = _words("stopwords.txt")
    extra = _words("first_names_extra.txt")
    extra_surnames = _words("surnames_extra.txt")
    return NameLexicon(
        first_names=_words("first_names.txt") | extra | _words("names_also_words.txt"),
        surnames=_words("surnames.txt") | extra_surnames,
        common_words=(_words("common_words.txt") - extra - extra_surnames) | stopwords,
        not_names=_words("not_names.txt"),
        stopwords=stopwords,
    )
