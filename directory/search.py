"""Free-text search over the directory, and recognising a commune in what people type.

Rule: comparisons are made on a normalised form (lower case, no accents, "st" read as "saint",
punctuation as spaces), so "reze", "Rezé" and "REZE" are the same word and a city officer does
not have to think about spelling. Scores are rapidfuzz scores in [0, 100]; ties are broken by
"has a sourced contact" first, then name, so results are deterministic.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from directory.match import PartnerMatch, covers_commune
from directory.model import Directory, Partner, Territory

MIN_SCORE = 70.0
"""Below this a partner is not shown: the words do not really match."""

COMMUNE_MIN_SCORE = 85.0
"""A commune is recognised by fuzzy matching only from this score, and only if unambiguous."""

_STOPWORDS = frozenset({
    "le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "en", "au", "aux", "a",
    "pour", "par", "sur", "avec", "dans", "j", "je", "me", "mon", "ma", "mes", "qu", "que", "qui",
    "est", "ne", "pas", "on", "il", "elle",
})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints"}
_ARTICLES = ("la ", "le ", "les ")
_SMALL_WORDS = frozenset({"la", "le", "les", "saint", "sainte", "sur", "de", "devant", "en"})


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, abbreviations spelt out."""
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def search_partners(
    directory: Directory,
    text: str,
    *,
    criterion: str | None = None,
    domain: str | None = None,
    commune: str | None = None,
    limit: int = 5,
) -> tuple[PartnerMatch, ...]:
    """Partners whose name, description or offers match `text`, best first.

    `criterion` keeps specialists of that criterion and généralistes; `domain` keeps partners
    working in it; `commune` (an exact commune name, see `find_commune`) keeps partners that
    serve it. An empty `text` lists every partner the filters keep.
    """
    query = normalise(text)
    words = [word for word in query.split() if word not in _STOPWORDS] or query.split()
    found = []
    for partner in directory.partners:
        if not _kept(directory.territory, partner, criterion, domain, commune):
            continue
        score, reasons = _score(partner, query, words)
        if query and score < MIN_SCORE:
            continue
        if not partner.contact.is_empty():
            reasons.append("contact")
        found.append(PartnerMatch(partner, round(score, 1), tuple(reasons)))
    found.sort(key=lambda m: (-m.score, "contact" not in m.reasons, m.partner.name.casefold()))
    return tuple(found[:limit])


def _kept(
    territory: Territory,
    partner: Partner,
    criterion: str | None,
    domain: str | None,
    commune: str | None,
) -> bool:
    if criterion and not (partner.all_criteria or criterion in partner.criteria):
        return False
    if domain and domain not in partner.domains:
        return False
    return not commune or covers_commune(territory, partner, commune)


def _score(partner: Partner, query: str, words: list[str]) -> tuple[float, list[str]]:
    """The best of: the whole text against the name, each word against each field's words."""
    if not query:
        return 0.0, []
    fields = {
        "name": normalise(partner.name),
        "description": normalise(partner.description_fr),
        "offers": normalise(" ".join(partner.offers)),
    }
    scores = {"name": fuzz.WRatio(query, fields["name"])}
    for field, value in fields.items():
        vocabulary = set(value.split())
        per_word = [_best_word(word, vocabulary) for word in words]
        weight = 1.0 if field == "name" else 0.95
        scores[field] = max(scores.get(field, 0.0), weight * sum(per_word) / len(per_word))
    best = max(scores.values())
    reasons = [field for field, score in scores.items() if score >= MIN_SCORE]
    return best, reasons


def _best_word(word: str, vocabulary: set[str]) -> float:
    """How well one query word is found among a field's words; a prefix counts as found
    ("handicap" finds "handicapees")."""
    best = 0.0
    for candidate in vocabulary:
        if candidate == word or (len(word) >= 4 and candidate.startswith(word)):
            return 100.0
        best = max(best, fuzz.ratio(word, candidate))
    return best if best >= 75 else 0.0


def find_commune(territory: Territory, text: str) -> str | None:
    """The territory's commune named in `text` ("reze" → "Rezé", "nantes nord" → "Nantes").

    An exact match wins; then a name written inside the text ("je suis à Rezé");
    then a close fuzzy match of a few consecutive words against a name or its beginning
    ("st sebastien" → "Saint-Sébastien-sur-Loire"), kept only when one commune clearly wins.
    None when nothing is close enough, or when several communes are (the bot then asks).
    """
    query = normalise(text)
    if not query:
        return None
    keys = _commune_keys(territory)
    exact = [commune for key, commune in keys if key == query]
    if exact:
        return exact[0]
    padded = f" {query} "
    inside = [(key, commune) for key, commune in keys if f" {key} " in padded]
    if inside:
        # "villers les nancy" also contains "nancy": keep the longest names only.
        named = {commune for key, commune in inside if not _within_another(key, inside)}
        return named.pop() if len(named) == 1 else None
    words = query.split()
    best: dict[str, float] = {}
    for key, commune in keys + _commune_beginnings(keys):
        size = len(key.split())
        for start in range(max(1, len(words) - size + 1)):
            window = " ".join(words[start : start + size])
            best[commune] = max(best.get(commune, 0.0), fuzz.ratio(window, key))
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] < COMMUNE_MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 3:
        return None
    return ranked[0][0]


def _within_another(key: str, found: list[tuple[str, str]]) -> bool:
    return any(key != other and f" {key} " in f" {other} " for other, _ in found)


def _commune_keys(territory: Territory) -> list[tuple[str, str]]:
    """Each commune's normalised name, plus the name without its article ("chapelle sur erdre")."""
    keys = []
    for commune in territory.communes:
        key = normalise(commune)
        keys.append((key, commune))
        for article in _ARTICLES:
            if key.startswith(article):
                keys.append((key[len(article):], commune))
    return keys


def _commune_beginnings(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first words of long names ("villers", "saint sebastien"), never ending on a small
    word, so "saint" or "la" alone never stands for a commune."""
    found = []
    for key, commune in keys:
        words = key.split()
        for size in range(1, len(words)):
            if words[size - 1] not in _SMALL_WORDS:
                found.append((" ".join(words[:size]), commune))
    return found
