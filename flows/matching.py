"""Finding lexicon cues in a message: exact multi-word lookup after fuzzy spelling repair.

Rule: every phrase is reduced to tokens by `flows.textnorm`, indexed by its joined tokens, and
looked up for each n-gram of the message (cost linear in message length). Misspellings are
repaired token by token against the lexicon's own vocabulary, and only for long tokens: a short
word is too close to too many others, so fuzzy-matching it invents cues. A cue contained in a
longer cue of the same kind is dropped ("ma femme" is not "femme"), and cues that sit inside an
exception phrase ("menace de licenciement") are not reported as danger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from directory.lexicon import Cue, Lexicon
from flows.textnorm import tokens

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

    phrases: dict[str, tuple[tuple[str, str, float], ...]]
    exceptions: frozenset[str]
    max_len: int
    vocabulary: frozenset[str]
    by_length: dict[int, tuple[str, ...]]
    no_fuzzy: frozenset[str]
    markers: dict[str, str]


def _key(phrase: str, lexicon: Lexicon) -> str:
    return " ".join(tokens(phrase, lexicon.sms))


@lru_cache(maxsize=8)
def build_index(lexicon: Lexicon) -> Index:
    """Index a lexicon; cached because the lexicon is immutable and compared by identity."""
    table: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    for kind in KINDS:
        cues: Iterable[Cue] = getattr(lexicon, kind)
        for cue in cues:
            key = _key(cue.phrase, lexicon)
            if key:
                slot = table[key]
                slot[(kind, cue.target)] = max(slot.get((kind, cue.target), 0.0), cue.weight)
    phrases = {k: tuple((kd, t, w) for (kd, t), w in v.items()) for k, v in table.items()}
    exceptions = frozenset(_key(p, lexicon) for p in lexicon.danger_exceptions)
    words = {w for key in phrases for w in key.split()}
    vocabulary = frozenset(w for w in words if len(w) >= _MIN_FUZZY_LEN and w.isalpha())
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in sorted(vocabulary):
        by_length[len(word)].append(word)
    markers: dict[str, str] = {}
    for cue in lexicon.languages:
        for word in tokens(cue.phrase, lexicon.sms):
            markers.setdefault(word, cue.target)
    all_keys = set(phrases) | exceptions
    return Index(
        phrases=phrases,
        exceptions=exceptions,
        max_len=max(len(k.split()) for k in all_keys),
        vocabulary=vocabulary,
        by_length={n: tuple(ws) for n, ws in by_length.items()},
        no_fuzzy=frozenset(w for p in lexicon.no_fuzzy for w in tokens(p, lexicon.sms)) | words,
        markers=markers,
    )


def _cutoff(length: int) -> float:
    """Similarity needed to repair a token: one letter off for short words, more for long."""
    return 89.0 if length <= 6 else 85.0 if length <= 9 else 82.0


def _repair(word: str, index: Index) -> str:
    n = len(word)
    choices = [w for m in range(n - 2, n + 3) for w in index.by_length.get(m, ())]
    if n <= 7:  # short words: also demand the same first letter
        choices = [w for w in choices if w[0] == word[0]]
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_cutoff(n))
    return best[0] if best else word


def repair(words: list[str], index: Index) -> list[str]:
    """Replace long unknown tokens by the closest lexicon word, if one is close enough."""
    fixes: dict[str, str] = {}
    for word in words:
        if (
            word in fixes
            or word in index.no_fuzzy
            or len(word) < _MIN_FUZZY_LEN
            or not word.isalpha()
            or len(fixes) >= _MAX_FUZZY_TOKENS
        ):
            continue
        fixes[word] = _repair(word, index)
    return [fixes.get(w, w) for w in words]


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    """Keep a hit unless a strictly longer hit of the same kind covers its span."""
    kept = []
    for hit in hits:
        inside = any(
            o.kind == hit.kind
            and o.start <= hit.start
            and hit.end <= o.end
            and (o.end - o.start) > (hit.end - hit.start)
            for o in hits
        )
        if not inside:
            kept.append(hit)
    return kept


def find(words: list[str], index: Index) -> list[Hit]:
    """All cues in the token list, nested cues and danger exceptions removed."""
    hits: list[Hit] = []
    blocked: list[tuple[int, int]] = []
    for start in range(len(words)):
        for end in range(start + 1, min(start + index.max_len, len(words)) + 1):
            key = " ".join(words[start:end])
            if key in index.exceptions:
                blocked.append((start, end))
            for kind, target, weight in index.phrases.get(key, ()):
                hits.append(Hit(kind, target, weight, key, start, end))
    hits = [
        h
        for h in hits
        if h.kind != "danger" or not any(s <= h.start and h.end <= e for s, e in blocked)
    ]
    by_kind: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit)
    return [h for group in by_kind.values() for h in _drop_nested(group)]


def analyse(text: str, lexicon: Lexicon) -> tuple[list[str], list[Hit]]:
    """Tokens (repaired) and cue hits of a message."""
    index = build_index(lexicon)
    words = repair(tokens(text, lexicon.sms), index)
    return words, find(words, index)
