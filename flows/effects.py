"""What a step asks the world to do besides replying: write a record, erase data, call the team.

The engine applies effects in the same transaction as the new state and the outgoing replies.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.replies import Msg
from flows.sheet import Sheet


@dataclass(frozen=True, slots=True)
class Report:
    """The anonymised record for the observatory: categories, never a person.

    No chat id, name, username, phone, e-mail or address; the month, not the day; the description
    only with consent and only after scrubbing.
    """

    ref: str
    month: str
    territory: str
    commune: str | None
    channel: str
    language: str
    role: str | None
    situation: str | None
    criteria: tuple[str, ...]
    family: str | None
    domain: str | None
    needs: tuple[str, ...]
    urgent: bool
    partners: tuple[str, ...]
    escalated: bool
    outcome: str
    description: str


@dataclass(frozen=True, slots=True)
class RecordReport:
    report: Report


@dataclass(frozen=True, slots=True)
class Erase:
    """Delete this conversation and the reports whose references it kept."""

    refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Escalate:
    """Open the conversation's follow-up by the team (or open it again): it joins the queue."""

    sheet: Sheet


@dataclass(frozen=True, slots=True)
class SheetChanged:
    """What the conversation understood changed while a follow-up is open: keep the sheet."""

    sheet: Sheet


@dataclass(frozen=True, slots=True)
class FollowUp:
    """The follow-up's status changed (taken, handed back, closed, ended)."""

    status: str
    """A `TeamStatus` value, or "ended" when nothing more can happen."""
    operator: str = ""


@dataclass(frozen=True, slots=True)
class ToTeam:
    """A message for the operators, in the follow-up's thread (never relayed to the person)."""

    body: Msg
    kind: str = "notice"
    """open (a new request, with its sheet), person (the person's own words), notice, alert."""


@dataclass(frozen=True, slots=True)
class TeamNote:
    """An internal note added to the sheet by a member of the team (never sent to the person)."""

    text: str
    operator: str


Effect = RecordReport | Erase | Escalate | SheetChanged | FollowUp | ToTeam | TeamNote
