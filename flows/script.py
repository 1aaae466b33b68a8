"""The helpline's script: which stage follows which answer, for scenarios 1, 1bis and 2.

Rule: every helpline rule that changes where the conversation goes lives in `ROUTES`. A stage's
handler (`flows.answers`) names the outcome of an answer with a token; the first route of that
stage whose guard holds gives the next stage. Guards are named functions of (state, token).

- Scenario 1 (victim) and 1bis (for someone else, relative or professional): welcome → story →
  qualification (only what triage could not suggest is asked) → confirm → commune → needs →
  first information → partners → consent → recap.
- Scenario 2 (witness): the same qualification, then thanks and why recording matters;
  orientation is optional.
- When the directory is not enough (see `offers_followup`), the team's follow-up is offered
  before the consent question.
- Out of scope: no criterion or domain is asked; the person still gets information, partners
  and the phone line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flows.stage import ASIDES, Stage
from flows.state import State

Guard = Callable[[State, str], bool]


@dataclass(frozen=True, slots=True)
class Route:
    when: Guard
    to: Stage


def always(state: State, token: str) -> bool:
    return True


def on(*tokens: str) -> Guard:
    """A guard true for these outcome tokens (named after them, for the diagram)."""

    def guard(state: State, token: str) -> bool:
        return token in tokens

    guard.__name__ = "on_" + "_or_".join(tokens)
    return guard


def has_description(state: State, token: str) -> bool:
    return bool(state.description)


def lacks_description(state: State, token: str) -> bool:
    return not state.description


def needs_situation(state: State, token: str) -> bool:
    return state.situation is None and not state.is_answered("situation")


def _criterion_relevant(state: State) -> bool:
    return state.situation in (None, "discrimination", "situation_connexe")


def needs_criterion_with_suggestions(state: State, token: str) -> bool:
    return needs_criterion(state, token) and bool(state.suggested.criteria)


def needs_criterion(state: State, token: str) -> bool:
    unanswered = not state.criteria and not state.is_answered("criteria")
    return unanswered and _criterion_relevant(state)


def needs_domain(state: State, token: str) -> bool:
    unanswered = state.domain is None and not state.is_answered("domain")
    return unanswered and state.situation != "hors_champ"


def is_witness(state: State, token: str) -> bool:
    return state.role == "temoin"


def is_out_of_scope(state: State, token: str) -> bool:
    return state.situation == "hors_champ"


def fix_criterion_with_suggestions(state: State, token: str) -> bool:
    return token == "fix_criterion" and bool(state.suggested.criteria)


QUALIFY = (
    Route(needs_situation, Stage.SITUATION),
    Route(needs_criterion_with_suggestions, Stage.CRITERION),
    Route(needs_criterion, Stage.FAMILY),
    Route(needs_domain, Stage.DOMAIN),
    Route(always, Stage.CONFIRM),
)
"""Ask only what is still unknown, then show the whole understanding to confirm."""


def offers_followup(state: State, token: str) -> bool:
    """More than the directory is needed: a complex situation, a need to act, a professional
    asking for the department, or no partner found (a witness only reports: never offered)."""
    if state.is_answered("followup") or (state.team is not None and state.team.open):
        return False
    if state.role == "temoin":
        return False
    complex_case = state.situation == "situation_complexe" or "act" in state.needs
    return complex_case or state.role == "tiers_pro" or not state.partners


AFTER_FOLLOWUP = (Route(has_description, Stage.CONSENT), Route(always, Stage.CLOSED))
AFTER_ORIENTATION = (Route(offers_followup, Stage.FOLLOWUP), *AFTER_FOLLOWUP)

ROUTES: dict[Stage, tuple[Route, ...]] = {
    Stage.WELCOME: (
        Route(on("story_first", "greeting"), Stage.WELCOME),
        Route(lacks_description, Stage.STORY),
        *QUALIFY,
    ),
    Stage.STORY: (Route(on("thin"), Stage.STORY), *QUALIFY),
    Stage.SITUATION: (Route(on("unclear"), Stage.SITUATION), *QUALIFY),
    Stage.CRITERION: (
        Route(on("other"), Stage.FAMILY),
        Route(on("unclear"), Stage.CRITERION),
        *QUALIFY,
    ),
    Stage.FAMILY: (
        Route(on("family"), Stage.FAMILY_CRITERION),
        Route(on("unclear"), Stage.FAMILY),
        *QUALIFY,
    ),
    Stage.FAMILY_CRITERION: QUALIFY,
    Stage.DOMAIN: (Route(on("unclear"), Stage.DOMAIN), *QUALIFY),
    Stage.CONFIRM: (
        Route(on("fix_situation"), Stage.SITUATION),
        Route(fix_criterion_with_suggestions, Stage.CRITERION),
        Route(on("fix_criterion"), Stage.FAMILY),
        Route(on("fix_domain"), Stage.DOMAIN),
        Route(on("told"), Stage.CONFIRM),
        Route(always, Stage.COMMUNE),
    ),
    Stage.COMMUNE: (
        Route(on("unknown"), Stage.COMMUNE),
        Route(is_witness, Stage.THANKS),
        Route(is_out_of_scope, Stage.INFO),
        Route(always, Stage.NEEDS),
    ),
    Stage.NEEDS: (Route(on("toggled"), Stage.NEEDS), Route(always, Stage.INFO)),
    Stage.INFO: (Route(always, Stage.PARTNERS),),
    Stage.THANKS: (Route(on("partners"), Stage.PARTNERS), *AFTER_ORIENTATION),
    Stage.PARTNERS: (Route(on("more"), Stage.PARTNERS), *AFTER_ORIENTATION),
    Stage.FOLLOWUP: AFTER_FOLLOWUP,
    Stage.CONSENT: (Route(always, Stage.CLOSED),),
    Stage.CLOSED: (Route(on("new_story"), Stage.WELCOME), Route(always, Stage.CLOSED)),
    Stage.LANGUAGE: (),
    Stage.ERASE: (),
}
"""Asides (language, erase) have no routes: they return to the stage the person came from."""

GLOBAL_COMMANDS = ("start", "restart", "help", "back", "person", "forget", "language", "privacy")
"""Accepted at every stage (checked by `tests/flows/test_script_table.py`)."""


def next_stage(stage: Stage, state: State, token: str) -> Stage:
    """The stage after `stage` for this outcome; an impossible transition is a bug and raises."""
    for route in ROUTES[stage]:
        if route.when(state, token):
            return route.to
    raise LookupError(f"no route from {stage} for outcome {token!r}")


def is_aside(stage: Stage) -> bool:
    return stage in ASIDES
