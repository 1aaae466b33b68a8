"""The helpline's scenarios on Telegram: real python-telegram-bot, HTTP, the emulator's buttons."""

from __future__ import annotations

from bot.app import App
from tests.telegram.bot_api import Emulator
from tests.telegram.person import Person, buttons


async def _qualified(person: Person) -> None:
    """Answer whatever qualification question is still open, then confirm."""
    for _ in range(6):
        if "confirm.yes" in person.choices:
            await person.press("confirm.yes")
            return
        for option in ("dont_know", "family.only", "family.autre"):
            if option in person.choices:
                await person.press(option)
                break
        else:
            raise AssertionError(f"unexpected question: {person.last_question['text']}")
    raise AssertionError("qualification did not end")


async def test_scenario_1_victim_presses_the_bots_buttons_to_the_recap(
    emu: Emulator, bot: App
) -> None:
    user = emu.user(user_id=5001, first_name="Kévin", language_code="fr")
    person = Person(user)
    await person.say("/start")
    assert "anonyme" in person.text
    assert "02 40 41 95 96" in person.text
    assert sum("Bonjour et bienvenue" in m["text"] for m in user.messages) == 1
    welcome = person.last_question
    await person.press("role.victime")
    # The pressed question lost its buttons and shows the answer under it.
    pressed = person._current(welcome)
    assert buttons(pressed) == []
    assert pressed["text"].endswith("✓ " + dict(buttons(welcome))["role.victime"])
    assert user.callback_answers, "every press is answered"
    await person.say(
        "Je m'appelle Kévin Marchal. L'agence immobilière du 12 rue des Olivettes a refusé mon "
        "dossier pour l'appartement quand ils ont vu que je suis d'origine maghrébine. "
        "Mon numéro c'est le 06 12 34 56 78"
    )
    assert "Logement" in person.text and "Origine" in person.text
    await person.press("confirm.yes")
    await person.press("commune.Nantes")
    needs = person.last_question
    ticked = await person.tick("need.orient")
    assert ticked["message_id"] == needs["message_id"]  # edited in place, no new message
    assert dict(buttons(ticked))["need.orient"].startswith("✓")
    await person.tick("need.act")
    await person.press("needs.done")
    assert "6 ans" in person.text
    await person.press("info.partners")
    assert "▸" in person.text
    await person.press("partners.done")
    await person.press("followup.no")  # needs to act: a follow-up by the team is offered
    assert "Marchal" not in person.text and "06 12" not in person.text
    await person.press("consent.yes")
    assert "Récapitulatif" in person.text
    [report] = await bot.store.reports()
    assert report.ref in person.text
    assert (report.role, report.domain, report.commune) == ("victime", "logement_prive", "Nantes")
    assert report.needs == ("orient", "act")
    assert "origine" in report.criteria
    stored = repr(report)
    for identifier in ("5001", "Kévin", "Marchal", "06 12 34 56 78", "Olivettes"):
        assert identifier not in stored
    assert len(user.callback_answers) == sum(1 for m, _ in emu.calls if m == "answerCallbackQuery")


async def test_scenario_1bis_relative_in_english_from_telegrams_language(
    emu: Emulator, bot: App
) -> None:
    user = emu.user(user_id=5002, first_name="Ann", language_code="en-GB")
    person = Person(user)
    await person.say("/start")
    assert "anonymous" in person.text  # English from Telegram's language_code
    await person.press("role.tiers_proche")
    await person.say(
        "My daughter was refused at a nightclub because she uses a wheelchair, the bouncer "
        "said disabled people are not allowed."
    )
    await _qualified(person)
    await person.say("reze")
    await person.tick("need.listen")
    await person.press("needs.done")
    assert "not legal advice" in person.text
    await person.press("info.partners")
    await person.press("partners.done")
    await person.press("consent.no")
    assert "Recap" in person.text
    [report] = await bot.store.reports()
    assert (report.role, report.language, report.commune) == ("tiers_proche", "en", "Rezé")
    assert report.criteria[0] == "handicap"
    assert report.description == ""


async def test_scenario_2_witness_is_thanked_and_the_record_is_kept(
    emu: Emulator, bot: App
) -> None:
    user = emu.user(user_id=5003, first_name="Léa", language_code="de")
    person = Person(user)
    await person.say("/start")
    assert "anonyme" in person.text  # a language we don't have: French
    await person.press("role.temoin")
    await person.say(
        "Dans ma boîte, la RH m'a demandé d'écarter les CV des candidats qui ont un nom "
        "à consonance africaine. Je ne suis pas concernée mais je trouve ça grave."
    )
    await _qualified(person)
    await person.say("Saint-Herblain")
    assert "Merci d'avoir pris la parole" in person.text
    await person.press("thanks.finish")
    await person.press("consent.yes")
    assert "Merci encore" in person.text
    [report] = await bot.store.reports()
    assert (report.role, report.domain, report.commune) == (
        "temoin",
        "emploi_prive",
        "Saint-Herblain",
    )


async def test_the_menu_is_set_in_each_language(emu: Emulator, bot: App) -> None:
    person = Person(emu.user(user_id=5004, first_name="A", language_code="fr"))
    await person.say("/start")  # the bot is up and serving
    names = ["start", "help", "language", "person", "forget", "privacy"]
    for lang, word in (("fr", "Effacer"), ("en", "Erase"), ("", "Effacer")):
        menu = emu.commands[("default", lang)]
        assert [c["command"] for c in menu] == names
        assert any(word in c["description"] for c in menu)


async def test_commands_from_the_menu_work_mid_conversation(emu: Emulator, bot: App) -> None:
    person = Person(emu.user(user_id=5005, first_name="B", language_code="fr"))
    await person.say("/start")
    await person.press("role.victime")
    await person.say("/language")
    await person.press("lang.en")
    assert "English" in person.text or "happened" in person.text
    await person.say("/help@allodiscri_test_bot")
    assert "/back" in person.text
    await person.say("/privacy")
    assert "never" in person.text
    await person.say("/forget")
    await person.press("erase.yes")
    assert await bot.store.load("telegram:5005") is None or "erase" in person.text.lower()


async def test_start_again_mid_conversation_resumes_and_restart_starts_over(
    emu: Emulator, bot: App
) -> None:
    person = Person(emu.user(user_id=5006, first_name="C", language_code="fr"))
    await person.say("/start")
    await person.press("role.temoin")
    await person.say("/start")  # the menu's "start or come back"
    assert "story.skip" in person.choices
    assert "Bonjour et bienvenue" not in person.text
    state = await bot.store.load("telegram:5006")
    assert state is not None and state.role == "temoin"
    await person.say("/restart")
    assert "role.victime" in person.choices
