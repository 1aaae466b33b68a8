"""The conversation as pure functions: no Telegram, no database, no clock (see DESIGN.md).

Adapters import only what is listed here.
"""

from flows.context import Context
from flows.effects import (
    Effect,
    Erase,
    Escalate,
    FollowUp,
    RecordReport,
    Report,
    SheetChanged,
    TeamNote,
    ToTeam,
)
from flows.events import COMMANDS, Event, EventKind
from flows.replies import N_, Choice, DataLabel, Duration, Lines, Msg, Param, Reply, When, msg
from flows.stage import Stage
from flows.state import State
from flows.step import Step, advance

__all__ = [
    "COMMANDS",
    "N_",
    "Choice",
    "Context",
    "DataLabel",
    "Duration",
    "Effect",
    "Erase",
    "Escalate",
    "Event",
    "EventKind",
    "FollowUp",
    "Lines",
    "Msg",
    "Param",
    "RecordReport",
    "Reply",
    "Report",
    "SheetChanged",
    "Stage",
    "State",
    "Step",
    "TeamNote",
    "ToTeam",
    "When",
    "advance",
    "msg",
]
