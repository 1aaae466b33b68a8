"""One step of the conversation: `advance(state, event, context) -> Step`, a pure function.

Rule: danger first (emergency numbers before anything else, at any stage), then the commands and
buttons that work everywhere (back, restart, help, person, erase, language, privacy), then the
current stage's handler and the script's routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from directory.match import Query, match_partners
from flows.answers import ELSEWHERE, HANDLERS
from flows.cards import danger_card, recap_card
from flows.context import Context
from flows.effects import Effect, Erase, Escalate, RecordReport, Report
from flows.events import Event, EventKind
from flows.intents import command_in_words
from flows.phone import phone_status
from flows.questions import PAGE, ask
from flows.replies import N_, Reply, msg
from flows.script import is_aside, next_stage
from flows.stage import Stage
from flows.state import State, TeamStatus
from flows.team import (
    CONTACT_CHOICES,
    Turn,
    alert,
    answer_contact,
    erased,
    escalate,
    left_by_person,
    relay,
    reset_for_new_story,
    sheet_changes,
    shown,
    signature,
)
from flows.triage import triage

SUPPORTED_LANGUAGES = ("fr", "en")
MAX_HISTORY = 40
PARTNERS_KEPT = 9


@dataclass(frozen=True, slots=True)
class Step:
    """The new state, what to say (in order) and what to do."""

    state: State
    replies: tuple[Reply, ...]
    effects: tuple[Effect, ...] = ()
    refused: bool = False
    """The event did not answer the question (a stale button, unclear text): asked again."""


@dataclass(slots=True)
class _Out:
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def say(self, reply: Reply) -> None:
        self.replies.append(reply)

    def take(self, turn: Turn) -> State:
        self.replies.extend(turn.replies)
        self.effects.extend(turn.effects)
        return turn.state

    def step(self, state: State, ctx: Context) -> Step:
        """Finish with the current stage's question (none while a member of the team talks)."""
        if not _with_member(state):
            self.say(ask(state, ctx))
        return self.done(state)

    def again(self, state: State, ctx: Context) -> Step:
        """Finish with the question again, shortened where it is a long card already shown."""
        if not _with_member(state):
            self.say(ask(state, ctx, brief=True))
        return self.done(state)

    def done(self, state: State) -> Step:
        return Step(state, tuple(self.replies), tuple(self.effects))


def _with_member(state: State) -> bool:
    """A member of the team has the conversation (and the person is not in an aside)."""
    return state.team is not None and state.team.live and not is_aside(state.stage)


def advance(state: State, event: Event, ctx: Context) -> Step:
    """Apply one event to the conversation (and keep an open follow-up's sheet up to date)."""
    step = _advance(state, event, ctx)
    if any(isinstance(effect, (Escalate, Erase)) for effect in step.effects):
        return step
    changes = sheet_changes(state, step.state)
    return replace(step, effects=(*step.effects, *changes)) if changes else step


def _advance(state: State, event: Event, ctx: Context) -> Step:
    out = _Out()
    if event.kind is EventKind.COMMAND and event.command in ("start", "restart"):
        event = _start_or_resume(state, event)
    if event.kind is EventKind.TEXT:
        ctx = replace(ctx, reading=triage(event.text, ctx.lexicon))
        state = _danger_first(state, ctx.reading.danger, ctx, out)
        if not _with_member(state):  # a member of the team reads any language
            state = _first_words(state, event.text, ctx.reading.lang, out)
    if _with_member(state):
        return _with_team(state, event, ctx, out)
    if event.kind is EventKind.START:
        return _start(state, ctx, out)
    if not state.is_answered("intro"):
        out.say(_intro(ctx))
        state = state.answer("intro")
    if event.kind is EventKind.RESUME:
        out.say(Reply(msg(N_("resume.welcome_back"))))
        return out.step(state, ctx)
    if event.kind is EventKind.UNSUPPORTED:
        edited = event.arg == "edited"
        out.say(Reply(msg(N_("unsupported.edited") if edited else N_("unsupported.media"))))
        return out.again(state, ctx)
    if event.kind is EventKind.COMMAND:
        return _command(state, event, ctx, out)
    if event.kind is EventKind.TEXT and (asked := command_in_words(event.text)):
        return _command(state, Event(EventKind.COMMAND, command=asked), ctx, out)
    if event.kind is EventKind.CHOICE and event.choice.startswith(("nav.", "closed.")):
        return _command(state, Event.command_line(event.choice.split(".", 1)[1]), ctx, out)
    if event.kind is EventKind.CHOICE and event.choice in CONTACT_CHOICES:
        return _contact(state, event.choice, ctx, out)
    return _answer(state, event, ctx, out)


def _with_team(state: State, event: Event, ctx: Context, out: _Out) -> Step:
    """A member of the team has the conversation: the person's words go to them, the bot
    stays quiet; commands still work, and danger words still get the numbers first."""
    assert state.team is not None
    member = signature(shown(state.team.operator, ctx))
    if event.kind is EventKind.TEXT:
        if command_in_words(event.text) == "forget":  # the rest is said to the member
            return _command(state, Event(EventKind.COMMAND, command="forget"), ctx, out)
        return out.done(out.take(relay(state, event.text)))
    if event.kind is EventKind.UNSUPPORTED:
        edited = event.arg == "edited"
        out.say(Reply(msg(N_("team.edited") if edited else N_("team.text_only"))))
        return out.done(state)
    if event.kind is EventKind.CHOICE and event.choice in CONTACT_CHOICES:
        return _contact(state, event.choice, ctx, out)
    if event.kind is EventKind.CHOICE and event.choice not in ("nav.forget", "nav.person"):
        out.say(Reply(msg(N_("team.buttons_paused"), who=member)))
        return replace(out.done(state), refused=True)
    if event.kind is EventKind.CHOICE:
        return _command(state, Event.command_line(event.choice.split(".", 1)[1]), ctx, out)
    if event.kind is EventKind.COMMAND and event.command == "restart":
        state = out.take(left_by_person(state))
        out.say(Reply(msg(N_("team.back_to_bot"))))
        return _start(state, ctx, out)
    if event.kind is EventKind.RESUME or event.command in ("start", "back"):
        out.say(Reply(msg(N_("team.still_with"), who=member)))
        return out.done(state)
    return _command(state, event, ctx, out)


def _contact(state: State, choice: str, ctx: Context, out: _Out) -> Step:
    turn = answer_contact(state, choice)
    if turn is None:
        out.say(Reply(msg(N_("choice.stale"))))
        return replace(out.again(state, ctx), refused=True)
    return out.again(out.take(turn), ctx)


def _answer(state: State, event: Event, ctx: Context, out: _Out) -> Step:
    answer = HANDLERS[state.stage](state, event, ctx)
    if answer is None:
        stale = event.kind is EventKind.CHOICE
        out.say(Reply(msg(N_("choice.stale") if stale else N_("reask.choose"))))
        return replace(out.again(state, ctx), refused=True)
    out.replies.extend(answer.replies)
    if is_aside(state.stage):
        return _leave_aside(state, answer.state, answer.token, ctx, out)
    new = answer.state
    if state.stage is Stage.FOLLOWUP and answer.token == "yes":
        new = out.take(escalate(new, _followup_reason(new), ctx))
    target = next_stage(state.stage, new, answer.token)
    return _enter(new, target, ctx, out)


def _followup_reason(state: State) -> str:
    """Why the follow-up was offered, for the team's sheet."""
    if state.situation == "situation_complexe":
        return "complex"
    if "act" in state.needs:
        return "needs"
    if state.role == "tiers_pro":
        return "professional"
    return "no_partner"


def _enter(state: State, target: Stage, ctx: Context, out: _Out) -> Step:
    """Move to `target`, remembering where we came from, and run the stage's entry work."""
    origin = state.stage
    if target is not origin:
        state = state.but(stage=target, history=(*state.history, origin)[-MAX_HISTORY:])
        if target is Stage.PARTNERS:
            state = _with_partners(state, ctx)
        if target is Stage.CLOSED:
            state = _close(state, ctx, out)
    return out.step(state, ctx)


def _with_partners(state: State, ctx: Context) -> State:
    commune = None if state.commune == ELSEWHERE else state.commune
    query = Query(
        state.situation, state.criteria, state.domain, commune, state.needs, state.description
    )
    found = match_partners(ctx.directory, query, limit=PARTNERS_KEPT)
    ids = tuple(m.partner.id for m in found)
    return state.but(partners=ids, partners_shown=min(PAGE, len(ids)))


def _close(state: State, ctx: Context, out: _Out, outcome: str = "completed") -> State:
    """Write the anonymised record, send the recap, and forget everything but the reference
    (and the follow-up by the team, which outlives the conversation)."""
    ref = ctx.new_ref
    shown = state.partners[: state.partners_shown]
    report = Report(
        ref=ref,
        month=ctx.now.strftime("%Y-%m"),
        territory=ctx.directory.territory.id,
        commune=state.commune,
        channel=ctx.channel,
        language=state.lang,
        role=state.role,
        situation=state.situation,
        criteria=state.criteria,
        family=state.family,
        domain=state.domain,
        needs=state.needs,
        urgent=state.urgent,
        partners=shown,
        escalated=state.escalated,
        outcome=outcome,
        description=state.description if state.consent else "",
    )
    out.effects.append(RecordReport(report))
    if state.role == "temoin":
        out.say(Reply(msg(N_("recap.witness_thanks"))))
    out.say(Reply(recap_card(state, ctx, ref)))
    team = replace(state.team, recorded=True) if state.team is not None else None
    return State(
        stage=Stage.CLOSED,
        lang=state.lang,
        answered=("intro",),
        closed_refs=(*state.closed_refs, ref),
        team=team,
    )


def resume_question(state: State, ctx: Context) -> tuple[Reply, ...]:
    """The current stage's question, to go on with the bot after the team handed back."""
    return (ask(state, ctx, brief=True),)


def close_by_team(state: State, ctx: Context) -> Step:
    """The team closes: the recap and the record, unless this situation was already recorded."""
    out = _Out()
    out.say(Reply(msg(N_("team.closing"))))
    if state.team is not None:  # no longer with a member: the bot's closing question is asked
        state = state.but(team=replace(state.team, status=TeamStatus.CLOSED))
    if state.team is not None and state.team.recorded:
        closed = state.but(stage=Stage.CLOSED, history=())
        return out.step(closed, ctx)
    closed = _close(state.but(escalated=True), ctx, out, outcome="closed_by_team")
    return out.step(closed, ctx)


def _leave_aside(state: State, new: State, token: str, ctx: Context, out: _Out) -> Step:
    if token == "erase":
        out.effects.extend(erased(new))
        out.effects.append(Erase(new.closed_refs))
        out.say(Reply(msg(N_("erase.done"))))
        return _start(State(lang=new.lang), ctx, out)
    if token == "keep":
        out.say(Reply(msg(N_("erase.kept"))))
    if token == "chosen":
        out.say(Reply(msg(N_("language.changed"))))
    return out.step(_back(new), ctx)


def _back(state: State) -> State:
    if not state.history:
        return state
    return state.but(stage=state.history[-1], history=state.history[:-1])


def _start_or_resume(state: State, event: Event) -> Event:
    """/start (what Telegram sends when a person opens the bot, and its menu's first entry)
    opens a conversation, or a new one after a close; in the middle of one it resumes it:
    starting over is /restart (which, before anything was said, is just the opening)."""
    opened = state.is_answered("intro") and state.stage is not Stage.CLOSED
    if event.command == "restart":
        return event if state.is_answered("intro") else Event(EventKind.START)
    return Event(EventKind.RESUME if opened else EventKind.START)


def _start(state: State, ctx: Context, out: _Out) -> Step:
    """A new conversation; references of closed ones are kept so they can still be erased."""
    fresh = State(
        lang=state.lang,
        answered=("intro",),
        closed_refs=state.closed_refs,
        team=reset_for_new_story(state.team),
    )
    out.say(_intro(ctx))
    return out.step(fresh, ctx)


def _intro(ctx: Context) -> Reply:
    territory = ctx.directory.territory
    return Reply(msg(N_("welcome.intro"), territory=territory.name, phone=phone_status(ctx)))


def _command(state: State, event: Event, ctx: Context, out: _Out) -> Step:
    name = event.command
    if name == "restart":
        return _start(state, ctx, out)
    if name == "back":
        if not state.history or state.stage is Stage.CLOSED:
            out.say(Reply(msg(N_("back.nothing"))))
            return out.step(state, ctx)
        return out.step(_back(state), ctx)
    if name == "help":
        out.say(Reply(msg(N_("help.body"))))
    elif name == "privacy":
        out.say(Reply(msg(N_("privacy.body"), days=ctx.retention_days)))
    elif name == "person":
        state = out.take(escalate(state, "asked", ctx))
        if out.replies and out.replies[-1].choices:
            return out.done(state)  # the contact question ends the turn; the stage's comes after
    elif name == "language":
        if event.arg.lower() in SUPPORTED_LANGUAGES:
            out.say(Reply(msg(N_("language.changed"))))
            return out.step(state.answer("lang_seen", lang=event.arg.lower()), ctx)
        return out.step(_aside(state, Stage.LANGUAGE), ctx)
    elif name == "forget":
        return out.step(_aside(state, Stage.ERASE), ctx)
    else:
        out.say(Reply(msg(N_("command.unknown"), command=name[:32])))
    return out.again(state, ctx)


def _aside(state: State, stage: Stage) -> State:
    if state.stage is stage:
        return state
    if is_aside(state.stage):
        state = _back(state)
    return state.but(stage=stage, history=(*state.history, state.stage)[-MAX_HISTORY:])


def _danger_first(state: State, categories: tuple[str, ...], ctx: Context, out: _Out) -> State:
    """Emergency numbers before anything else; then the team is alerted (when there is one)."""
    if not categories:
        return state
    out.say(Reply(danger_card(categories, ctx)))
    return out.take(alert(state.but(urgent=True), ctx))


def _first_words(state: State, text: str, lang: str, out: _Out) -> State:
    """On the first message, follow the person's language when we speak it, or say which we do."""
    if state.is_answered("lang_seen") or state.stage not in (Stage.WELCOME, Stage.STORY):
        return state
    if len(text.split()) < 3:
        return state
    state = state.answer("lang_seen")
    if lang == state.lang or lang == "und":
        return state
    if lang in SUPPORTED_LANGUAGES:
        out.say(Reply(msg(N_("language.switched"))))
        return state.but(lang=lang)
    out.say(Reply(msg(N_("language.unsupported"))))
    return state
