"""Word lists the name finder reads context with: elisions, possessives, titles, verbs…

Rule: closed lists of grammar words live here, open lists of names and places in
`directory/data/names/`.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
ELISIONS = frozenset(["l", "d", "j", "m", "t", "s", "n", "c", "qu", "jusqu", "lorsqu", "puisqu"])
SENTENCE_END = frozenset('.!?…:;\n"«»()[]')
POSSESSIVES = frozenset(
    [
        "mon",
        "ma",
        "mes",
        "le",
        "la",
        "les",
        "l",
        "notre",
        "nos",
        "son",
        "sa",
        "ses",
        "ton",
        "ta",
        "my",
        "our",
        "his",
        "her",
        "the",
        "their",
        "your",
        "un",
        "une",
        "des",
        "a",
        "an",
    ]
)
STRONG_TITLES = frozenset(["mr", "mme", "mlle", "monsieur", "madame", "mrs", "ms", "dr"])
"""Titles after which even a word that is also ordinary is a surname ("mme diop", "Mme Petit")."""
NAME_IS = frozenset({"is", "est", "es", "c'est"})
VERBISH = frozenset(
    [
        "a",
        "m'",
        "m",
        "l'",
        "est",
        "etait",
        "avait",
        "dit",
        "disait",
        "me",
        "m'a",
        "lui",
        "nous",
        "vous",
        "et",
        "ne",
        "n'",
        "has",
        "had",
        "is",
        "was",
        "said",
        "told",
        "and",
    ]
)
"""After a sentence-initial "Pierre" or "Rose", these words make it a person, not a word."""
ARTICLES = frozenset(
    ["le", "la", "les", "l'", "d'", "du", "des", "au", "aux", "un", "une", "the", "o", "os", "los"]
)
"""Before these, a capitalised unknown word is a place, a firm or a thing ("à l'OFII", "the
Bouncer", "la Prefectura"), never a person unless it is a listed name."""
CONTRACTED = frozenset(["m", "ll", "ve", "d", "re", "s", "t"])
SAINTS = frozenset(["saint", "sainte", "st", "ste"])
CODE_BEFORE = re.compile(r"\d{5}[ ,]*$")
