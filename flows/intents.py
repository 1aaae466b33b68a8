"""Commands said in words: "je veux parler à quelqu'un", "effacer mes données", "help".

Rule: only short messages that are mostly the request itself count, so a story that mentions
"parler à quelqu'un" is still read as a story.
"""

from __future__ import annotations

import re
import unicodedata

MAX_WORDS = 9
_PATTERNS = {
    "person": (
        r"\b(parler|discuter|echanger) (a|avec) (une personne|quelqu.?un|un humain|une humaine"
        r"|un conseiller|une conseillere|un operateur|une operatrice|un agent|une vraie personne)",
        r"\b(un|une) (humain|humaine|vraie personne)\b",
        r"\b(talk|speak|chat) (to|with) (a|an|someone|somebody|a real)\b.*"
        r"(person|human|someone|somebody|agent|operator)?",
        r"\b(real|human) (person|being|agent)\b",
        r"\bappele?r? (la ligne|le numero|quelqu.?un)\b",
    ),
    "forget": (
        r"\b(effacer|supprimer|efface|supprime|effacez|supprimez) (mes|toutes mes|les) "
        r"(donnees|infos|informations|messages)\b",
        r"\b(delete|erase|remove) (my|all my) (data|messages|information)\b",
        r"\bdroit a l.?oubli\b",
    ),
    "help": (r"^(aide|help|au secours de l.?appli|comment ca marche|how does (this|it) work)\b",),
}
_COMPILED = {name: tuple(re.compile(p) for p in patterns) for name, patterns in _PATTERNS.items()}


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def command_in_words(text: str) -> str | None:
    """The command a short message asks for in plain words, if any."""
    if len(text.split()) > MAX_WORDS:
        return None
    folded = _fold(text)
    for name, patterns in _COMPILED.items():
        if any(p.search(folded) for p in patterns):
            return name
    return None
