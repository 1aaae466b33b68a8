"""Normalisation of free text into comparable tokens, shared by messages and lexicon phrases.

Rule: the same function turns a message and a lexicon phrase into tokens, so a cue matches
whatever the spelling habits of the writer (capitals, missing accents, "trooop", "jsuis",
curly apostrophes, Arabic letter variants). Pure: no I/O, no state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# Letters that NFKD does not decompose but that people type interchangeably.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ß": "ss",
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        # Arabic: hamza-carrying alefs, ta marbuta, alef maqsura, tatweel.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ـ": "",
    }
)
_TOKEN = re.compile(r"[^\W_]+")
_REPEAT = re.compile(r"(\D)\1{2,}")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


def fold(text: str) -> str:
    """Lowercase and strip accents and other combining marks (Arabic short vowels included)."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _arabic_stem(token: str) -> str:
    """Drop the article and its fused prepositions: people write العنصرية and عنصرية alike."""
    for prefix in _ARABIC_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            return token[len(prefix) :]
    return token


def tokens(text: str, sms: Mapping[str, str]) -> list[str]:
    """Tokens of `text`, folded, with letter floods collapsed and SMS spellings expanded.

    An SMS key is one token ("jsuis") or two ("ma dit" → "m a dit": the possessive "ma" and the
    elided "m'a" are written alike in SMS, and only the next word tells them apart).
    """
    raw = _TOKEN.findall(_REPEAT.sub(r"\1", fold(text)))
    out: list[str] = []
    i = 0
    while i < len(raw):
        pair = sms.get(f"{raw[i]} {raw[i + 1]}") if i + 1 < len(raw) else None
        if pair is not None:
            out.extend(pair.split())
            i += 2
            continue
        word = raw[i]
        expansion = sms.get(word)
        if expansion is not None:
            out.extend(expansion.split())
        elif _ARABIC.match(word):
            out.append(_arabic_stem(word))
        else:
            out.append(word)
        i += 1
    return out


def has_script(text: str, first: str, last: str) -> bool:
    """Whether any character of `text` lies in the Unicode range [first, last]."""
    return any(first <= ch <= last for ch in text)
