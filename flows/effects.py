"""What a step asks the world to do besides replying: write a record, erase data, call a person.

The engine applies effects in the same transaction as the new state and the outgoing replies.
"""

from __future__ import annotations

from dataclasses import dataclass


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
class RequestPerson:
    """The person asked for a human; carried to the operators when they exist (see the README)."""

    urgent: bool


Effect = RecordReport | Erase | RequestPerson
