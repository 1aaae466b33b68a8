"""Finding lexicon cues in a message: exact multi-word lookup after fuzzy spelling repair.

Rule: every phrase is reduced to tokens by `flows.textnorm`, indexed by its joined tokens, and
looked up for each n-gram of the message (cost linear in message length). Misspellings are
repaired token by token against the lexicon's own vocabulary, and only for long tokens: a short
word is too close to too many others, so fuzzy-matching it invents cues. A cue contained in a
longer cue of the same kind is dropped ("ma femme" is not "femme"), and cues that overlap an
exception phrase ("menace de licenciement", "se gare") are not reported for that kind. A cue of
another language made only of plain words of the message's language is a homograph there and
is ignored (Italian "donne" = women; French "il me donne").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from directory.lexicon import Cue, Lexicon
from flows.langid import detect_language
from flows.textnorm import fold, tokens

KINDS = ("criteria", "domains", "roles", "signals", "danger")
_MIN_FUZZY_LEN = 5
_MAX_FUZZY_TOKENS = 400  # bounds the cost of a very long text; the first tokens matter most


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue found in the message, with its token span."""

    kind: str
    target: str
    weight: float
    phrase: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Index:
    """Phrase lookup tables built once per lexicon."""

    phrases: dict[str, tuple[tuple[str, str, float, frozenset[str]], ...]]
    exceptions: dict[str, frozenset[str]]
    max_len: int
    by_length: dict[str, dict[int, tuple[str, ...]]]
    no_fuzzy: frozenset[str]
    markers: dict[str, str]
    stems: tuple[tuple[str, str], ...] = ()
    """Danger stems folded like message words, with their category."""


def _key(phrase: str, lexicon: Lexicon) -> str:
    return " ".join(tokens(phrase, lexicon.sms))


def _markers(lexicon: Lexicon, word_langs: dict[str, set[str]]) -> dict[str, str]:
    """Words that point to one language: declared markers, then cue words of one language only."""
    markers: dict[str, str] = {}
    for cue in lexicon.languages:
        for word in tokens(cue.phrase, lexicon.sms):
            markers.setdefault(word, cue.target)
    for word, langs in word_langs.items():
        if len(langs) == 1 and len(word) >= 4 and word.isalpha():
            markers.setdefault(word, next(iter(langs)))
    return markers


def _homograph_in(key: str, langs: set[str], plain: dict[str, frozenset[str]]) -> frozenset[str]:
    """Message languages in which the cue `key` (of `langs`) is only plain words."""
    words = key.split()
    return frozenset(lang for lang, vocab in plain.items()
                     if lang not in langs and all(w in vocab for w in words))


@lru_cache(maxsize=8)
def build_index(lexicon: Lexicon) -> Index:
    """Index a lexicon; cached because the lexicon is immutable and compared by identity."""
    table: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    cue_langs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    word_langs: dict[str, set[str]] = defaultdict(set)
    for kind in KINDS:
        cues: Iterable[Cue] = getattr(lexicon, kind)
        for cue in cues:
            key = _key(cue.phrase, lexicon)
            if key:
                slot = table[key]
                slot[(kind, cue.target)] = max(slot.get((kind, cue.target), 0.0), cue.weight)
                cue_langs[(key, kind, cue.target)].add(cue.lang)
                for word in key.split():
                    word_langs[word].add(cue.lang)
    plain = {lang: frozenset(w for p in words for w in tokens(p, lexicon.sms))
             for lang, words in lexicon.lang_words.items()}
    phrases = {
        k: tuple((kd, t, w, _homograph_in(k, cue_langs[(k, kd, t)], plain))
                 for (kd, t), w in v.items())
        for k, v in table.items()
    }
    exceptions = {
        "danger": frozenset(_key(p, lexicon) for p in lexicon.danger_exceptions),
        "criteria": frozenset(_key(p, lexicon) for p in lexicon.criteria_exceptions),
        "domains": frozenset(_key(p, lexicon) for p in lexicon.domain_exceptions),
    }
    by_length: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for word in sorted(word_langs):
        if len(word) >= _MIN_FUZZY_LEN and word.isalpha():
            for lang in (*word_langs[word], ""):  # "" = every language, for "und"
                by_length[lang][len(word)].append(word)
    all_keys = set(phrases).union(*exceptions.values())
    return Index(
        phrases=phrases,
        exceptions=exceptions,
        max_len=max(len(k.split()) for k in all_keys),
        by_length={lang: {n: tuple(ws) for n, ws in d.items()} for lang, d in by_length.items()},
        no_fuzzy=frozenset(w for p in lexicon.no_fuzzy for w in tokens(p, lexicon.sms))
        | frozenset(word_langs),
        markers=_markers(lexicon, word_langs),
        stems=tuple((fold(stem), category) for stem, category in lexicon.danger_stems),
    )


def _cutoff(length: int) -> float:
    """Similarity needed to repair a token: one letter off for short words, more for long."""
    return 88.0 if length <= 6 else 85.0 if length <= 9 else 82.0


def _repair(word: str, lengths: dict[int, tuple[str, ...]]) -> str:
    n = len(word)
    choices = [w for m in range(n - 2, n + 3) for w in lengths.get(m, ())]
    if n <= 7:  # short words: also demand the same first letter
        choices = [w for w in choices if w[0] == word[0]]
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_cutoff(n))
    return best[0] if best else word


def repair(words: list[str], index: Index, lang: str) -> list[str]:
    """Replace long unknown tokens by the closest word of the message's language (a French
    "payer" must not become the English "prayer"), if one is close enough."""
    lengths = index.by_length.get(lang if lang in index.by_length else "", {})
    fixes: dict[str, str] = {}
    for word in words:
        if (word in fixes or word in index.no_fuzzy or len(word) < _MIN_FUZZY_LEN
                or not word.isalpha() or len(fixes) >= _MAX_FUZZY_TOKENS):
            continue
        fixes[word] = _repair(word, lengths)
    return [fixes.get(w, w) for w in words]


# Kinds whose phrases all describe one thing: a longer phrase replaces the shorter ones inside
# it whatever their target ("ma femme" is not "femme"). Signals and danger nest per target.
_NEST_BY_KIND = frozenset({"criteria", "domains", "roles"})


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    """Keep a hit unless a strictly longer hit of the same group covers its span."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for h in hits:
        spans[(h.kind, "" if h.kind in _NEST_BY_KIND else h.target)].append((h.start, h.end))
    return [
        h for h in hits
        if not any(s <= h.start and h.end <= e and e - s > h.end - h.start
                   for s, e in spans[(h.kind, "" if h.kind in _NEST_BY_KIND else h.target)]
                   if s <= h.start)
    ]


def find(words: list[str], index: Index, lang: str = "und") -> list[Hit]:
    """All cues in the token list, nested cues, cues inside exception phrases and homographs
    of the message's language `lang` removed."""
    hits: list[Hit] = []
    blocked: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start in range(len(words)):
        for end in range(start + 1, min(start + index.max_len, len(words)) + 1):
            key = " ".join(words[start:end])
            for kind, keys in index.exceptions.items():
                if key in keys:
                    blocked[kind].append((start, end))
            for kind, target, weight, homograph_in in index.phrases.get(key, ()):
                if lang not in homograph_in:
                    hits.append(Hit(kind, target, weight, key, start, end))
    # A cue touching an exception is idiomatic there: "il m'a menacé de licenciement".
    hits = [h for h in hits
            if not any(s < h.end and h.start < e for s, e in blocked.get(h.kind, ()))]
    return _drop_nested(hits)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What matching found in one message."""

    lang: str
    words: list[str]
    hits: list[Hit]


def analyse(text: str, lexicon: Lexicon) -> Analysis:
    """Language, tokens and cue hits of a message (tokens repaired toward that language)."""
    index = build_index(lexicon)
    words = tokens(text, lexicon.sms)
    lang = detect_language(text, words, index.markers)
    words = repair(words, index, lang)
    return Analysis(lang, words, find(words, index, lang))
