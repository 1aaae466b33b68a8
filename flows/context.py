"""What a step may consult besides the state: the time, the territory's data, the lexicons.

Rule: nothing in `flows` reads the clock, the environment, a file or a random source; the engine
passes all of it here, so a step is a pure function of (state, event, context).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.lexicon import Lexicon
from directory.model import Directory, Knowledge
from directory.names import NameLexicon
from flows.triage import Triage


@dataclass(frozen=True, slots=True)
class Context:
    """Inputs of one step that do not belong to the conversation."""

    now: datetime
    knowledge: Knowledge
    directory: Directory
    lexicon: Lexicon
    names: NameLexicon
    channel: str
    new_ref: str
    """A fresh random report reference, used only if this step writes a report."""
    retention_days: int = 30
    """How long an unfinished conversation is kept before it is purged (said in /privacy)."""
    team_desk: bool = False
    """An operators' group takes escalations for this channel (else: phone numbers only)."""
    reading: Triage | None = None
    """What the words of this step's text suggest, read once by `advance` and shared."""
