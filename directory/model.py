"""Typed values for the reference knowledge, a territory's settings and its partner directory.

Rule: these are plain frozen values built by `directory.load` from data files; nothing here reads
a file, the clock or the environment, so `flows` can take them as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Protocol, TypeVar


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


@dataclass(frozen=True, slots=True)
class Label:
    """A short user-facing name in French and English, taken from the reference data."""

    fr: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True, slots=True)
class Criterion:
    """One ground of discrimination prohibited by French law (criteria.yaml)."""

    id: str
    family: str
    label: Label
    plain_fr: str = ""


@dataclass(frozen=True, slots=True)
class Family:
    """A user-facing group of criteria, offered as one button before the precise criterion."""

    id: str
    label: Label
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Domain:
    """A field of life where a discrimination happened (domains.yaml), top level only."""

    id: str
    label: Label
    legal_scope: str


@dataclass(frozen=True, slots=True)
class SituationType:
    """The helpline's qualification: discrimination, related act, complex case, out of scope."""

    id: str
    label: Label


@dataclass(frozen=True, slots=True)
class Helpline:
    """A national number or service (helplines.yaml); empty strings mean 'not sourced'."""

    id: str
    name: str
    description_fr: str
    phone: str = ""
    sms: str = ""
    website: str = ""
    hours_fr: str = ""
    urgency: str = "support"
    to_verify: bool = False


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the law and the national services give, the same for every territory."""

    criteria: tuple[Criterion, ...]
    families: tuple[Family, ...]
    domains: tuple[Domain, ...]
    situation_types: tuple[SituationType, ...]
    helplines: tuple[Helpline, ...]
    danger_routing: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def criterion(self, criterion_id: str) -> Criterion:
        return _by_id(self.criteria, criterion_id, "criterion")

    def family(self, family_id: str) -> Family:
        return _by_id(self.families, family_id, "family")

    def domain(self, domain_id: str) -> Domain:
        return _by_id(self.domains, domain_id, "domain")

    def situation_type(self, situation_id: str) -> SituationType:
        return _by_id(self.situation_types, situation_id, "situation type")

    def helpline(self, helpline_id: str) -> Helpline:
        return _by_id(self.helplines, helpline_id, "helpline")


@dataclass(frozen=True, slots=True)
class Contact:
    """How to reach a partner; an empty field was not found in a source and is never shown."""

    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    hours_fr: str = ""

    def is_empty(self) -> bool:
        return not (self.phone or self.email or self.website or self.address)


@dataclass(frozen=True, slots=True)
class Partner:
    """A local organisation people can be oriented to (directory_<territory>.yaml)."""

    id: str
    name: str
    kind: str
    description_fr: str
    all_criteria: bool
    criteria: tuple[str, ...]
    domains: tuple[str, ...]
    situation_types: tuple[str, ...]
    offers: tuple[str, ...]
    scope: str
    communes: tuple[str, ...]
    contact: Contact
    to_verify: bool = False
    to_verify_fields: tuple[str, ...] = ()
    summary_en: str = ""
    """What the partner does, in one English sentence (a rendering of the French description)."""


@dataclass(frozen=True, slots=True)
class OpeningSlot:
    """One opening period of the phone line on a weekday (0 = Monday)."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class PhoneLine:
    """The territory's own helpline: its number, weekly hours and days it is closed."""

    name: str
    number: str
    slots: tuple[OpeningSlot, ...]
    closed_dates: tuple[date, ...] = ()
    public_holidays: bool = True
    hours_to_verify: bool = False


@dataclass(frozen=True, slots=True)
class Operators:
    """The team that takes over conversations from a Telegram group (territory settings)."""

    group: int | None = None
    """The Telegram id of the operators' group; None: nobody takes over here."""
    hours: PhoneLine | None = None
    """When the team answers (slots, closed days, holidays); None: no fixed hours."""
    language: str = "fr"
    """The language the bot speaks in the operators' group."""
    reminder_minutes: int = 20
    """An escalation nobody took is recalled to the group after this long (within hours)."""
    sign_with_first_name: bool = True
    """Relayed answers show the operator's first name; False: signed by the team only."""


@dataclass(frozen=True, slots=True)
class Territory:
    """A deployment's settings: which city, its line, its communes, its main local service."""

    id: str
    name: str
    timezone: str
    country: str
    communes: tuple[str, ...]
    main_service: str
    phone_line: PhoneLine | None
    default_language: str = "fr"
    operators: Operators = Operators()


@dataclass(frozen=True, slots=True)
class Directory:
    """A territory with its partners, as the conversation and the CLI consult them."""

    territory: Territory
    partners: tuple[Partner, ...]

    def partner(self, partner_id: str) -> Partner:
        return _by_id(self.partners, partner_id, "partner")


def _by_id(items: tuple[_T, ...], item_id: str, what: str) -> _T:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"unknown {what}: {item_id!r}")
