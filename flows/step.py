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
from flows.effects import Effect, Erase, RecordReport, Report, RequestPerson
from flows.events import Event, EventKind
from flows.intents import command_in_words
from flows.phone import defender, phone_status
from flows.questions import PAGE, ask
from flows.replies import N_, Reply, msg
from flows.script import is_aside, next_stage
from flows.stage import Stage
from flows.state import State
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

    def step(self, state: State, ctx: Context) -> Step:
        """Finish with the current stage's question."""
        self.say(ask(state, ctx))
        return Step(state, tuple(self.replies), tuple(self.effects))

    def again(self, state: State, ctx: Context) -> Step:
        """Finish with the question again, shortened where it is a long card already shown."""
        self.say(ask(state, ctx, brief=True))
        return Step(state, tuple(self.replies), tuple(self.effects))


def advance(state: State, event: Event, ctx: Context) -> Step:
    """Apply one event to the conversation."""
    out = _Out()
    if event.kind is EventKind.COMMAND and event.command in ("start", "restart"):
        event = _start_or_resume(state, event)
    if event.kind is EventKind.TEXT:
        ctx = replace(ctx, reading=triage(event.text, ctx.lexicon))
        state = _danger_first(state, ctx.reading.danger, ctx, out)
        state = _first_words(state, event.text, ctx.reading.lang, out)
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
    return _answer(state, event, ctx, out)


def _answer(state: State, event: Event, ctx: Context, out: _Out) -> Step:
    answer = HANDLERS[state.stage](state, event, ctx)
    if answer is None:
        stale = event.kind is EventKind.CHOICE
        out.say(Reply(msg(N_("choice.stale") if stale else N_("reask.choose"))))
        return replace(out.again(state, ctx), refused=True)
    out.replies.extend(answer.replies)
    if is_aside(state.stage):
        return _leave_aside(state, answer.state, answer.token, ctx, out)
    target = next_stage(state.stage, answer.state, answer.token)
    return _enter(answer.state, target, ctx, out)


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


def _close(state: State, ctx: Context, out: _Out) -> State:
    """Write the anonymised record, send the recap, and forget everything but the reference."""
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
        outcome="completed",
        description=state.description if state.consent else "",
    )
    out.effects.append(RecordReport(report))
    if state.role == "temoin":
        out.say(Reply(msg(N_("recap.witness_thanks"))))
    out.say(Reply(recap_card(state, ctx, ref)))
    return State(
        stage=Stage.CLOSED,
        lang=state.lang,
        answered=("intro",),
        closed_refs=(*state.closed_refs, ref),
    )


def _leave_aside(state: State, new: State, token: str, ctx: Context, out: _Out) -> Step:
    if token == "erase":
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
    fresh = State(lang=state.lang, answered=("intro",), closed_refs=state.closed_refs)
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
        out.say(Reply(msg(N_("person.info"), phone=phone_status(ctx), defender=defender(ctx))))
        out.effects.append(RequestPerson(state.urgent))
        state = state.but(escalated=True)
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
    if not categories:
        return state
    out.say(Reply(danger_card(categories, ctx)))
    return state.but(urgent=True)


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
