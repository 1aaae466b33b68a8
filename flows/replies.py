"""What the conversation says, as values: catalogue message ids with parameters, never sentences.

Rule: `flows` marks, the edge renders. A `Msg` names a gettext message id (marked with `N_`)
and its named parameters; `bot.i18n.render` translates and formats it in the person's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def N_(msgid: str) -> str:
    """Mark a message id for extraction into the catalogues; translation happens at the edge."""
    return msgid


@dataclass(frozen=True, slots=True)
class DataLabel:
    """The name of a reference item (criterion, family, domain…) in the reader's language."""

    kind: str
    id: str


@dataclass(frozen=True, slots=True)
class When:
    """A moment shown to the person, formatted with Babel in their language and time zone."""

    at: datetime


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time shown to a reader ("35 minutes"), formatted with Babel."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Lines:
    """Several parameters rendered one after another (a list of partners, of numbers…)."""

    items: tuple[Param, ...]
    sep: str = "\n"


@dataclass(frozen=True, slots=True)
class Msg:
    """A catalogue message and its named parameters."""

    msgid: str
    params: tuple[tuple[str, Param], ...] = ()


Param = str | int | Msg | DataLabel | When | Duration | Lines


def msg(msgid: str, **params: Param) -> Msg:
    """Build a `Msg` with keyword parameters, kept in a stable order."""
    return Msg(msgid, tuple(sorted(params.items())))


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: a stable id the adapters route on, and a label rendered at the edge."""

    id: str
    label: Msg | DataLabel
    selected: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the person, with the choices it offers (possibly none)."""

    body: Msg
    choices: tuple[Choice, ...] = ()
