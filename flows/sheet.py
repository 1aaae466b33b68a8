"""The follow-up sheet (fiche de suivi): what the team needs to pick a conversation up.

Rule: a sheet holds the conversation's categories and its scrubbed description, never who the
person is; it is a plain value, stored as JSON with the follow-up, so the team can read it again
after the conversation itself was closed and reset.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from directory.model import Directory
from flows.replies import N_, DataLabel, Duration, Lines, Msg, Param, When, msg
from flows.state import State, TeamStatus

ROLE_LABELS = {
    "victime": N_("sheet.role.victime"),
    "tiers_proche": N_("sheet.role.tiers_proche"),
    "tiers_pro": N_("sheet.role.tiers_pro"),
    "temoin": N_("sheet.role.temoin"),
}
NEED_LABELS = {
    "listen": N_("sheet.need.listen"),
    "inform": N_("sheet.need.inform"),
    "orient": N_("sheet.need.orient"),
    "act": N_("sheet.need.act"),
}
REASONS = {
    "asked": N_("sheet.reason.asked"),
    "danger": N_("sheet.reason.danger"),
    "complex": N_("sheet.reason.complex"),
    "needs": N_("sheet.reason.needs"),
    "professional": N_("sheet.reason.professional"),
    "no_partner": N_("sheet.reason.no_partner"),
}
STATUS_LABELS = {
    TeamStatus.WAITING: N_("sheet.status.waiting"),
    TeamStatus.TAKEN: N_("sheet.status.taken"),
    TeamStatus.RETURNED: N_("sheet.status.returned"),
    TeamStatus.CLOSED: N_("sheet.status.closed"),
}
LANGUAGE_NAMES = {"fr": "français", "en": "English"}
TREES = (
    "Aulne", "Bouleau", "Cèdre", "Charme", "Chêne", "Cormier", "Érable", "Frêne", "Genêt",
    "Hêtre", "If", "Laurier", "Lierre", "Mélèze", "Micocoulier", "Noyer", "Olivier", "Orme",
    "Peuplier", "Pin", "Platane", "Saule", "Sureau", "Tilleul",
)  # fmt: skip
"""Pseudonyms read aloud more easily than numbers alone; the number keeps them unique."""


def pseudonym(number: int) -> str:
    """The name the team uses for a follow-up: a tree and its number ("Saule 22")."""
    return f"{TREES[(number - 1) % len(TREES)]} {number}"


@dataclass(frozen=True, slots=True)
class Sheet:
    """What the team sees of a conversation (no identifier; the description is scrubbed)."""

    lang: str
    role: str | None
    situation: str | None
    criteria: tuple[str, ...]
    family: str | None
    domain: str | None
    commune: str | None
    needs: tuple[str, ...]
    partners: tuple[str, ...]
    description: str
    urgent: bool
    reason: str
    contact_back: bool | None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Sheet:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return cls(**values)


def sheet_of(state: State, reason: str | None = None) -> Sheet:
    """The sheet of a conversation as it stands (the description is already scrubbed)."""
    team = state.team
    return Sheet(
        lang=state.lang,
        role=state.role,
        situation=state.situation,
        criteria=state.criteria,
        family=state.family,
        domain=state.domain,
        commune=state.commune,
        needs=state.needs,
        partners=state.partners[: state.partners_shown],
        description=state.description,
        urgent=state.urgent,
        reason=reason or (team.reason if team else "asked"),
        contact_back=team.contact_back if team else None,
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the follow-up stands, from the store: shown at the top of the sheet."""

    status: TeamStatus
    since: datetime
    now: datetime
    operator: str = ""
    notes: tuple[str, ...] = ()


def sheet_card(sheet: Sheet, standing: Standing, directory: Directory) -> Msg:
    """The sheet in the operators' language: status, qualification, needs, partners, words."""
    unknown = msg(N_("summary.unknown"))
    partners = tuple(_partner_name(directory, p) for p in sheet.partners)
    contact = {
        True: N_("sheet.contact.yes"),
        False: N_("sheet.contact.no"),
        None: N_("sheet.contact.unknown"),
    }[sheet.contact_back]
    return msg(
        N_("sheet.card"),
        status=status_label(standing.status, standing.operator),
        reason=msg(REASONS.get(sheet.reason, N_("sheet.reason.asked"))),
        urgent=msg(N_("sheet.urgent")) if sheet.urgent else "",
        since=When(standing.since),
        waited=Duration((standing.now - standing.since).total_seconds()),
        language=LANGUAGE_NAMES.get(sheet.lang, sheet.lang),
        role=msg(ROLE_LABELS[sheet.role]) if sheet.role in ROLE_LABELS else unknown,
        qualification=qualification(sheet),
        commune=sheet.commune or unknown,
        needs=Lines(tuple(msg(NEED_LABELS[n]) for n in sheet.needs), ", ")
        if sheet.needs
        else unknown,
        partners=Lines(partners, ", ") if partners else msg(N_("sheet.none")),
        contact=msg(contact),
        description=sheet.description or msg(N_("sheet.no_description")),
        notes=msg(N_("sheet.notes"), notes=Lines(tuple(f"• {n}" for n in standing.notes)))
        if standing.notes
        else "",
    )


def status_label(status: TeamStatus, operator: str = "") -> Msg:
    """Where a follow-up stands, naming who has it when a member of the team does."""
    if status is TeamStatus.TAKEN and operator:
        return msg(N_("sheet.status.taken_by"), operator=operator)
    return msg(STATUS_LABELS[status])


def qualification(sheet: Sheet) -> Lines:
    """Situation · ground · domain, the known ones only (a topic's title, a queue line)."""
    parts: list[Param] = []
    if sheet.situation:
        parts.append(DataLabel("situation", sheet.situation))
    if sheet.criteria:
        parts.extend(DataLabel("criterion", c) for c in sheet.criteria)
    elif sheet.family:
        parts.append(DataLabel("family", sheet.family))
    if sheet.domain:
        parts.append(DataLabel("domain", sheet.domain))
    if not parts:
        parts.append(msg(N_("sheet.not_qualified")))
    return Lines(tuple(parts), " · ")


def topic_title(sheet: Sheet, number: int) -> Msg:
    """A forum topic's title: the pseudonym and the qualification (the desk cuts it to 128)."""
    mark = "⚠️ " if sheet.urgent else ""
    return msg(
        N_("sheet.topic_title"),
        mark=mark,
        pseudonym=pseudonym(number),
        qualification=qualification(sheet),
    )


def _partner_name(directory: Directory, partner_id: str) -> str:
    try:
        return directory.partner(partner_id).name
    except KeyError:  # a partner removed from the directory since
        return partner_id
