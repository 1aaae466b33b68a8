"""Escalation to the team, as the person lives it: asking, waiting, talking with a member.

Rules of the helpline kept here (and only here):
- A conversation is escalated when the person asks for a person (any step), when danger words
  are heard (the team is alerted; the emergency numbers come first), or when the person accepts
  the follow-up offered for a complex situation, a need to act, a professional, or no partner.
- Without an operators' group the person gets the phone lines instead: never a promise nobody
  keeps.
- The person is told when someone will answer (the team's hours) and is asked once whether the
  team may write to them later; only a "yes" lets the team write after it closed the follow-up.
- While a member of the team has the conversation, what the person writes goes to the team and
  the bot stays quiet, except for danger (numbers first) and for the person's own commands.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from directory.hours import is_open, next_opening
from directory.model import Territory
from flows.context import Context
from flows.effects import Effect, Escalate, FollowUp, SheetChanged, ToTeam
from flows.phone import defender, phone_status
from flows.replies import N_, Choice, Msg, Reply, When, msg
from flows.sheet import Standing, sheet_card, sheet_of
from flows.stage import Stage
from flows.state import State, TeamLink, TeamStatus

CONTACT_YES = "team.contact_yes"
CONTACT_NO = "team.contact_no"
CONTACT_CHOICES = (CONTACT_YES, CONTACT_NO)


@dataclass(slots=True)
class Turn:
    """What a team rule adds to a step: the new state, replies and effects."""

    state: State
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


def team_opening(ctx: Context) -> datetime | None:
    """When a member of the team answers next: `ctx.now` when at work, None without set hours."""
    territory = ctx.directory.territory
    hours = territory.operators.hours
    if hours is None:
        return None
    if team_at_work(territory, ctx.now):
        return ctx.now
    return next_opening(hours, ctx.now, territory.timezone, country=territory.country)


def team_at_work(territory: Territory, now: datetime) -> bool:
    """Whether the team is at work now (no set hours: always)."""
    hours = territory.operators.hours
    return hours is None or is_open(hours, now, territory.timezone, country=territory.country)


def shown(operator: str, ctx: Context) -> str:
    """The member's name as the person may see it: "" when the territory signs as the team."""
    return operator if ctx.directory.territory.operators.sign_with_first_name else ""


def who(operator: str) -> Msg:
    """How a member of the team is named to the person: first name, or just "the team"."""
    if operator:
        return msg(N_("team.who_named"), name=operator)
    return msg(N_("team.who_team"))


def signature(operator: str) -> Msg:
    """How a member of the team signs inside a sentence: "Camille (team)", or "the team"."""
    if operator:
        return msg(N_("team.signature_named"), name=operator)
    return msg(N_("team.signature_team"))


def escalate(state: State, reason: str, ctx: Context) -> Turn:
    """The person asked for a person (or accepted a follow-up, or danger was heard)."""
    if not ctx.team_desk:
        reply = msg(N_("person.info"), phone=phone_status(ctx), defender=defender(ctx))
        return Turn(state.but(escalated=True), [Reply(reply)])
    team = state.team
    if team is not None and team.live:
        said = msg(N_("team.already_live"), who=who(shown(team.operator, ctx)))
        return Turn(state, [Reply(said)])
    if team is not None and team.status is TeamStatus.WAITING:
        return Turn(state, [Reply(msg(N_("team.already_waiting"), when=_when(ctx)))])
    if team is not None and team.status is TeamStatus.RETURNED:  # the same follow-up, again
        state = state.but(team=replace(team, status=TeamStatus.WAITING))
        effects: list[Effect] = [
            FollowUp(TeamStatus.WAITING),
            ToTeam(msg(N_("team.ops.again")), "open"),
        ]
        told = msg(N_("team.requested"), when=_when(ctx), phone=phone_status(ctx))
        return Turn(state, [Reply(told)], effects)
    contact = team.contact_back if team is not None and team.open else None
    link = TeamLink(
        TeamStatus.WAITING,
        ctx.now.isoformat(timespec="seconds"),
        reason,
        contact,
        recorded=state.stage is Stage.CLOSED,  # asked again after the recap: already recorded
    )
    state = state.but(team=link, escalated=True)
    sheet = sheet_of(state, reason)
    opened = sheet_card(sheet, Standing(TeamStatus.WAITING, ctx.now, ctx.now), ctx.directory)
    turn = Turn(
        state, effects=[Escalate(sheet), ToTeam(msg(N_("team.ops.new"), sheet=opened), "open")]
    )
    if reason == "danger":
        turn.replies.append(Reply(msg(N_("team.danger_alerted"), when=_when(ctx))))
        return turn
    turn.replies.append(Reply(msg(N_("team.requested"), when=_when(ctx), phone=phone_status(ctx))))
    if contact is None:
        turn.replies.append(contact_question())
    return turn


def contact_question() -> Reply:
    choices = (
        Choice(CONTACT_YES, msg(N_("button.contact_yes"))),
        Choice(CONTACT_NO, msg(N_("button.contact_no"))),
    )
    return Reply(msg(N_("team.contact_question")), choices)


def answer_contact(state: State, choice: str) -> Turn | None:
    """The person's answer to "may the team write to you later?"; None when it is not asked."""
    team = state.team
    if team is None or team.contact_back is not None or choice not in CONTACT_CHOICES:
        return None
    agreed = choice == CONTACT_YES
    state = state.but(team=replace(team, contact_back=agreed))
    said = N_("team.contact_agreed") if agreed else N_("team.contact_declined")
    told = N_("team.ops.contact_agreed") if agreed else N_("team.ops.contact_declined")
    return Turn(state, [Reply(msg(said))], [SheetChanged(sheet_of(state)), ToTeam(msg(told))])


def _when(ctx: Context) -> Msg:
    """When someone answers, as a phrase: soon, from a day and hour, or as soon as they can."""
    opening = team_opening(ctx)
    if opening is None:
        return msg(N_("team.when.anytime"))
    if opening == ctx.now:
        return msg(N_("team.when.soon"))
    return msg(N_("team.when.later"), when=When(opening))


def alert(state: State, ctx: Context) -> Turn:
    """Danger words: alert the team about an open follow-up, or open one."""
    team = state.team
    if not ctx.team_desk:
        return Turn(state)
    if team is not None and team.open:
        return Turn(state, effects=[ToTeam(msg(N_("team.ops.danger")), "alert")])
    return escalate(state, "danger", ctx)


def relay(state: State, text: str) -> Turn:
    """What the person writes while a member of the team has the conversation goes to them."""
    return Turn(state, effects=[ToTeam(msg(N_("team.ops.person_said"), text=text), "person")])


def left_by_person(state: State) -> Turn:
    """/restart while with a member of the team: back to the bot, the team is told."""
    assert state.team is not None
    state = state.but(team=replace(state.team, status=TeamStatus.RETURNED))
    effects: list[Effect] = [FollowUp(TeamStatus.RETURNED), ToTeam(msg(N_("team.ops.person_left")))]
    return Turn(state, effects=effects)


def erased(state: State) -> list[Effect]:
    """The person erased everything: the team learns the follow-up is over (nothing else)."""
    if state.team is None:
        return []
    return [ToTeam(msg(N_("team.ops.erased")), "erased")]


def sheet_changes(before: State, after: State) -> list[Effect]:
    """Keep the sheet of an open follow-up in step with what the conversation understood."""
    if after.team is None or not after.team.open or before.team is None:
        return []
    new = sheet_of(after)
    return [] if new == sheet_of(before) else [SheetChanged(new)]


def reset_for_new_story(team: TeamLink | None) -> TeamLink | None:
    """A new story in the same chat is a new situation: it will get its own record."""
    if team is None:
        return None
    return replace(team, recorded=False)
