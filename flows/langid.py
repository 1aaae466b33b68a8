"""Language guess for a message: script first, then counts of frequent function words.

Rule: cheap and explainable. A script that belongs to one language family decides at once
(Arabic, Cyrillic, …); otherwise each token that is a marker word of one language (declared
`markers`, or a cue word found in one language's lexicon only) votes for it, and French wins
ties because most people write French here.
Nothing recognised gives "und" (undetermined), and the bot then simply keeps French.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from flows.textnorm import has_script

_SCRIPTS = (
    ("\u0600", "\u06ff", "ar"),
    ("\u0400", "\u04ff", "ru"),
    ("\u0590", "\u05ff", "he"),
    ("\u0370", "\u03ff", "el"),
    ("\u4e00", "\u9fff", "zh"),
    ("\u0e00", "\u0e7f", "th"),
)
_PREFERENCE = ("fr", "en")


def detect_language(text: str, words: list[str], markers: Mapping[str, str]) -> str:
    """ISO 639-1 code of the most likely language, or "und"."""
    for first, last, code in _SCRIPTS:
        if has_script(text, first, last):
            return code
    votes = Counter(markers[w] for w in words if w in markers)
    if not votes:
        return "und"
    best = max(votes.values())
    leaders = sorted(lang for lang, n in votes.items() if n == best)
    for lang in _PREFERENCE:
        if lang in leaders:
            return lang
    return leaders[0]
