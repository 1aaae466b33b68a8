"""Personal names found from words and their context, with a lexicon and no statistical model.

Rule: a word is a name when the context says so (a civility, "mon chef", "je m'appelle"), when it
is a known first name or surname that is not also an ordinary word, when it is capitalised and
unknown in the middle of a sentence, or when it joins a name already found ("Jean Dupont",
"Marie-Claire Le Goff"). Places, organisations, calendar words and category words ("arabe",
"musulman") are listed in the lexicon and never taken; a first name that is also a word ("rose",
"pierre") is taken only when the context makes it a name. Then: a capitalised word right
before a name found joins it ("Will Carter", "Noël Pierre-Louis"), a lower-case first name after
an SMS self-introduction is taken ("slt cest olive"), and every other capitalised occurrence of
a name found is taken too ("Frank … Frank's car"). Why no model: spaCy's small French
model loses most lower-case and SMS-style names, takes seconds to load and ~8 ms a message.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from directory.names import NameLexicon, fold
from flows.scrub_words import (
    ARTICLES as _ARTICLES,
)
from flows.scrub_words import (
    CODE_BEFORE as _CODE_BEFORE,
)
from flows.scrub_words import (
    CONTRACTED as _CONTRACTED,
)
from flows.scrub_words import (
    ELISIONS as _ELISIONS,
)
from flows.scrub_words import (
    NAME_IS as _NAME_IS,
)
from flows.scrub_words import (
    POSSESSIVES as _POSSESSIVES,
)
from flows.scrub_words import (
    SAINTS as _SAINTS,
)
from flows.scrub_words import (
    SENTENCE_END as _SENTENCE_END,
)
from flows.scrub_words import (
    STRONG_TITLES as _STRONG_TITLES,
)
from flows.scrub_words import (
    VERBISH as _VERBISH,
)
from flows.scrub_words import (
    WORD,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the message with what the name rules need to know about it."""

    start: int
    end: int
    text: str
    key: str
    initial: bool
    glued: bool
    """Touches a digit ("kay3ayerni", "7B") or follows a postal code ("44330 Vallet")."""

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def all_caps(self) -> bool:
        return len(self.text) >= 2 and self.text.isupper()


def tokens(text: str) -> list[Token]:
    """Words of `text`, elided articles split off ("d'Ahmed" gives "d'" and "Ahmed")."""
    found: list[Token] = []
    for m in WORD.finditer(text):
        start, word = m.start(), m.group()
        head, sep, rest = word.replace("’", "'").partition("'")
        if sep and fold(head) in _ELISIONS and rest:
            found.append(_token(text, start, word[: len(head) + 1]))
            start, word = start + len(head) + 1, word[len(head) + 1 :]
        found.append(_token(text, start, word))
    return found


def _token(text: str, start: int, word: str) -> Token:
    before = text[max(0, start - 40) : start].rstrip(" \t")
    initial = (
        not before
        or before[-1] in _SENTENCE_END
        or (not before[-1].isascii() and not (before[-1].isalnum() or before[-1] in ",'’-"))
    )
    end = start + len(word)
    glued = (
        (start > 0 and text[start - 1].isdigit())
        or (end < len(text) and text[end].isdigit())
        or bool(_CODE_BEFORE.search(before))
    )
    return Token(start, end, word, fold(word), initial, glued)


def _parts(key: str) -> list[str]:
    return [p for p in re.split(r"[-']", key) if p]


def _known(key: str, names: NameLexicon) -> bool:
    """A first name or surname that is not also an ordinary word ("kevin", "dupont")."""
    parts = _parts(key)
    return (
        bool(parts)
        and all(
            (p in names.first_names or p in names.surnames) and p not in names.common_words
            for p in parts
        )
        and key not in names.not_names
    )


def _first(key: str, names: NameLexicon) -> bool:
    parts = _parts(key)
    return bool(parts) and all(p in names.first_names or p in names.surnames for p in parts)


def _ordinary(tok: Token, names: NameLexicon) -> bool:
    """A listed word, or one written SMS-style without its elision ("lappelle", "jai")."""
    key = tok.key
    if key in names.common_words or key in names.not_names:
        return True
    return (
        len(key) > 3
        and key[0] in "cdjlmnst"
        and key[1] in "aeiouyh"
        and key[1:] in names.common_words
        and not _first(key, names)
    )


def _never(tok: Token, names: NameLexicon) -> bool:
    """Never a name: "I'm", "don't"; "Saint-Jacques" (a place or a church); words glued to
    digits or after a postal code."""
    head, _, tail = tok.key.partition("'")
    parts = _parts(tok.key)
    return (
        tok.glued
        or (tail in _CONTRACTED and (head in names.common_words or head == "i"))
        or (len(parts) > 1 and parts[0] in _SAINTS)
    )


def _namelike(tok: Token, names: NameLexicon) -> bool:
    """Could continue a name already started: capitalised and not a listed place or word."""
    if _excluded(tok, names):
        return False
    if tok.capitalised:
        return not tok.all_caps or tok.key not in names.common_words
    return _known(tok.key, names) or tok.key in names.surnames


def _cued(toks: list[Token], i: int, names: NameLexicon) -> bool:
    """The words before token i announce a name: civility, relation, "je m'appelle"."""
    prev = toks[i - 1].key if i else ""
    prev2 = toks[i - 2].key if i > 1 else ""
    if prev in names.civilities and (prev != "me" or toks[i].capitalised):
        return True
    if prev in names.relations and prev2 in _POSSESSIVES:
        return True
    return prev in names.introducers or (prev in _NAME_IS and prev2 in {"name", "nom", "prenom"})


def _excluded(tok: Token, names: NameLexicon) -> bool:
    """Never part of a name: listed places and organisations, small words, never-names."""
    return _never(tok, names) or tok.key in names.not_names or tok.key in names.stopwords


def _surname_after_particle(tok: Token, names: NameLexicon, lower: bool) -> bool:
    """After "de", "da", "le"…: a capitalised word; in a name written in lower case, also a
    word that is no common word ("nathalie le gall", "mme da silva"; not "fatou de la poste")."""
    return tok.capitalised or (lower and tok.key not in names.common_words)


def _after_particles(toks: list[Token], i: int, names: NameLexicon) -> Token | None:
    """The word after token i, past up to two particles ("Le" in "Marie-Claire Le Goff")."""
    k = i + 1
    while k < len(toks) and toks[k].key in names.particles and k - i <= 2:
        k += 1
    lower = not toks[i].capitalised
    if k >= len(toks) or (k > i + 1 and not _surname_after_particle(toks[k], names, lower)):
        return None
    return toks[k] if toks[k].start - toks[k - 1].end <= 2 else None


def _pair(toks: list[Token], i: int, names: NameLexicon) -> bool:
    """A first name followed by a surname-like word: "Jean Dupont", "fatou diallo"."""
    tok = toks[i]
    if not all(p in names.first_names for p in _parts(tok.key)):
        return False
    if not tok.capitalised and _ordinary(tok, names):
        return False
    nxt = _after_particles(toks, i, names)
    return nxt is not None and (
        _known(nxt.key, names) or (tok.capitalised and nxt.capitalised and _namelike(nxt, names))
    )


def _starts_name(toks: list[Token], i: int, names: NameLexicon) -> bool:
    """Whether a name begins at token i; the module rule lists the cases in order."""
    tok = toks[i]
    if _never(tok, names):
        return False
    if _cued(toks, i, names):
        if tok.key in names.civilities or (
            tok.key in names.not_names and (toks[i - 1].key not in names.civilities)
        ):
            return False
        if tok.key in names.particles:  # "Mme Le Goff", and in lower case "mme da silva"
            lower_civility = toks[i - 1].key in names.civilities
            found = _after_particles(toks, i - 1, names)
            return (tok.capitalised or lower_civility) and found is not None
        if tok.key in names.stopwords:
            return False
        prev = toks[i - 1]
        return (
            tok.capitalised
            or not _ordinary(tok, names)
            or (prev.key in names.introducers and tok.key in names.first_names)
            or (prev.key in _STRONG_TITLES and _first(tok.key, names))
        )
    if tok.key in names.stopwords or tok.key in names.not_names:
        return False
    if _known(tok.key, names) or _pair(toks, i, names):
        return True
    if i and toks[i - 1].key in _ARTICLES and (tok.capitalised or tok.all_caps):
        return False
    if tok.all_caps:
        return (
            len(tok.text) >= 3
            and tok.key not in names.common_words
            and (len(tok.text) >= 6 or _first(tok.key, names))
        )
    if tok.capitalised and not tok.initial:
        return tok.key not in names.common_words or _first(tok.key, names)
    if tok.capitalised and _first(tok.key, names) and i + 1 < len(toks):
        nxt = toks[i + 1].key
        return nxt in _VERBISH or (
            nxt in _POSSESSIVES and i + 2 < len(toks) and toks[i + 2].key in names.relations
        )
    return False


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (pos, len(spans) + 1 << 40)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def name_spans(
    text: str, names: NameLexicon, taken: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(start, end) of each personal name in `text`, skipping words inside `taken` spans."""
    starts = sorted(taken)
    toks = [t for t in tokens(text) if not _inside(t.start, starts)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if not _starts_name(toks, i, names):
            i += 1
            continue
        start, end, j = toks[i].start, toks[i].end, i + 1
        lower = not toks[i].capitalised
        while j < len(toks) and not text[end : toks[j].start].strip(" "):
            k = j
            while k < len(toks) and toks[k].key in names.particles and k - j < 2:
                k += 1
            if k < len(toks) and (
                _namelike(toks[k], names)
                if k == j
                else _surname_after_particle(toks[k], names, lower)
                and not _excluded(toks[k], names)
            ):
                end, j = toks[k].end, k + 1
            else:
                break
        spans.append((start, end))
        i = j
    return _repeated(toks, _joined_left(toks, spans, names), names)


_GREETINGS = frozenset({
    "slt", "salut", "bonjour", "bjr", "cc", "coucou", "hello", "hey", "moi", "wesh", "yo", "hi",
    "bonsoir", "bsr", "hola", "ola", "buenas", "merhaba", "salam", "salem", "dear", "cher",
    "chere", "madame", "monsieur",
})  # fmt: skip
_POSSESSIVE = re.compile(r"['’]s$")
_SMS_IAM = frozenset({"jsuis", "jsui", "chui", "chuis", "jss"})
"""SMS ways to say "I am" that introduce oneself ("jsuis rose", "slt cest olive")."""


def _sms_introduced(toks: list[Token], i: int, names: NameLexicon) -> bool:
    """A first name written in lower case right after an SMS self-introduction."""
    if not i or toks[i].key not in names.first_names:
        return False
    prev = toks[i - 1].key
    prev2 = toks[i - 2].key if i > 1 else ""
    return prev in _SMS_IAM or (
        prev in {"cest", "c'est", "est"}
        and prev2 in _GREETINGS | {"c'"}
        and (prev != "est" or (i > 2 and toks[i - 3].key in _GREETINGS))
    )


def _joined_left(
    toks: list[Token], spans: list[tuple[int, int]], names: NameLexicon
) -> list[tuple[int, int]]:
    """A name found right after a capitalised word that is a first name ("Noël Pierre-Louis"),
    or any capitalised word opening the sentence ("Will Carter"), takes that word too; an SMS
    self-introduction names a lower-case first name ("slt cest olive")."""
    by_start = {start: end for start, end in spans}
    out = dict(by_start)
    for i, tok in enumerate(toks):
        if _sms_introduced(toks, i, names) and tok.start not in by_start:
            out[tok.start] = tok.end
        if i + 1 >= len(toks) or toks[i + 1].start not in by_start or tok.start in by_start:
            continue
        nxt = toks[i + 1]
        if nxt.start - tok.end != 1 or not tok.capitalised or tok.all_caps or not nxt.capitalised:
            continue
        if _never(tok, names) or tok.key in names.stopwords or tok.key in _ARTICLES:
            continue
        if tok.key in names.civilities or tok.key in names.particles or tok.key in _GREETINGS:
            continue
        imperative = tok.key.endswith("ez")  # "Appelez Samira", "Contactez Marc"
        if _first(tok.key, names) or (
            tok.initial and tok.key not in names.not_names and not imperative
        ):
            out[tok.start] = out.pop(nxt.start)
    return sorted(out.items())


def _repeated(
    toks: list[Token], spans: list[tuple[int, int]], names: NameLexicon
) -> list[tuple[int, int]]:
    """Once a capitalised word is found as a name, its other capitalised occurrences are names
    too, possessive included ("Frank Dubois … Frank's car")."""
    spans = sorted(spans)
    found = {
        tok.key
        for tok in toks
        if tok.capitalised
        and tok.key not in names.stopwords
        and len(tok.key) > 2
        and _inside(tok.start, spans)
    }
    if not found:
        return spans
    extra = []
    for tok in toks:
        base = _POSSESSIVE.sub("", tok.key)
        if tok.capitalised and base in found and not _inside(tok.start, spans):
            extra.append((tok.start, tok.end))
    return sorted(spans + extra)
