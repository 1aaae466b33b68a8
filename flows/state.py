"""The conversation state: a versioned, JSON-serialisable value (never pickled).

Rule: everything the conversation needs between two messages is here, so any worker can resume it
from the store; raw free text is never kept, only its scrubbed form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

from flows.stage import Stage

STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Suggested:
    """What triage proposed from the person's words, before they confirm it."""

    situation: str | None = None
    criteria: tuple[str, ...] = ()
    domain: str | None = None
    role: str | None = None


class TeamStatus(StrEnum):
    """Where a follow-up by the team stands (see `flows.team`)."""

    WAITING = "waiting"
    """In the operators' queue; the bot goes on answering meanwhile."""
    TAKEN = "taken"
    """A member of the team is talking with the person; the bot relays and stays quiet."""
    RETURNED = "returned"
    """Handed back to the bot; the team may still write while the follow-up is open."""
    CLOSED = "closed"
    """Closed by the team; it may write again only if the person agreed to be contacted back."""


@dataclass(frozen=True, slots=True)
class TeamLink:
    """The person's follow-up by the team, as far as the conversation needs to know it."""

    status: TeamStatus
    since: str
    """When the person asked (ISO 8601), for "waiting since"."""
    reason: str
    """Why: asked, danger, complex, needs, professional, no_partner."""
    contact_back: bool | None = None
    """May the team write to the person later (None: not asked yet)."""
    operator: str = ""
    """How the member of the team who took over signs ("" = the team)."""
    recorded: bool = False
    """The anonymised record of this situation is written (closing again writes none)."""
    closed_at: str = ""
    """When the team closed the follow-up (ISO 8601): contact back is possible until
    this moment plus the retention delay."""

    @property
    def live(self) -> bool:
        return self.status is TeamStatus.TAKEN

    @property
    def open(self) -> bool:
        return self.status is not TeamStatus.CLOSED


@dataclass(frozen=True, slots=True)
class State:
    """Where the conversation is and what has been understood so far."""

    stage: Stage = Stage.WELCOME
    lang: str = "fr"
    history: tuple[Stage, ...] = ()
    role: str | None = None
    description: str = ""
    suggested: Suggested = field(default_factory=Suggested)
    situation: str | None = None
    family: str | None = None
    criteria: tuple[str, ...] = ()
    domain: str | None = None
    answered: tuple[str, ...] = ()
    commune: str | None = None
    needs: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    partners_shown: int = 0
    urgent: bool = False
    escalated: bool = False
    consent: bool | None = None
    closed_refs: tuple[str, ...] = ()
    """References of the records this conversation wrote, so /forget can erase them."""
    team: TeamLink | None = None
    """The follow-up by the team, if the conversation was escalated (kept across a close)."""

    def but(self, **changes: object) -> State:
        """A copy with some fields changed (the state is immutable)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def is_answered(self, item: str) -> bool:
        return item in self.answered

    def answer(self, item: str, **changes: object) -> State:
        """Record that the person answered `item` (even with "I don't know")."""
        answered = self.answered if item in self.answered else (*self.answered, item)
        return self.but(answered=answered, **changes)

    def to_json(self) -> str:
        data: dict[str, object] = {f: getattr(self, f) for f in _FIELDS}
        data["suggested"] = {f: getattr(self.suggested, f) for f in _SUGGESTED_FIELDS}
        if self.team is not None:
            data["team"] = {f: getattr(self.team, f) for f in _TEAM_FIELDS}
        data["v"] = STATE_VERSION
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> State:
        """Read a stored state; unknown keys are ignored so that older rows still load."""
        data = json.loads(text)
        version = data.pop("v", None)
        if version != STATE_VERSION:
            raise ValueError(f"unsupported conversation state version: {version!r}")
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["stage"] = Stage(data.get("stage", Stage.WELCOME))
        data["history"] = tuple(Stage(s) for s in data.get("history", ()))
        data["suggested"] = Suggested(
            **{
                k: tuple(v) if isinstance(v, list) else v
                for k, v in data.get("suggested", {}).items()
            }
        )
        if data.get("team"):
            team = data["team"]
            team["status"] = TeamStatus(team["status"])
            data["team"] = TeamLink(**{k: v for k, v in team.items() if k in _TEAM_FIELDS})
        for key, value in list(data.items()):
            if isinstance(value, list):
                data[key] = tuple(value)
        return cls(**data)


_FIELDS = tuple(f.name for f in fields(State))
_SUGGESTED_FIELDS = tuple(f.name for f in fields(Suggested))
_TEAM_FIELDS = tuple(f.name for f in fields(TeamLink))
