"""Turning what the person wrote into tentative answers: scrub it, triage it, keep suggestions.

Rule: the raw text lives only for the duration of the step; the state keeps its scrubbed form.
Thresholds follow DESIGN.md: below 0.3 a suggestion is not used, the bot asks instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.context import Context
from flows.scrub import scrub
from flows.state import State, Suggested
from flows.triage import Suggestion, Triage, triage

USE = 0.3
"""A suggestion at or above this score fills a tentative answer the person then confirms."""
OFFER = 0.1
"""A suggestion at or above this score is offered as a button when the bot asks."""
CLOSE_SECOND = 0.8
"""A second criterion is kept with the first when it scores at least this share of it."""
MAX_DESCRIPTION = 12_000
THIN_WORDS, THIN_CHARS = 6, 80
"""Shorter than this and saying nothing triage can use ("bonjour", "aidez-moi"): not a story."""

_ROLE_FROM_TRIAGE = {"victime": "victime", "tiers": "tiers_proche", "temoin": "temoin"}


@dataclass(frozen=True, slots=True)
class Understanding:
    state: State
    triage: Triage
    thin: bool
    """Nothing usable was found and the text is short: worth asking for a little more."""


def understand(state: State, text: str, ctx: Context) -> Understanding:
    """Add the text to the description and refresh whatever the person has not answered yet."""
    if state.description:
        found = triage(f"{state.description}\n{text}", ctx.lexicon)
    else:
        found = ctx.reading if ctx.reading is not None else triage(text, ctx.lexicon)
    clean = scrub(text, ctx.names).text
    description = f"{state.description}\n{clean}".strip() if state.description else clean
    suggested = Suggested(
        situation=_top(found.situation, USE),
        criteria=tuple(s.id for s in found.criteria if s.score >= OFFER)[:3],
        domain=_top(found.domain, USE),
        role=_ROLE_FROM_TRIAGE.get(_top(found.role, USE) or ""),
    )
    new = state.but(description=description[:MAX_DESCRIPTION], suggested=suggested)
    if not new.is_answered("situation"):
        new = new.but(situation=suggested.situation)
    if not new.is_answered("criteria"):
        criteria = _criteria(found.criteria)
        family = ctx.knowledge.criterion(criteria[0]).family if criteria else None
        new = new.but(criteria=criteria, family=family)
    if not new.is_answered("domain"):
        new = new.but(domain=suggested.domain)
    short = len(text.split()) < THIN_WORDS and len(text) < THIN_CHARS
    thin = short and not (found.criteria or found.domain or found.situation)
    return Understanding(new, found, thin)


def _top(suggestions: tuple[Suggestion, ...], threshold: float) -> str | None:
    if suggestions and suggestions[0].score >= threshold:
        return suggestions[0].id
    return None


def _criteria(suggestions: tuple[Suggestion, ...]) -> tuple[str, ...]:
    if not suggestions or suggestions[0].score < USE:
        return ()
    first = suggestions[0]
    kept = [first.id]
    if len(suggestions) > 1:
        second = suggestions[1]
        if second.score >= USE and second.score >= CLOSE_SECOND * first.score:
            kept.append(second.id)
    return tuple(kept)
