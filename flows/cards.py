"""The longer messages: danger numbers, the first-information card, partners, the recap.

Rule: every number, address or link comes from the reference data; an entry without a sourced
contact is shown by name and what it does, never with a guessed contact.
"""

from __future__ import annotations

from directory.model import Helpline, Partner
from flows.context import Context
from flows.phone import defender, phone_status
from flows.replies import N_, DataLabel, Lines, Msg, Param, msg
from flows.state import State

DESCRIPTION_CHARS = 220


def danger_card(categories: tuple[str, ...], ctx: Context) -> Msg:
    """Emergency numbers for the kinds of danger heard, most urgent first, without duplicates."""
    seen: list[str] = []
    for category in categories or ("violence_now",):
        for helpline_id in ctx.knowledge.danger_routing.get(category, ()):
            if helpline_id not in seen:
                seen.append(helpline_id)
    lines = tuple(_helpline_line(ctx.knowledge.helpline(h)) for h in seen)
    return msg(N_("danger.card"), numbers=Lines(lines))


def _helpline_line(helpline: Helpline) -> Msg:
    if helpline.sms and not helpline.phone:
        return msg(N_("helpline.sms"), name=helpline.name, sms=helpline.sms)
    return msg(N_("helpline.phone"), name=helpline.name, phone=helpline.phone)


_INFO = {
    "discrimination": N_("info.discrimination"),
    "situation_connexe": N_("info.situation_connexe"),
    "situation_complexe": N_("info.situation_complexe"),
    "hors_champ": N_("info.hors_champ"),
}


def info_card(state: State, ctx: Context) -> Msg:
    """First information for the kind of situation, and that this is not legal advice."""
    body = _INFO.get(state.situation or "discrimination", N_("info.discrimination"))
    extra: list[Param] = []
    if state.role == "tiers_pro":
        main = ctx.directory.partner(ctx.directory.territory.main_service)
        extra.append(msg(N_("info.professional"), service=main.name))
    return msg(body, extra=Lines(tuple(extra)), phone=phone_status(ctx))


def partner_card(partner: Partner, lang: str) -> Msg:
    """A partner with what it does and only the contacts read in a source."""
    contact = partner.contact
    lines: list[Param] = []
    if contact.phone:
        lines.append(msg(N_("partner.phone"), phone=contact.phone))
    if contact.email:
        lines.append(msg(N_("partner.email"), email=contact.email))
    if contact.website:
        lines.append(msg(N_("partner.website"), website=contact.website))
    if contact.address:
        lines.append(msg(N_("partner.address"), address=contact.address))
    if contact.hours_fr:
        hours_id = (
            N_("partner.hours_indicative")
            if "hours_fr" in partner.to_verify_fields
            else N_("partner.hours")
        )
        lines.append(msg(hours_id, hours=contact.hours_fr))
    if contact.is_empty():
        lines.append(msg(N_("partner.no_contact")))
    return msg(
        N_("partner.card"),
        name=partner.name,
        description=_description(partner, lang),
        contacts=Lines(tuple(lines)),
    )


def _description(partner: Partner, lang: str) -> Param:
    """The English sentence for English readers when the data has one, else the French one,
    said to be in French."""
    if lang == "en" and partner.summary_en:
        return partner.summary_en
    if lang == "fr":
        return _short(partner.description_fr)
    return msg(N_("partner.description_in_french"), text=_short(partner.description_fr))


def _short(text: str) -> str:
    """The first sentence of a description, cut at a word if still long."""
    text = " ".join(text.split())
    first = text.split(". ", 1)[0].rstrip(".") + "."
    if len(first) <= DESCRIPTION_CHARS:
        return first
    return first[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"


_NATIONAL = {
    "discrimination": ("defenseur_droits_3928",),
    "situation_connexe": ("aide_victimes_116006", "defenseur_droits_3928"),
    "situation_complexe": ("defenseur_droits_delegues", "defenseur_droits_3928"),
    "hors_champ": ("defenseur_droits_3928",),
}


def national_lines(state: State, ctx: Context) -> Lines:
    """National services that fit the situation (Pharos when it happened online)."""
    ids = list(_NATIONAL.get(state.situation or "discrimination", ("defenseur_droits_3928",)))
    if state.domain == "internet_reseaux_sociaux":
        ids.insert(0, "pharos")
    lines = []
    for helpline_id in ids:
        helpline = ctx.knowledge.helpline(helpline_id)
        lines.append(msg(N_("national.line"), name=helpline.name, contact=_reach(helpline)))
    return Lines(tuple(lines))


def _reach(helpline: Helpline) -> str:
    """How to reach a national service: its number unless its name already says it, and site."""
    digits = helpline.phone.replace(" ", "")
    in_name = bool(digits) and digits in helpline.name.replace(" ", "")
    parts = [p for p in (None if in_name else helpline.phone, helpline.website) if p]
    return " — ".join(parts) or helpline.name


_SITUATION_PLAIN = {
    "discrimination": N_("summary.plain.discrimination"),
    "situation_connexe": N_("summary.plain.situation_connexe"),
    "situation_complexe": N_("summary.plain.situation_complexe"),
    "hors_champ": N_("summary.plain.hors_champ"),
}


def understood(state: State) -> Lines:
    """What the conversation understood, in plain words; "not specified" where unknown.

    Out of scope, only the situation is shown; for an access-to-rights difficulty the reason
    is shown only when there is one.
    """
    unknown = msg(N_("summary.unknown"))
    situation = msg(_SITUATION_PLAIN[state.situation]) if state.situation else unknown
    lines: list[Param] = [msg(N_("summary.situation"), value=situation)]
    if state.situation == "hors_champ":
        return Lines(tuple(lines))
    reason: Param = unknown
    if state.criteria:
        reason = Lines(tuple(DataLabel("criterion", c) for c in state.criteria), ", ")
    elif state.family:
        reason = DataLabel("family", state.family)
    if state.situation != "situation_complexe" or reason is not unknown:
        lines.append(msg(N_("summary.reason"), value=reason))
    domain = DataLabel("domain", state.domain) if state.domain else unknown
    lines.append(msg(N_("summary.domain"), value=domain))
    return Lines(tuple(lines))


def recap_card(state: State, ctx: Context, ref: str) -> Msg:
    """The closing message: what we understood, who can help, the reference, the lines."""
    partners = tuple(
        _recap_partner(ctx.directory.partner(p)) for p in state.partners[: state.partners_shown]
    )
    commune = state.commune or msg(N_("summary.unknown"))
    return msg(
        N_("recap.body"),
        ref=ref,
        understood=understood(state),
        commune=commune,
        partners=Lines(partners) if partners else msg(N_("recap.no_partners")),
        phone=phone_status(ctx),
        defender=defender(ctx),
    )


def _recap_partner(partner: Partner) -> Msg:
    """A partner in one line: name, its first sourced contact, and its hours when known."""
    found = partner.contact
    contact = found.phone or found.website or found.email or found.address
    if not contact:
        return msg(N_("recap.partner_no_contact"), name=partner.name)
    hours = partner.contact.hours_fr
    if not hours:
        return msg(N_("recap.partner"), name=partner.name, contact=contact)
    return msg(N_("recap.partner_hours"), name=partner.name, contact=contact, hours=hours)
