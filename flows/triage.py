"""Triage of a free-text first message: language, danger, role, situation, criteria and domain.

Rule: suggestions come only from cues found in the words (see `flows.matching`), never from a
default. Evidence for a target is the sum of the weights of the distinct cues found for it, and
a score is `1 - exp(-evidence)`: one ordinary cue gives ~0.6, a strong or a second cue gives
≥ 0.8, a weak cue alone stays under 0.3 — so scores mean the same thing on every message and
the bot asks instead of guessing when the best score is low. Pure: no I/O, clock or logging.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import pairwise

from directory.lexicon import Lexicon
from flows.danger import categories
from flows.matching import Hit, analyse

MAX_SUGGESTIONS = 5
# "j'ai 58 ans", "over 50 years": an age stated in a complaint is usually the point.
_YEARS = frozenset({"ans", "years", "yrs", "anos", "anni", "jahre", "yasinda", "yasindayim"})
_STATED_AGE_FROM = 45


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One candidate id with a confidence in [0, 1]; ≥ 0.5 means confident, < 0.3 means ask."""

    id: str
    score: float


@dataclass(frozen=True, slots=True)
class Triage:
    """What the words of one message suggest; every list is ranked best first."""

    lang: str
    urgent: bool
    danger: tuple[str, ...]
    role: tuple[Suggestion, ...]
    situation: tuple[Suggestion, ...]
    criteria: tuple[Suggestion, ...]
    domain: tuple[Suggestion, ...]

    def to_json(self) -> dict[str, object]:
        """Plain JSON-ready values, in the field order of the CLI contract."""

        def items(sugs: tuple[Suggestion, ...]) -> list[dict[str, object]]:
            return [{"id": s.id, "score": s.score} for s in sugs]

        return {
            "lang": self.lang,
            "urgent": self.urgent,
            "danger": list(self.danger),
            "role": items(self.role),
            "situation": items(self.situation),
            "criteria": items(self.criteria),
            "domain": items(self.domain),
        }


def _evidence(hits: list[Hit], kind: str) -> dict[str, float]:
    """Sum of weights per target, each distinct phrase counted once (repetition is not proof)."""
    seen: dict[tuple[str, str], float] = {}
    for hit in hits:
        if hit.kind == kind:
            seen[(hit.target, hit.phrase)] = max(seen.get((hit.target, hit.phrase), 0), hit.weight)
    total: dict[str, float] = defaultdict(float)
    for (target, _), weight in seen.items():
        total[target] += weight
    return total


def _confidence(evidence: float) -> float:
    return 1.0 - math.exp(-max(evidence, 0.0))


def _ranked(
    evidence: dict[str, float],
    scale: dict[str, float] | None = None,
    first_seen: dict[str, int] | None = None,
) -> tuple[Suggestion, ...]:
    """Best first; equal scores go to the target named first in the message (else by id)."""
    scored = [
        Suggestion(target, round(_confidence(value) * (scale or {}).get(target, 1.0), 3))
        for target, value in evidence.items()
    ]
    scored = [s for s in scored if s.score > 0]
    seen = first_seen or {}
    scored.sort(key=lambda s: (-s.score, seen.get(s.id, 1 << 30), s.id))
    return tuple(scored[:MAX_SUGGESTIONS])


def _first_seen(hits: list[Hit], kind: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for hit in hits:
        if hit.kind == kind:
            seen[hit.target] = min(seen.get(hit.target, hit.start), hit.start)
    return seen


def _stated_age(words: list[str]) -> bool:
    return any(
        w.isdigit() and _STATED_AGE_FROM <= int(w) < 110 and nxt in _YEARS
        for w, nxt in pairwise(words)
    )


def _criteria(words: list[str], hits: list[Hit], lexicon: Lexicon) -> dict[str, float]:
    """Criterion evidence, weighted by a prior that breaks ties between overlapping criteria."""
    prior = lexicon.tuning.criterion_prior
    evidence = _evidence(hits, "criteria")
    if _stated_age(words):
        evidence["age"] = evidence.get("age", 0.0) + lexicon.tuning.param("stated_age")
    return {cid: value * float(prior.get(cid, 1.0)) for cid, value in evidence.items()}


def _roles(hits: list[Hit], lexicon: Lexicon) -> tuple[Suggestion, ...]:
    """Role shares: first-person words are everywhere, so their evidence is capped; a message
    that describes a situation without any role word is most often the victim's own (weakly)."""
    evidence = _evidence(hits, "roles")
    if not evidence and any(h.kind in ("criteria", "domains", "signals") for h in hits):
        evidence["victime"] = lexicon.tuning.param("implicit_victim")
    if "victime" in evidence:
        evidence["victime"] = min(evidence["victime"], lexicon.tuning.param("victim_cap"))
    total = sum(evidence.values())
    if total <= 0:
        return ()
    confidence = _confidence(total)
    shares = {role: confidence * value / total for role, value in evidence.items()}
    ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(Suggestion(role, round(score, 3)) for role, score in ranked if score > 0)


def _situations(
    crit: dict[str, float],
    dom: dict[str, float],
    hits: list[Hit],
    lexicon: Lexicon,
) -> dict[str, float]:
    """Evidence for each situation type from the three legal elements and the other signals.

    Discrimination needs a criterion and an unfavourable treatment (or harassment where the law
    applies); insults or violence tied to a criterion without a refused right are "connexe";
    access-to-rights trouble with no criterion is "complexe"; ordinary disputes are out of scope.
    """
    p = lexicon.tuning.param
    sig = _evidence(hits, "signals")
    c = min(max(crit.values(), default=0.0), p("criterion_cap"))
    covered = max((v for d, v in dom.items() if d in lexicon.covered_domains), default=0.0)
    in_scope = 1.0 if covered > 0 else 0.0
    unfav, harass = sig.get("unfavourable", 0.0), sig.get("harassment", 0.0)
    insult = sig.get("insult", 0.0)
    out = {
        "discrimination": c
        * (
            unfav
            + in_scope
            * (p("harass_covered") * harass + p("insult_covered") * insult + p("domain_alone"))
        )
        + p("generic") * sig.get("generic", 0.0),
        "situation_connexe": c * (insult + p("harass_connexe") * harass)
        + p("insult_alone") * insult,
        "situation_complexe": sig.get("complex", 0.0) / (1.0 + p("criterion_damping") * c)
        + p("unfav_no_criterion") * unfav * (c == 0),
        "hors_champ": sig.get("out_of_scope", 0.0) / (1.0 + 2.0 * c),
    }
    return {k: v for k, v in out.items() if v > 0}


_WORKPLACE_REACH = 3
"""Words between "je travaille" / "I work" and the place it names ("à l'", "dans un", "at the")."""


def _at_work(hits: list[Hit]) -> list[Hit]:
    """A place named right after "je travaille", "I work at" is where the person works: its
    words count for work ("je travaille à l'hôpital" is a job, not a visit to a hospital)."""
    ends = [h.end for h in hits if h.kind == "signals" and h.target == "works_at"]
    if not ends:
        return hits
    return [
        replace(h, target="emploi_prive")
        if h.kind == "domains"
        and h.target not in ("emploi_prive", "emploi_public")
        and any(0 <= h.start - end <= _WORKPLACE_REACH for end in ends)
        else h
        for h in hits
    ]


def _domains(hits: list[Hit], lexicon: Lexicon) -> dict[str, float]:
    """Domain evidence. Work words at a public employer ("mon chef de service à la mairie",
    "ma promotion au ministère", "je travaille à l'hôpital") describe public employment, not a
    visit to a public service."""
    dom = _evidence(_at_work(hits), "domains")
    public = _evidence(hits, "signals").get("public_employer", 0.0)
    work = dom.get("emploi_prive", 0.0)
    if public > 0 and work >= lexicon.tuning.param("public_work_min"):
        dom["emploi_public"] = dom.get("emploi_public", 0.0) + work + public
        # The institution is where the person works, not a public service they went to.
        if "services_publics" in dom:
            dom["services_publics"] *= lexicon.tuning.param("public_service_as_workplace")
    return dom


def triage(text: str, lexicon: Lexicon) -> Triage:
    """Suggest what a first message is about, from its words only."""
    found = analyse(text, lexicon)
    hits = found.hits
    crit = _criteria(found.words, hits, lexicon)
    dom = _domains(hits, lexicon)
    danger = categories(hits, found.words, text, lexicon)
    return Triage(
        lang=found.lang,
        urgent=bool(danger),
        danger=danger,
        role=_roles(hits, lexicon),
        situation=_ranked(_situations(crit, dom, hits, lexicon)),
        criteria=_ranked(crit),
        domain=_ranked(dom, first_seen=_first_seen(hits, "domains")),
    )
