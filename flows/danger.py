"""Danger detection: which emergency routes (helplines.yaml `routing` keys) a message calls for.

Rule: be generous. A false alarm costs one extra sentence; a missed one can cost a life. So any
danger cue counts, in any language, misspelt or not, and negation is ignored ("je ne veux plus
vivre" is a negation that means danger). Only a few cheap exceptions are honoured, phrases
where a danger word is plainly idiomatic ("menace de licenciement", "tuer le temps").
"""

from __future__ import annotations

from collections.abc import Sequence

from directory.lexicon import DANGERS, Lexicon
from flows.matching import Hit, analyse, build_index


def categories(
    hits: list[Hit], words: Sequence[str] = (), text: str = "", lexicon: Lexicon | None = None
) -> tuple[str, ...]:
    """Danger categories present among cue hits (and word stems, and substrings of scripts
    without spaces), in the reference order. Violence in a message that names a child ("sa mère
    le frappe", "il bat son fils") also calls for child protection."""
    found = {h.target for h in hits if h.kind == "danger"}
    if lexicon is not None:
        found |= _by_stem(words, lexicon) | _by_substring(text, lexicon)
    if "violence_now" in found and any(h.kind == "signals" and h.target == "child" for h in hits):
        found.add("child_danger")
    return tuple(cat for cat in DANGERS if cat in found)


def _by_stem(words: Sequence[str], lexicon: Lexicon) -> set[str]:
    stems = build_index(lexicon).stems
    return {category for word in words for stem, category in stems if word.startswith(stem)}


def _by_substring(text: str, lexicon: Lexicon) -> set[str]:
    if not text or all(ord(c) < 0x2E80 for c in text):  # no CJK character: nothing to look for
        return set()
    return {category for chars, category in lexicon.danger_substrings if chars in text}


def detect_danger(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Danger categories suggested by the words of `text` (empty when none)."""
    found = analyse(text, lexicon)
    return categories(found.hits, found.words, text, lexicon)
