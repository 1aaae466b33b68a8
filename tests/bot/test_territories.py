"""Phone hours in the conversation, and a second territory deployed by data alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.app import open_app
from directory.load import load_directory
from flows.cards import partner_card
from tests.chat import Chat
from tests.conftest import SATURDAY_NIGHT, settings_for


async def test_out_of_hours_says_when_the_line_opens_again(tmp_path: Path) -> None:
    async with open_app(settings_for(tmp_path), clock=lambda: SATURDAY_NIGHT) as app:
        chat = Chat(app.engine)
        await chat.start()
        assert "fermé en ce moment" in chat.text
        assert "lundi 30 novembre" in chat.text and "09:00" in chat.text
        await chat.command("/language en")
        await chat.command("/person")
        assert "Monday 30 November" in chat.text


async def test_nancy_runs_from_its_data_without_a_phone_line(tmp_path: Path) -> None:
    async with open_app(settings_for(tmp_path, "nancy"), clock=lambda: SATURDAY_NIGHT) as app:
        chat = Chat(app.engine)
        await chat.start()
        assert "Nancy" in chat.text
        assert "pas de ligne téléphonique locale" in chat.text
        await chat.tap("role.victime")
        await chat.say(
            "On m'a refusé un stage en entreprise parce que je porte le voile, "
            "le patron l'a dit clairement."
        )
        assert "confirm.yes" in chat.choices, chat.text
        await chat.tap("confirm.yes")
        assert "commune.Nancy" in chat.choices
        await chat.tap("commune.Nancy")
        await chat.tap("needs.done")
        await chat.tap("info.partners")
        assert "Téléphone : \n" not in chat.text  # never an empty contact
        await chat.tap("partners.done")
        await chat.tap("consent.no")
        report = (await app.store.reports())[0]
        assert report.territory == "nancy" and report.criteria[0] == "religion"


def test_partners_speak_english_to_english_readers_or_say_they_are_french() -> None:
    nantes = load_directory("nantes").partners[0]
    assert dict(partner_card(nantes, "en").params)["description"] == nantes.summary_en
    untranslated = replace(nantes, summary_en="")
    french = dict(partner_card(untranslated, "en").params)["description"]
    assert french.msgid == "partner.description_in_french"
    assert isinstance(dict(partner_card(nantes, "fr").params)["description"], str)
