"""Take personal data out of what people write, before anything is stored.

Rule: `scrub` is pure (no file, clock or logging) and total: it never raises on any text, leaves
emoji, right-to-left scripts and layout untouched, and replaces each item with a typed
placeholder such as `[PHONE]` or `[NAME]`, so a report keeps what happened and loses who.
`found` counts the kinds it replaced and never holds a value.

Decisions: a civility or relation word stays ("mon chef [NAME]") because it says who acted; in
"44000 Nantes" the postal code goes and the city stays, because the commune matters to the
report and a city alone does not identify anyone; a date of birth is taken only when announced
("né le…"), other dates stay because they date the facts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from directory.names import NameLexicon
from flows.scrub_names import name_spans
from flows.scrub_patterns import Span, structured_spans

KINDS = (
    "EMAIL",
    "URL",
    "HANDLE",
    "IBAN",
    "NIR",
    "CARD",
    "IP",
    "DATE_OF_BIRTH",
    "PHONE",
    "ADDRESS",
    "ID",
    "NAME",
)
"""Placeholder kinds, the most specific first: it names a span where two patterns overlap."""


@dataclass(frozen=True, slots=True)
class Scrubbed:
    """A text with its personal data replaced, and how many items of each kind went."""

    text: str
    found: tuple[tuple[str, int], ...]


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, so no piece of an item survives between two placeholders."""
    rank = {kind: i for i, kind in enumerate(KINDS)}
    merged: list[Span] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1], rank[s[2]])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            best = last[2] if rank[last[2]] <= rank[kind] else kind
            merged[-1] = (last[0], max(last[1], end), best)
        else:
            merged.append((start, end, kind))
    return merged


def scrub(text: str, names: NameLexicon) -> Scrubbed:
    """Replace every personal item of `text` with `[KIND]`; see the module rule."""
    spans = _merge(structured_spans(text))
    spans = _merge(
        spans + [(s, e, "NAME") for s, e in name_spans(text, names, [s[:2] for s in spans])]
    )
    out: list[str] = []
    pos = 0
    for start, end, kind in spans:
        out += [text[pos:start], f"[{kind}]"]
        pos = end
    out.append(text[pos:])
    counts = Counter(kind for _, _, kind in spans)
    return Scrubbed("".join(out), tuple((k, counts[k]) for k in KINDS if counts[k]))
