"""Whether the territory's phone line answers now, and when it opens next, as a message."""

from __future__ import annotations

from directory.hours import is_open, next_opening
from flows.context import Context
from flows.replies import N_, Msg, When, msg


def phone_status(ctx: Context) -> Msg:
    """The line's number with 'open now' or its next opening; the national line if none."""
    territory = ctx.directory.territory
    line = territory.phone_line
    defender = ctx.knowledge.helpline("defenseur_droits_3928")
    if line is None:
        return msg(N_("phone.none"), defender_phone=defender.phone, defender_web=defender.website)
    if is_open(line, ctx.now, territory.timezone):
        return msg(N_("phone.open"), line=line.name, number=line.number)
    opening = next_opening(line, ctx.now, territory.timezone)
    if opening is None:
        return msg(N_("phone.closed"), line=line.name, number=line.number)
    return msg(N_("phone.closed_until"), line=line.name, number=line.number, when=When(opening))


def defender(ctx: Context) -> Msg:
    """The Défenseur des droits' anti-discrimination line, always offered."""
    line = ctx.knowledge.helpline("defenseur_droits_3928")
    return msg(N_("defender.line"), phone=line.phone, web=line.website)
