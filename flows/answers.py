"""How each stage reads the person's answer: a button, or free text where text makes sense.

Rule: a handler only records what the person said and names the outcome with a token; where the
conversation goes next is decided by the table in `flows.script`. `None` means "not understood":
the bot re-asks kindly and nothing is lost.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from directory.search import find_commune
from flows.context import Context
from flows.events import Event, EventKind
from flows.questions import NEEDS, PAGE, ROLES, SITUATIONS
from flows.replies import N_, Reply, msg
from flows.stage import Stage
from flows.state import State
from flows.team import reset_for_new_story
from flows.understanding import USE, understand

QUALIFYING = ("situation", "criteria", "domain")
ELSEWHERE = "hors_territoire"


@dataclass(frozen=True, slots=True)
class Answer:
    """What a stage made of an event: the new state, an outcome token, replies to say first."""

    state: State
    token: str
    replies: tuple[Reply, ...] = ()


Handler = Callable[[State, Event, Context], Answer | None]

_YES = {
    "oui",
    "ouais",
    "yes",
    "yep",
    "ok",
    "okay",
    "d'accord",
    "daccord",
    "dac",
    "si",
    "yes please",
}
_NO = {"non", "no", "nope", "pas d'accord", "nan"}


def _word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().lower().replace("’", "'"))
    return "".join(c for c in folded if not unicodedata.combining(c)).strip(" .!?")


_DONT_KNOW = {
    "je sais pas",
    "je ne sais pas",
    "sais pas",
    "jsais pas",
    "jsp",
    "chais pas",
    "aucune idee",
    "je sais plus",
    "pas sur",
    "pas sure",
    "i don't know",
    "i dont know",
    "dont know",
    "dunno",
    "no idea",
    "idk",
    "not sure",
}


def dont_know(text: str) -> bool:
    """Whether the text only says "I don't know" (then taken as the "I don't know" button)."""
    return _word(text) in _DONT_KNOW


def yes_no(text: str) -> bool | None:
    word = _word(text)
    return True if word in _YES else False if word in _NO else None


def _told(state: State, event: Event, ctx: Context, item: str) -> Answer:
    """Free text while a question is asked: kept in the description, and taken as the answer
    to this question when the words alone clearly say it; otherwise the question stays."""
    new = understand(state, event.text, ctx).state
    said = _clear(ctx, item)
    if said is None:
        return Answer(new, "unclear", (Reply(msg(N_("story.added"))),))
    if item == "criteria":
        return Answer(_set_criterion(new, said, ctx), "answered")
    return Answer(new.answer(item, **{item: said}), "answered")


def _clear(ctx: Context, item: str) -> str | None:
    """The best suggestion of this text for `item`, when it is strong enough to act on."""
    reading = ctx.reading
    if reading is None:
        return None
    ranked = {"criteria": reading.criteria, "domain": reading.domain}.get(item, reading.situation)
    return ranked[0].id if ranked and ranked[0].score >= USE else None


def _choice(event: Event, prefix: str) -> str | None:
    if event.kind is EventKind.CHOICE and event.choice.startswith(prefix):
        return event.choice[len(prefix) :]
    return None


def welcome(state: State, event: Event, ctx: Context) -> Answer | None:
    role = _choice(event, "role.")
    if role in ROLES:
        return Answer(state.but(role=role), "role")
    if event.kind is EventKind.TEXT:
        seen = understand(state, event.text, ctx)
        if seen.thin and not state.description:  # "bonjour", "hello?": not yet a story
            return Answer(state, "greeting", (Reply(msg(N_("welcome.hello"))),))
        return Answer(seen.state, "story_first")
    return None


def story(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.CHOICE and event.choice == "story.skip":
        return Answer(state, "skipped")
    if event.kind is not EventKind.TEXT:
        return None
    seen = understand(state, event.text, ctx)
    if seen.thin and not state.is_answered("story_nudge"):  # "bonjour": nothing kept yet
        return Answer(state.answer("story_nudge"), "thin", (Reply(msg(N_("story.more"))),))
    return Answer(seen.state, "told")


def situation(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.TEXT and dont_know(event.text):
        return Answer(state.answer("situation", situation=None), "answered")
    if event.kind is EventKind.TEXT:
        return _told(state, event, ctx, "situation")
    if event.kind is EventKind.CHOICE and event.choice == "dont_know":
        return Answer(state.answer("situation", situation=None), "answered")
    chosen = _choice(event, "situation.")
    if chosen in SITUATIONS:
        return Answer(state.answer("situation", situation=chosen), "answered")
    return None


def _set_criterion(state: State, criterion_id: str, ctx: Context) -> State:
    family = ctx.knowledge.criterion(criterion_id).family
    return state.answer("criteria", criteria=(criterion_id,), family=family)


def criterion(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.TEXT and dont_know(event.text):
        return Answer(state.answer("criteria", criteria=(), family=None), "answered")
    if event.kind is EventKind.TEXT:
        return _told(state, event, ctx, "criteria")
    if event.kind is EventKind.CHOICE and event.choice == "dont_know":
        return Answer(state.answer("criteria", criteria=(), family=None), "answered")
    if event.kind is EventKind.CHOICE and event.choice == "criterion.other":
        return Answer(state, "other")
    chosen = _choice(event, "criterion.")
    if chosen in state.suggested.criteria:
        return Answer(_set_criterion(state, chosen, ctx), "answered")
    return None


def family(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.TEXT and dont_know(event.text):
        return Answer(state.answer("criteria", criteria=(), family=None), "answered")
    if event.kind is EventKind.TEXT:
        return _told(state, event, ctx, "criteria")
    chosen = _choice(event, "family.")
    if chosen in {f.id for f in ctx.knowledge.families}:
        return Answer(state.but(family=chosen), "family")
    return None


def family_criterion(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.CHOICE and event.choice == "family.only":
        return Answer(state.answer("criteria", criteria=()), "answered")
    chosen = _choice(event, "criterion.")
    family_ = ctx.knowledge.family(state.family or "autre")
    if chosen in family_.criteria:
        return Answer(_set_criterion(state, chosen, ctx), "answered")
    return None


def domain(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.TEXT and dont_know(event.text):
        return Answer(state.answer("domain", domain=None), "answered")
    if event.kind is EventKind.TEXT:
        return _told(state, event, ctx, "domain")
    chosen = _choice(event, "domain.")
    if chosen in {d.id for d in ctx.knowledge.domains}:
        return Answer(state.answer("domain", domain=chosen), "answered")
    return None


def confirm(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.TEXT:
        said = yes_no(event.text)
        if said is True:
            return Answer(_confirmed(state), "yes")
        if said is False:
            return Answer(state, "told", (Reply(msg(N_("confirm.which"))),))
        seen = understand(state, event.text, ctx)
        return Answer(seen.state, "told", (Reply(msg(N_("story.added"))),))
    fix = _choice(event, "confirm.")
    if fix == "yes":
        return Answer(_confirmed(state), "yes")
    if fix in ("situation", "criterion", "domain"):
        return Answer(state, f"fix_{fix}")
    return None


def _confirmed(state: State) -> State:
    for item in QUALIFYING:
        state = state.answer(item)
    return state


def commune(state: State, event: Event, ctx: Context) -> Answer | None:
    territory = ctx.directory.territory
    chosen = _choice(event, "commune.")
    if chosen == "skip" or (event.kind is EventKind.TEXT and dont_know(event.text)):
        return Answer(state.answer("commune", commune=None), "answered")
    if chosen == "elsewhere":
        return Answer(state.answer("commune", commune=ELSEWHERE), "answered")
    if chosen in territory.communes[:4]:
        return Answer(state.answer("commune", commune=chosen), "answered")
    if event.kind is EventKind.TEXT:
        found = find_commune(territory, event.text)
        if found:
            return Answer(state.answer("commune", commune=found), "answered")
        return Answer(state, "unknown", (Reply(msg(N_("commune.unknown"))),))
    return None


def needs(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.CHOICE and event.choice == "needs.done":
        return Answer(state.answer("needs"), "done")
    need = _choice(event, "need.")
    if need in NEEDS:
        chosen = tuple(n for n in NEEDS if (n in state.needs) != (n == need))
        return Answer(state.but(needs=chosen), "toggled")
    return None


def _button(expected: dict[str, str]) -> Handler:
    """A stage whose only answers are buttons, each mapped to an outcome token."""

    def handle(state: State, event: Event, ctx: Context) -> Answer | None:
        if event.kind is EventKind.CHOICE and event.choice in expected:
            return Answer(state, expected[event.choice])
        return None

    return handle


def partners(state: State, event: Event, ctx: Context) -> Answer | None:
    if event.kind is EventKind.CHOICE and event.choice == "partners.more":
        shown = min(len(state.partners), state.partners_shown + PAGE)
        return Answer(state.but(partners_shown=shown), "more")
    if event.kind is EventKind.CHOICE and event.choice == "partners.done":
        return Answer(state, "done")
    return None


def _yes_or_no(event: Event, prefix: str) -> bool | None:
    """A yes/no question's answer: its buttons (`<prefix>.yes`, `<prefix>.no`) or typed words."""
    if event.kind is EventKind.CHOICE and event.choice in (f"{prefix}.yes", f"{prefix}.no"):
        return event.choice == f"{prefix}.yes"
    if event.kind is EventKind.TEXT:
        return yes_no(event.text)
    return None


def consent(state: State, event: Event, ctx: Context) -> Answer | None:
    said = _yes_or_no(event, "consent")
    if said is None:
        return None
    return Answer(state.but(consent=said), "done")


def followup(state: State, event: Event, ctx: Context) -> Answer | None:
    said = _yes_or_no(event, "followup")
    if said is None:
        return None
    return Answer(state.answer("followup"), "yes" if said else "no")


NEW_STORY_WORDS = 8
"""After the close, a text this long (or one triage reads as a situation) opens a new exchange."""


def closed(state: State, event: Event, ctx: Context) -> Answer | None:
    """A thank-you gets a kind word; a new story opens a new conversation, keeping the words."""
    if event.kind is not EventKind.TEXT:
        return None
    reading = ctx.reading
    substance = reading is not None and bool(reading.criteria or reading.domain)
    if not substance and len(event.text.split()) < NEW_STORY_WORDS:
        return Answer(state, "again", (Reply(msg(N_("closed.again"))),))
    fresh = State(
        lang=state.lang,
        answered=("intro", "lang_seen"),
        closed_refs=state.closed_refs,
        team=reset_for_new_story(state.team),
    )
    seen = understand(fresh, event.text, ctx)
    return Answer(seen.state, "new_story", (Reply(msg(N_("closed.new"))),))


def language(state: State, event: Event, ctx: Context) -> Answer | None:
    chosen = _choice(event, "lang.")
    if chosen in ("fr", "en"):
        return Answer(state.answer("lang_seen", lang=chosen), "chosen")  # a choice is final
    return None


HANDLERS: dict[Stage, Handler] = {
    Stage.WELCOME: welcome,
    Stage.STORY: story,
    Stage.SITUATION: situation,
    Stage.CRITERION: criterion,
    Stage.FAMILY: family,
    Stage.FAMILY_CRITERION: family_criterion,
    Stage.DOMAIN: domain,
    Stage.CONFIRM: confirm,
    Stage.COMMUNE: commune,
    Stage.NEEDS: needs,
    Stage.INFO: _button({"info.partners": "next"}),
    Stage.THANKS: _button({"thanks.partners": "partners", "thanks.finish": "finish"}),
    Stage.PARTNERS: partners,
    Stage.FOLLOWUP: followup,
    Stage.CONSENT: consent,
    Stage.CLOSED: closed,
    Stage.LANGUAGE: language,
    Stage.ERASE: _button({"erase.yes": "erase", "erase.no": "keep"}),
}
