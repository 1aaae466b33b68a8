"""The helpline's three call scenarios, end to end, as a person has them (French and English)."""

from __future__ import annotations

from bot.app import App
from tests.chat import Chat

# Fictional personal data typed during conversations: none of it may reach a stored record.
FICTIONAL = (
    "Kévin Marchal",
    "Marchal",
    "06 12 34 56 78",
    "kevin.marchal@example.org",
    "12 rue des Olivettes",
    "Sophie Lenoir",
    "Lenoir",
    "07 98 76 54 32",
)


async def _qualified(chat: Chat) -> None:
    """Answer whatever qualification question is still open, then confirm."""
    for _ in range(6):
        if "confirm.yes" in chat.choices:
            await chat.tap("confirm.yes")
            return
        for option in ("dont_know", "family.only"):
            if option in chat.choices:
                await chat.tap(option)
                break
        else:
            if "family.autre" in chat.choices:
                await chat.tap("family.autre")
            else:
                raise AssertionError(f"unexpected question: {chat.last.text}")
    raise AssertionError("qualification did not end")


async def test_scenario_1_victim_housing_origin_in_french(chat: Chat, app: App) -> None:
    await chat.start()
    assert "anonyme" in chat.text
    assert "02 40 41 95 96" in chat.text  # the territory's line, open on a Monday morning
    await chat.tap("role.victime")
    await chat.say(
        "Je m'appelle Kévin Marchal. L'agence immobilière du 12 rue des Olivettes a refusé mon "
        "dossier pour l'appartement quand ils ont vu que je suis d'origine maghrébine. "
        "Mon numéro c'est le 06 12 34 56 78, kevin.marchal@example.org"
    )
    assert "confirm.yes" in chat.choices, chat.text
    assert "Logement" in chat.last.text
    assert "Origine" in chat.last.text
    await chat.tap("confirm.yes")
    assert "commune.Nantes" in chat.choices
    await chat.tap("commune.Nantes")
    await chat.tap("need.orient")
    await chat.tap("need.act")
    assert chat.label("need.act").startswith("✓")
    await chat.tap("needs.done")
    assert "6 ans" in chat.text  # first information: time limits
    await chat.tap("info.partners")
    assert "▸" in chat.text
    await chat.tap("partners.done")
    assert "followup.yes" in chat.choices  # a need to act: a follow-up by a person is offered
    await chat.tap("followup.no")
    assert "[NAME]" in chat.text or "[EMAIL]" in chat.text  # the consent shows the scrubbed text
    assert "Marchal" not in chat.text
    await chat.tap("consent.yes")
    recap = chat.text
    assert "Récapitulatif" in recap
    assert "AD-" in recap
    assert "39 28" in recap or "3928" in recap
    reports = await app.store.reports()
    assert len(reports) == 1
    report = reports[0]
    assert report.role == "victime"
    assert report.domain == "logement_prive"
    assert "origine" in report.criteria
    assert report.commune == "Nantes"
    assert report.needs == ("orient", "act")
    assert report.ref in recap
    assert report.language == "fr"
    assert report.month == "2026-11"
    assert report.description
    for item in FICTIONAL:
        assert item not in report.description
    assert "origine maghrébine" in report.description


async def test_scenario_1bis_relative_in_english(chat: Chat, app: App) -> None:
    await chat.start()
    await chat.command("/language en")
    assert "Who is this about" in chat.text or "who is this about" in chat.text
    await chat.tap("role.tiers_proche")
    assert "the person" in chat.text
    await chat.say(
        "My daughter Sophie Lenoir was refused at a nightclub because she uses a wheelchair, "
        "the bouncer said disabled people are not allowed. Call me at 07 98 76 54 32."
    )
    assert "confirm.yes" in chat.choices, chat.text
    await chat.tap("confirm.yes")
    await chat.say("reze")  # typed, without the accent
    assert "needs.done" in chat.choices, chat.text
    await chat.tap("need.listen")
    await chat.tap("needs.done")
    assert "not legal advice" in chat.text
    await chat.tap("info.partners")
    await chat.tap("partners.done")
    await chat.tap("consent.no")
    assert "Recap" in chat.text
    report = (await app.store.reports())[0]
    assert report.role == "tiers_proche"
    assert report.language == "en"
    assert report.commune == "Rezé"
    assert report.criteria[0] == "handicap"
    assert report.description == ""  # no consent, no description


async def test_scenario_1bis_professional_gets_the_city_service(chat: Chat, app: App) -> None:
    await chat.start()
    await chat.tap("role.tiers_pro")
    await chat.say(
        "Je suis assistante sociale. Une dame que j'accompagne s'est vu refuser un rendez-vous "
        "chez un dentiste parce qu'elle a la CSS (complémentaire santé solidaire)."
    )
    await _qualified(chat)
    await chat.tap("commune.skip")
    await chat.tap("needs.done")
    assert "professionnel" in chat.text
    assert "AlloNantes" in chat.text
    await chat.tap("info.partners")
    await chat.tap("partners.done")
    assert "followup.yes" in chat.choices  # a professional: the department's follow-up offered
    await chat.tap("followup.no")
    await chat.tap("consent.yes")
    report = (await app.store.reports())[0]
    assert report.role == "tiers_pro"
    assert report.domain == "sante_soins"
    assert report.commune is None


async def test_scenario_2_witness_thanked_and_told_why_it_matters(chat: Chat, app: App) -> None:
    await chat.start()
    await chat.tap("role.temoin")
    assert "prendre la parole" in chat.text
    await chat.say(
        "Dans ma boîte, la RH m'a demandé d'écarter les CV des candidats qui ont un nom "
        "à consonance africaine. Je ne suis pas concernée mais je trouve ça grave."
    )
    await _qualified(chat)
    await chat.tap("commune.Saint-Herblain") if "commune.Saint-Herblain" in chat.choices else (
        await chat.say("Saint-Herblain")
    )
    assert "Merci d'avoir pris la parole" in chat.text
    assert "thanks.partners" in chat.choices
    await chat.tap("thanks.finish")  # orientation is optional for a witness
    await chat.tap("consent.yes")
    assert "Merci encore" in chat.text
    report = (await app.store.reports())[0]
    assert report.role == "temoin"
    assert report.domain == "emploi_prive"
    assert report.partners == ()
    assert report.commune == "Saint-Herblain"


async def test_scenario_2_witness_in_english_asks_for_partners(chat: Chat, app: App) -> None:
    await chat.start()
    await chat.command("/language en")
    await chat.tap("role.temoin")
    await chat.say(
        "I saw a bus driver refuse to let a woman wearing a headscarf get on the bus, "
        "he told her people like her should go home."
    )
    await _qualified(chat)
    await chat.tap("commune.Nantes")
    await chat.tap("thanks.partners")
    assert "▸" in chat.text
    await chat.tap("partners.done")
    await chat.tap("consent.no")
    report = (await app.store.reports())[0]
    assert report.role == "temoin"
    assert report.partners
    assert report.language == "en"


async def test_scenario_1_victim_in_english_sms_style(chat: Chat, app: App) -> None:
    await chat.start()
    await chat.say(
        "hi, my boss Mark Evans fired me 2 weeks after i told him i was pregnant, "
        "he said he needs someone reliable. my number is +44 7700 900123"
    )
    assert "I'll answer in English" in chat.text
    await chat.tap("role.victime")
    assert "confirm.yes" in chat.choices, chat.text
    assert "Pregnancy" in chat.last.text
    await chat.tap("confirm.yes")
    await chat.tap("commune.skip")
    await chat.tap("need.act")
    await chat.tap("needs.done")
    assert "6 years" in chat.text
    await chat.tap("info.partners")
    await chat.tap("partners.done")
    await chat.tap("followup.no")
    assert "Evans" not in chat.text and "7700" not in chat.text
    await chat.tap("consent.yes")
    assert "Recap of our exchange" in chat.text
    report = (await app.store.reports())[0]
    assert report.language == "en" and report.criteria[0] == "grossesse"
    assert report.domain == "emploi_prive" and report.needs == ("act",)
    assert "pregnant" in report.description and "Mark" not in report.description
