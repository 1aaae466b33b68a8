"""The question each stage asks, with the choices it offers.

Rule: the choices offered are a pure function of the state, so a pressed button can be checked
against what the current question really offered (a stale or forged id is refused kindly).
"""

from __future__ import annotations

from collections.abc import Callable

from flows.cards import info_card, national_lines, partner_card, understood
from flows.context import Context
from flows.replies import N_, Choice, DataLabel, Lines, Msg, Reply, msg
from flows.stage import Stage
from flows.state import State

ROLES = {
    "victime": N_("button.role.victime"),
    "tiers_proche": N_("button.role.tiers_proche"),
    "tiers_pro": N_("button.role.tiers_pro"),
    "temoin": N_("button.role.temoin"),
}
NEEDS = {
    "listen": N_("button.need.listen"),
    "inform": N_("button.need.inform"),
    "orient": N_("button.need.orient"),
    "act": N_("button.need.act"),
}
SITUATIONS = {
    "discrimination": N_("button.situation.discrimination"),
    "situation_connexe": N_("button.situation.situation_connexe"),
    "situation_complexe": N_("button.situation.situation_complexe"),
    "hors_champ": N_("button.situation.hors_champ"),
}
COMMUNE_BUTTONS = 4
PAGE = 3

BACK = Choice("nav.back", msg(N_("button.back")))
PERSON = Choice("nav.person", msg(N_("button.person")))
DONT_KNOW = Choice("dont_know", msg(N_("button.dont_know")))


def _welcome(state: State, ctx: Context) -> Reply:
    body = N_("welcome.question_after_story") if state.description else N_("welcome.question")
    return Reply(msg(body), tuple(Choice(f"role.{r}", msg(label)) for r, label in ROLES.items()))


_STORY = {
    "temoin": N_("story.question.witness"),
    "tiers_proche": N_("story.question.other"),
    "tiers_pro": N_("story.question.other"),
}


def _story(state: State, ctx: Context) -> Reply:
    body = _STORY.get(state.role or "", N_("story.question.victim"))
    return Reply(msg(body), (Choice("story.skip", msg(N_("button.story_skip"))), BACK))


def _situation(state: State, ctx: Context) -> Reply:
    choices = tuple(Choice(f"situation.{s}", msg(label)) for s, label in SITUATIONS.items())
    return Reply(msg(N_("situation.question")), (*choices, DONT_KNOW, BACK))


def _criterion(state: State, ctx: Context) -> Reply:
    suggested = tuple(
        Choice(f"criterion.{c}", DataLabel("criterion", c)) for c in state.suggested.criteria
    )
    other = Choice("criterion.other", msg(N_("button.criterion_other")))
    return Reply(msg(N_("criterion.question")), (*suggested, other, DONT_KNOW, BACK))


def _family(state: State, ctx: Context) -> Reply:
    families = tuple(
        Choice(f"family.{f.id}", DataLabel("family", f.id)) for f in ctx.knowledge.families
    )
    return Reply(msg(N_("family.question")), (*families, BACK))


def _family_criterion(state: State, ctx: Context) -> Reply:
    family = ctx.knowledge.family(state.family or "autre")
    choices = tuple(Choice(f"criterion.{c}", DataLabel("criterion", c)) for c in family.criteria)
    keep = Choice("family.only", msg(N_("button.family_only")))
    return Reply(
        msg(N_("family_criterion.question"), family=DataLabel("family", family.id)),
        (*choices, keep, BACK),
    )


def _domain(state: State, ctx: Context) -> Reply:
    domains = tuple(
        Choice(f"domain.{d.id}", DataLabel("domain", d.id)) for d in ctx.knowledge.domains
    )
    return Reply(msg(N_("domain.question")), (*domains, BACK))


def _confirm(state: State, ctx: Context) -> Reply:
    choices = [Choice("confirm.yes", msg(N_("button.confirm_yes")))]
    choices.append(Choice("confirm.situation", msg(N_("button.fix_situation"))))
    if state.situation not in ("hors_champ", "situation_complexe"):
        choices.append(Choice("confirm.criterion", msg(N_("button.fix_criterion"))))
    if state.situation != "hors_champ":
        choices.append(Choice("confirm.domain", msg(N_("button.fix_domain"))))
    return Reply(msg(N_("confirm.question"), summary=understood(state)), (*choices, BACK))


def _commune(state: State, ctx: Context) -> Reply:
    communes = ctx.directory.territory.communes[:COMMUNE_BUTTONS]
    choices = tuple(Choice(f"commune.{c}", DataLabel("commune", c)) for c in communes)
    elsewhere = Choice("commune.elsewhere", msg(N_("button.commune_elsewhere")))
    skip = Choice("commune.skip", msg(N_("button.commune_skip")))
    return Reply(
        msg(N_("commune.question"), territory=ctx.directory.territory.name),
        (*choices, elsewhere, skip, BACK),
    )


def _needs(state: State, ctx: Context) -> Reply:
    choices = tuple(
        Choice(f"need.{n}", msg(label), selected=n in state.needs) for n, label in NEEDS.items()
    )
    done = Choice("needs.done", msg(N_("button.needs_done")))
    return Reply(msg(N_("needs.question")), (*choices, done, PERSON, BACK))


def _info(state: State, ctx: Context) -> Reply:
    go = Choice("info.partners", msg(N_("button.info_partners")))
    return Reply(info_card(state, ctx), (go, PERSON, BACK))


def _thanks(state: State, ctx: Context) -> Reply:
    choices = (
        Choice("thanks.partners", msg(N_("button.thanks_partners"))),
        Choice("thanks.finish", msg(N_("button.thanks_finish"))),
    )
    return Reply(msg(N_("thanks.witness")), (*choices, BACK))


def _partners(state: State, ctx: Context) -> Reply:
    page = state.partners[max(0, state.partners_shown - PAGE) : state.partners_shown]
    cards = tuple(partner_card(ctx.directory.partner(p), state.lang) for p in page)
    body: Msg
    if cards:
        body = msg(
            N_("partners.list"), partners=Lines(cards, "\n\n"), national=national_lines(state, ctx)
        )
    else:
        body = msg(N_("partners.none"), national=national_lines(state, ctx))
    choices = []
    if state.partners_shown < len(state.partners):
        choices.append(Choice("partners.more", msg(N_("button.partners_more"))))
    choices.append(Choice("partners.done", msg(N_("button.partners_done"))))
    return Reply(body, (*choices, PERSON, BACK))


def _followup(state: State, ctx: Context) -> Reply:
    body = N_("followup.question") if ctx.team_desk else N_("followup.question_phone")
    choices = (
        Choice("followup.yes", msg(N_("button.followup_yes"))),
        Choice("followup.no", msg(N_("button.followup_no"))),
    )
    return Reply(msg(body), (*choices, BACK))


def _consent(state: State, ctx: Context) -> Reply:
    choices = (
        Choice("consent.yes", msg(N_("button.consent_yes"))),
        Choice("consent.no", msg(N_("button.consent_no"))),
    )
    return Reply(msg(N_("consent.question"), preview=state.description), (*choices, BACK))


def _closed(state: State, ctx: Context) -> Reply:
    choices = (
        Choice("closed.restart", msg(N_("button.restart"))),
        Choice("nav.forget", msg(N_("button.forget"))),
    )
    return Reply(msg(N_("closed.question")), choices)


def _language(state: State, ctx: Context) -> Reply:
    return Reply(
        msg(N_("language.question")),
        (
            Choice("lang.fr", msg(N_("button.lang_fr"))),
            Choice("lang.en", msg(N_("button.lang_en"))),
        ),
    )


def _erase(state: State, ctx: Context) -> Reply:
    choices = (
        Choice("erase.yes", msg(N_("button.erase_yes"))),
        Choice("erase.no", msg(N_("button.erase_no"))),
    )
    return Reply(msg(N_("erase.question")), choices)


QUESTIONS: dict[Stage, Callable[[State, Context], Reply]] = {
    Stage.WELCOME: _welcome,
    Stage.STORY: _story,
    Stage.SITUATION: _situation,
    Stage.CRITERION: _criterion,
    Stage.FAMILY: _family,
    Stage.FAMILY_CRITERION: _family_criterion,
    Stage.DOMAIN: _domain,
    Stage.CONFIRM: _confirm,
    Stage.COMMUNE: _commune,
    Stage.NEEDS: _needs,
    Stage.INFO: _info,
    Stage.THANKS: _thanks,
    Stage.PARTNERS: _partners,
    Stage.FOLLOWUP: _followup,
    Stage.CONSENT: _consent,
    Stage.CLOSED: _closed,
    Stage.LANGUAGE: _language,
    Stage.ERASE: _erase,
}


BRIEF = frozenset({Stage.INFO, Stage.PARTNERS})
"""Stages whose question is a long card: asked again, only the choices are shown again."""


def ask(state: State, ctx: Context, *, brief: bool = False) -> Reply:
    """The question of the state's current stage (`brief`: a short prompt for long cards)."""
    reply = QUESTIONS[state.stage](state, ctx)
    if brief and state.stage in BRIEF:
        return Reply(msg(N_("reask.brief")), reply.choices)
    return reply
