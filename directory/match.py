"""Rank the territory's partners for one qualified situation: who fits this person best.

Rule: matching is a pure function of the directory and the query, with fixed weights so the
order is explainable and deterministic (ties broken by name, then id). What counts, strongest
first: a partner specialised in the person's criterion; a généraliste (all criteria); the domain;
what the person needs against what the partner offers; the situation type; the commune. A
partner specialised in *other* criteria is left out when the criterion is known. A partner with
at least one sourced contact gets a bonus larger than any single tie-breaking factor, so one
without a contact never outranks an equally fitting one with a contact (it may still appear: a
city officer can then see the gap). `reasons` are ids, not sentences: the conversation renders
them in the person's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from directory.model import Directory, Partner, Territory

NEEDS = frozenset({"listen", "inform", "orient", "act"})
"""What a person may ask for; `act` = legal support, complaint, Défenseur des droits, mediation."""

NEED_OFFERS: dict[str, frozenset[str]] = {
    "listen": frozenset({"ecoute", "accompagnement_psychologique", "pair_aidance"}),
    "inform": frozenset({"information"}),
    "orient": frozenset({"orientation"}),
    "act": frozenset(
        {"accompagnement_juridique", "aide_plainte", "saisine_defenseur", "mediation"}
    ),
}

SPECIALIST = 40.0
GENERALIST = 20.0
GENERALIST_UNKNOWN_CRITERION = 10.0
DOMAIN = 20.0
NEED = 8.0
SITUATION = 10.0
COMMUNE_NAMED = 10.0
COMMUNE_COVERED = 6.0
COMMUNE_ELSEWHERE = -25.0
CONTACT = 15.0
WORDS_MAX = 12.0
"""At most this much for sharing the person's own words: enough to order comparable partners
("titre de séjour" brings forward the one that helps with residence permits), never enough to
outweigh a criterion or a domain."""
WORD_UNIQUE = 6.0
"""A word of the person's found in one partner's description only; shared by n partners, 6/n."""
_COMMUNE_POINTS = {
    "named": COMMUNE_NAMED, "covered": COMMUNE_COVERED, "elsewhere": COMMUNE_ELSEWHERE
}


@dataclass(frozen=True, slots=True)
class Query:
    """A qualified situation: every field may be unknown (None or empty)."""

    situation: str | None = None
    criteria: tuple[str, ...] = ()
    domain: str | None = None
    commune: str | None = None
    needs: tuple[str, ...] = ()
    text: str = ""
    """The person's own words (already scrubbed), to order partners that fit equally well."""

    def __post_init__(self) -> None:
        unknown = set(self.needs) - NEEDS
        if unknown:
            raise ValueError(f"unknown needs {sorted(unknown)}; expected among {sorted(NEEDS)}")


@dataclass(frozen=True, slots=True)
class PartnerMatch:
    """A partner with its score (higher is better) and the ids of the reasons it was chosen."""

    partner: Partner
    score: float
    reasons: tuple[str, ...]


def match_partners(
    directory: Directory,
    query: Query,
    limit: int = 3,
    exclude: tuple[str, ...] | None = None,
) -> tuple[PartnerMatch, ...]:
    """The best `limit` partners for `query`, best first; the main service is left out by default
    because the conversation already presents it."""
    skipped = (directory.territory.main_service,) if exclude is None else exclude
    words = _word_points(directory, query.text)
    found = []
    for partner in directory.partners:
        if partner.id in skipped:
            continue
        scored = score_partner(directory.territory, partner, query)
        if scored is None:
            continue
        bonus = min(WORDS_MAX, words.get(partner.id, 0.0))
        if bonus:
            scored = PartnerMatch(partner, scored.score + bonus, (*scored.reasons, "words"))
        found.append(scored)
    return tuple(sorted(found, key=_order)[:limit])


_STOP = frozenset({"avoir", "etait", "parce", "cette", "comme", "quand", "alors", "depuis",
                   "apres", "avant", "leurs", "toute", "toutes", "tous", "faire", "personne",
                   "personnes", "discrimination", "discriminations", "because", "there", "their",
                   "about", "would", "which"})


def _stems(text: str) -> frozenset[str]:
    """Distinctive word stems: lower case, no accents, at least five letters, cut at five."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return frozenset(w[:5] for w in re.findall(r"[a-z]{5,}", plain) if w not in _STOP)


_PARTNER_STEMS: dict[int, tuple[dict[str, frozenset[str]], Counter[str]]] = {}


def _word_points(directory: Directory, text: str) -> dict[str, float]:
    """Points per partner for the rare words it shares with the person's text."""
    if not text:
        return {}
    key = id(directory.partners)
    if key not in _PARTNER_STEMS:
        stems = {p.id: _stems(f"{p.name} {p.description_fr}") for p in directory.partners}
        _PARTNER_STEMS[key] = (stems, Counter(s for group in stems.values() for s in group))
    stems, frequency = _PARTNER_STEMS[key]
    person = _stems(text)
    return {
        partner_id: sum(WORD_UNIQUE / frequency[s] for s in person & own)
        for partner_id, own in stems.items()
    }


def score_partner(territory: Territory, partner: Partner, query: Query) -> PartnerMatch | None:
    """How well one partner fits, or None when it does not fit at all."""
    points = 0.0
    reasons: list[str] = []
    shared = [c for c in query.criteria if c in partner.criteria]
    if shared:
        points += SPECIALIST
        reasons += [f"criterion:{c}" for c in shared]
    elif partner.all_criteria:
        points += _generalist_points(query)
        reasons.append("generalist")
    elif query.criteria:
        return None
    if query.domain and query.domain in partner.domains:
        points += DOMAIN
        reasons.append(f"domain:{query.domain}")
    for need in query.needs:
        offered = sorted(NEED_OFFERS[need] & set(partner.offers))
        if offered:
            points += NEED
            reasons.append(f"need:{need}")
    if query.situation and query.situation in partner.situation_types:
        points += SITUATION
        reasons.append(f"situation:{query.situation}")
    if not reasons:
        return None
    place = commune_fit(territory, partner, query.commune)
    if place != "unknown":
        points += _COMMUNE_POINTS[place]
        reasons.append(f"commune:{place}")
    if not partner.contact.is_empty():
        points += CONTACT
        reasons.append("contact")
    return PartnerMatch(partner, points, tuple(reasons))


def _generalist_points(query: Query) -> float:
    """A généraliste's edge: full when the criterion is known, less when it is not, none for an
    access-to-rights difficulty, where no criterion is expected and specialists of the topic
    (residence permits, housing…) should come first on their own merits."""
    if query.criteria:
        return GENERALIST
    return 0.0 if query.situation == "situation_complexe" else GENERALIST_UNKNOWN_CRITERION


def commune_fit(territory: Territory, partner: Partner, commune: str | None) -> str:
    """Where the person lives against where the partner works.

    `named`: the partner lists the commune; `covered`: its scope (département, métropole, or a
    service listing no commune) reaches the commune; `elsewhere`: it serves other communes only;
    `unknown`: no commune given and nothing tells the partner is out of the territory.
    """
    listed = set(partner.communes)
    if commune is None:
        outside = partner.scope == "ville" and listed and not listed & set(territory.communes)
        return "elsewhere" if outside else "unknown"
    if commune in listed:
        return "named"
    if partner.scope == "departement" or not listed:
        return "covered"
    if partner.scope == "metropole" and commune in territory.communes:
        return "covered"
    return "elsewhere"


def covers_commune(territory: Territory, partner: Partner, commune: str) -> bool:
    """Whether the partner serves people of `commune` (used to filter searches)."""
    return commune_fit(territory, partner, commune) in ("named", "covered")


def _order(found: PartnerMatch) -> tuple[float, str, str]:
    return (-found.score, found.partner.name.casefold(), found.partner.id)
