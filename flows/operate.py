"""What a member of the team does to a conversation: take it, write, hand it back, close it.

A pure function like `advance`: `operate(state, action, ctx) -> Step`. The replies go to the
person; the effects tell the store and the operators' group. Rules of the helpline kept here:
- Writing to a waiting conversation takes it (answering is taking over).
- After the team closed a follow-up, it may write again only if the person agreed to be
  contacted back, and only until the retention delay has passed since the close.
- Closing sends the recap and writes the anonymised record once per situation; closing a
  follow-up already closed ends it for good.
- Internal notes stay in the sheet: never sent to the person.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from flows.context import Context
from flows.effects import Effect, FollowUp, TeamNote, ToTeam
from flows.replies import N_, Msg, Reply, When, msg
from flows.sheet import Standing, sheet_card, sheet_of
from flows.state import State, TeamLink, TeamStatus
from flows.step import Step, close_by_team, resume_question
from flows.team import shown, signature, who


class Act(StrEnum):
    TAKE = "take"
    SAY = "say"
    HAND_BACK = "hand_back"
    CLOSE = "close"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class TeamAction:
    """One thing a member of the team did about one follow-up."""

    act: Act
    operator: str = ""
    """The member's first name, as the team sees it ("" for an anonymous administrator)."""
    text: str = ""


def operate(state: State, action: TeamAction, ctx: Context) -> Step:
    team = state.team
    if team is None:
        return _notice(state, msg(N_("team.ops.ended_already")))
    if action.act is Act.NOTE:
        effects = (TeamNote(action.text, action.operator), ToTeam(msg(N_("team.ops.note_kept"))))
        return Step(state, (), effects)
    if action.act is Act.CLOSE:
        return _close(state, team, ctx)
    if action.act is Act.HAND_BACK:
        return _hand_back(state, team, ctx)
    if team.status is TeamStatus.CLOSED:
        refusal = _cannot_write_back(team, ctx)
        if refusal is not None:
            return _notice(state, refusal)
    return _take(state, team, action, ctx)


def contact_until(team: TeamLink, ctx: Context) -> datetime | None:
    """Until when the team may write after closing (None: the person did not agree)."""
    if not team.contact_back or not team.closed_at:
        return None
    return datetime.fromisoformat(team.closed_at) + timedelta(days=ctx.retention_days)


def _cannot_write_back(team: TeamLink, ctx: Context) -> Msg | None:
    until = contact_until(team, ctx)
    if until is None:
        return msg(N_("team.ops.no_contact_back"))
    if ctx.now > until:
        return msg(N_("team.ops.contact_expired"), until=When(until))
    return None


def _take(state: State, team: TeamLink, action: TeamAction, ctx: Context) -> Step:
    if team.live and team.operator != action.operator and action.act is Act.TAKE:
        return _notice(state, msg(N_("team.ops.already_taken"), operator=_named(team.operator)))
    replies: list[Reply] = []
    effects: list[Effect] = []
    if not team.live:
        back = team.status is TeamStatus.CLOSED
        taken = replace(team, status=TeamStatus.TAKEN, operator=action.operator)
        state = state.but(team=taken)
        joined = N_("team.writes_again") if back else N_("team.joined")
        replies.append(Reply(msg(joined, who=who(shown(action.operator, ctx)))))
        effects.append(FollowUp(TeamStatus.TAKEN, action.operator))
        standing = Standing(TeamStatus.TAKEN, _since(team, ctx), ctx.now, action.operator)
        sheet = sheet_card(sheet_of(state), standing, ctx.directory)
        taken_by = msg(N_("team.ops.taken"), operator=_named(action.operator), sheet=sheet)
        effects.append(ToTeam(taken_by))
    elif action.act is Act.TAKE:
        return _notice(state, msg(N_("team.ops.yours_already")))
    elif team.operator != action.operator:
        state = state.but(team=replace(team, operator=action.operator))
        effects.append(FollowUp(TeamStatus.TAKEN, action.operator))
    if action.act is Act.SAY:
        name = shown(action.operator, ctx)
        says = (
            msg(N_("team.says"), who=signature(name), text=action.text)
            if name
            else msg(N_("team.says_team"), text=action.text)
        )
        replies.append(Reply(says))
    return Step(state, tuple(replies), tuple(effects))


def _hand_back(state: State, team: TeamLink, ctx: Context) -> Step:
    if not team.live:
        return _notice(state, msg(N_("team.ops.not_taken")))
    state = state.but(team=replace(team, status=TeamStatus.RETURNED))
    effects = (FollowUp(TeamStatus.RETURNED), ToTeam(msg(N_("team.ops.handed_back"))))
    replies = (Reply(msg(N_("team.left"))), *resume_question(state, ctx))
    return Step(state, replies, effects)


def _close(state: State, team: TeamLink, ctx: Context) -> Step:
    if team.status is TeamStatus.CLOSED:
        ended = state.but(team=None)
        return Step(ended, (), (FollowUp("ended"), ToTeam(msg(N_("team.ops.ended")), "ended")))
    step = close_by_team(state, ctx)
    closed = step.state.team
    assert closed is not None
    stamp = ctx.now.isoformat(timespec="seconds")
    if closed.contact_back:
        link: TeamLink | None = replace(closed, status=TeamStatus.CLOSED, closed_at=stamp)
        until = contact_until(link, ctx)  # type: ignore[arg-type]
        assert until is not None
        told = msg(N_("team.ops.closed_contact"), until=When(until))
        status = TeamStatus.CLOSED.value
    else:
        link, told, status = None, msg(N_("team.ops.closed_no_contact")), "ended"
    kind = "ended" if link is None else "notice"
    effects = (*step.effects, FollowUp(status), ToTeam(told, kind))
    return Step(step.state.but(team=link), step.replies, effects)


def _since(team: TeamLink, ctx: Context) -> datetime:
    try:
        return datetime.fromisoformat(team.since)
    except ValueError:
        return ctx.now


def _notice(state: State, body: Msg) -> Step:
    """Nothing happens to the conversation; the team is told why (refused)."""
    return Step(state, (), (ToTeam(body),), refused=True)


def _named(operator: str) -> Msg | str:
    return operator or msg(N_("team.ops.a_member"))
