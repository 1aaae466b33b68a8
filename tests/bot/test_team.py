"""The team's rules over the real engine, store and catalogues (no Telegram): escalation,
hours, contact back, take over, hand back, close, erase, and the follow-up tables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App, open_app
from flows import Event, ToTeam
from flows.operate import Act, TeamAction
from flows.sheet import Sheet, pseudonym
from flows.state import TeamStatus
from tests.chat import Chat
from tests.conftest import MONDAY_MORNING, SATURDAY_NIGHT, Clock, settings_for

GROUP = -100777


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_MORNING)


@pytest.fixture
async def desk_app(tmp_path: Path, clock: Clock) -> AsyncIterator[App]:
    settings = replace(settings_for(tmp_path), operators_group=GROUP)
    async with open_app(settings, clock=clock) as app:
        yield app


@pytest.fixture
def person(desk_app: App) -> Chat:
    return Chat(desk_app.engine, key="telegram:4242", channel="telegram")


STORY = (
    "Je m'appelle Nadia Benali, le bailleur m'a refusé l'appartement quand il a vu mon voile. "
    "Mon numéro : 06 11 22 33 44."
)


async def _operate(app: App, act: Act, text: str = "", operator: str = "Camille") -> list[str]:
    """An operator action; returns the person's replies (texts)."""
    outcome = await app.engine.operate("telegram:4242", "telegram", TeamAction(act, operator, text))
    assert outcome is not None
    return [item.message.text for item in outcome.items]


async def _posts(app: App) -> list[str]:
    return [post.text for post in await app.store.team_pending()]


async def test_asking_for_a_person_opens_a_follow_up_with_a_scrubbed_sheet(
    desk_app: App, person: Chat
) -> None:
    await person.start()
    await person.tap("role.victime")
    await person.say(STORY)
    await person.command("/person")
    assert "transmis votre demande" in person.text
    assert "team.contact_yes" in [c for m in person.turn for c, _ in m.choices]
    [escalation] = await desk_app.store.queue()
    assert escalation.status == "waiting" and escalation.key == "telegram:4242"
    sheet = Sheet.from_json(escalation.sheet)
    assert sheet.reason == "asked" and sheet.lang == "fr" and sheet.role == "victime"
    assert "Benali" not in sheet.description and "06 11" not in sheet.description
    assert "voile" in sheet.description
    [opened] = await _posts(desk_app)
    assert "Fiche de suivi" in opened and "Benali" not in opened and "4242" not in opened
    assert "en attente" in opened


async def test_in_hours_the_person_is_told_soon_and_out_of_hours_when(
    desk_app: App, person: Chat, clock: Clock
) -> None:
    await person.start()
    await person.command("/person")
    assert "dans les meilleurs délais" in person.text
    assert "02 40 41 95 96" in person.text
    other = Chat(desk_app.engine, key="telegram:5555", channel="telegram")
    clock.at = SATURDAY_NIGHT
    await other.start()
    await other.command("/person")
    assert "à partir de lundi 30 novembre à 09:00" in other.text, other.text


async def test_out_of_hours_in_english_says_the_day_in_english(desk_app: App, clock: Clock) -> None:
    clock.at = SATURDAY_NIGHT
    chat = Chat(desk_app.engine, key="telegram:6", channel="telegram")
    await chat.start()
    await chat.command("/language en")
    await chat.command("/person")
    assert "Monday 30 November" in chat.text, chat.text


async def test_public_holidays_are_not_working_days(desk_app: App, clock: Clock) -> None:
    clock.at = datetime(2026, 12, 24, 20, 0, tzinfo=MONDAY_MORNING.tzinfo)  # Christmas next
    chat = Chat(desk_app.engine, key="telegram:7", channel="telegram")
    await chat.start()
    await chat.command("/person")
    assert "samedi 26 décembre" not in chat.text
    assert "lundi 28 décembre à 09:00" in chat.text, chat.text


async def test_without_an_operators_group_the_person_gets_the_phone_lines(app: App) -> None:
    chat = Chat(app.engine, key="telegram:8", channel="telegram")
    await chat.start()
    await chat.command("/person")
    assert "02 40 41 95 96" in chat.text and "3928" in chat.text.replace(" ", "")
    assert await app.store.queue() == []


async def test_the_console_is_never_taken_over(desk_app: App) -> None:
    chat = Chat(desk_app.engine)  # console
    await chat.start()
    await chat.command("/person")
    assert await desk_app.store.queue() == []


async def test_take_over_relay_both_ways_hand_back_and_close(desk_app: App, person: Chat) -> None:
    await person.start()
    await person.tap("role.victime")
    await person.say(STORY)
    await person.command("/person")
    await person.tap("team.contact_yes")
    replies = await _operate(desk_app, Act.TAKE)
    assert replies == [
        "Camille, de l'équipe, est là et lit vos messages. Écrivez comme vous voulez."
    ]
    state = await desk_app.store.load(person.key)
    assert state is not None and state.team is not None and state.team.live
    stage = state.stage
    before = len(await _posts(desk_app))
    await person.say("Merci, je ne sais pas quoi faire")
    assert person.turn == [], "the bot stays quiet while a member of the team talks"
    posts = await _posts(desk_app)
    assert posts[before:] == ["👤 Merci, je ne sais pas quoi faire"]
    assert (await desk_app.store.load(person.key)).stage is stage  # type: ignore[union-attr]
    [said] = await _operate(desk_app, Act.SAY, "Bonjour, je vous écoute.")
    assert said == "💬 Camille (équipe) :\nBonjour, je vous écoute."
    await person.send(Event.unsupported("media"))
    assert "que du texte" in person.text
    left = await _operate(desk_app, Act.HAND_BACK)
    assert "laissé avec moi" in left[0] and len(left) == 2  # and the question where it was
    await person.say("Merci")
    assert person.turn, "the bot answers again"
    closing = await _operate(desk_app, Act.CLOSE)
    assert "clôturé" in closing[0] and any("Récapitulatif" in r for r in closing)
    [report] = await desk_app.store.reports()
    assert report.escalated and report.outcome == "closed_by_team"
    escalation = await desk_app.store.escalation_of(person.key)
    assert escalation is not None and escalation.status == "closed"  # contact back agreed


async def test_contact_back_only_with_consent_and_within_retention(
    desk_app: App, person: Chat, clock: Clock
) -> None:
    await person.start()
    await person.command("/person")
    await person.tap("team.contact_no")
    await _operate(desk_app, Act.CLOSE)
    assert (await desk_app.store.escalation_of(person.key)).status == "ended"  # type: ignore[union-attr]
    assert await _operate(desk_app, Act.SAY, "Bonjour") == []
    assert "terminé" in (await _posts(desk_app))[-1]
    other = Chat(desk_app.engine, key="telegram:4242", channel="telegram")
    await other.command("/person")  # asks again: a new follow-up, the question again
    await other.tap("team.contact_yes")
    await _operate(desk_app, Act.CLOSE)
    clock.at = MONDAY_MORNING + timedelta(days=2)
    [back, said] = await _operate(desk_app, Act.SAY, "Avez-vous pu joindre l'avocat ?")
    assert "comme vous l'aviez accepté" in back and "avocat" in said
    await _operate(desk_app, Act.CLOSE)  # closes the exchange again: no second record
    assert len(await desk_app.store.reports()) == 1
    clock.at = MONDAY_MORNING + timedelta(days=40)
    assert await _operate(desk_app, Act.SAY, "Encore moi") == []
    assert "délai de conservation" in (await _posts(desk_app))[-1]


async def test_writing_to_a_waiting_person_takes_over(desk_app: App, person: Chat) -> None:
    await person.start()
    await person.command("/person")
    replies = await _operate(desk_app, Act.SAY, "Bonjour !", operator="")
    assert replies[0].startswith("Une personne de l'équipe est là")
    assert replies[1] == "💬 L'équipe :\nBonjour !"
    assert (await desk_app.store.escalation_of(person.key)).status == "taken"  # type: ignore[union-attr]


async def test_a_second_member_cannot_take_what_a_colleague_has(
    desk_app: App, person: Chat
) -> None:
    await person.start()
    await person.command("/person")
    await _operate(desk_app, Act.TAKE, operator="Camille")
    assert await _operate(desk_app, Act.TAKE, operator="Sami") == []
    assert "Camille" in (await _posts(desk_app))[-1]


async def test_danger_words_alert_the_team_after_the_numbers(desk_app: App, person: Chat) -> None:
    await person.start()
    await person.say("mon voisin m'a dit qu'il allait me tuer ce soir")
    assert person.turn[0].text.count("17") or "112" in person.turn[0].text  # numbers first
    assert "prévenu l'équipe" in person.text
    [escalation] = await desk_app.store.queue()
    assert escalation.urgent and Sheet.from_json(escalation.sheet).reason == "danger"
    await _operate(desk_app, Act.TAKE)
    await person.say("j'ai peur il va me tuer")
    posts = await _posts(desk_app)
    assert "mots de danger" in posts[-2] and posts[-1].startswith("👤")


async def test_notes_stay_in_the_sheet_and_never_reach_the_person(
    desk_app: App, person: Chat
) -> None:
    await person.start()
    await person.command("/person")
    assert await _operate(desk_app, Act.NOTE, "rappeler lundi") == []
    escalation = await desk_app.store.escalation_of(person.key)
    assert escalation is not None and escalation.notes[0]["text"] == "rappeler lundi"
    assert all("rappeler" not in m.text for m in person.messages)


async def test_erasing_blanks_the_follow_up_and_tells_the_team(desk_app: App, person: Chat) -> None:
    await person.start()
    await person.say(STORY)
    await person.command("/person")
    await _operate(desk_app, Act.TAKE)
    await person.command("/forget")
    await person.tap("erase.yes")
    escalation = await desk_app.store.escalation(1)
    assert escalation is not None and escalation.key is None and escalation.status == "erased"
    assert escalation.sheet == "{}" and escalation.notes == ()
    assert "effacé ses données" in (await _posts(desk_app))[-1]
    gone = await desk_app.engine.operate(person.key, "telegram", TeamAction(Act.SAY, "", "x"))
    assert gone is not None and gone.items == [] and gone.refused


async def test_the_sheet_follows_what_the_conversation_understands(
    desk_app: App, person: Chat
) -> None:
    await person.start()
    await person.command("/person")
    assert Sheet.from_json((await desk_app.store.queue())[0].sheet).criteria == ()
    await person.tap("team.contact_yes")
    await person.tap("role.victime")
    await person.say(STORY)
    await person.tap("confirm.yes")
    sheet = Sheet.from_json((await desk_app.store.queue())[0].sheet)
    assert "religion" in sheet.criteria and sheet.domain == "logement_prive"


async def test_restart_while_with_the_team_goes_back_to_the_bot(
    desk_app: App, person: Chat
) -> None:
    await person.start()
    await person.command("/person")
    await _operate(desk_app, Act.TAKE)
    await person.command("/restart")
    assert "reprenez avec moi" in person.text and "role.victime" in person.choices
    assert (await desk_app.store.escalation_of(person.key)).status == "returned"  # type: ignore[union-attr]
    assert "revenue au bot" in (await _posts(desk_app))[-1]


async def test_followup_offered_when_the_directory_is_not_enough(
    desk_app: App, person: Chat
) -> None:
    await person.start()
    await person.tap("role.tiers_pro")
    await person.say(
        "Je suis éducatrice. Un jeune que je suis s'est vu refuser un stage à cause de son nom."
    )
    while "confirm.yes" not in person.choices:
        await person.tap(person.choices[0])
    await person.tap("confirm.yes")
    await person.tap("commune.Nantes")
    await person.tap("needs.done")
    await person.tap("info.partners")
    await person.tap("partners.done")
    assert "followup.yes" in person.choices
    await person.tap("followup.yes")
    [escalation] = await desk_app.store.queue()
    assert Sheet.from_json(escalation.sheet).reason == "professional"
    assert Sheet.from_json(escalation.sheet).partners  # partners already proposed are listed


async def test_stale_contact_buttons_are_refused(desk_app: App, person: Chat) -> None:
    await person.start()
    await person.tap("role.victime")
    await person.send(Event.tap("team.contact_yes"))  # never asked: forged
    assert "plus actif" in person.text
    state = await desk_app.store.load(person.key)
    assert state is not None and state.team is None


def test_pseudonyms_are_unique_and_readable() -> None:
    names = {pseudonym(n) for n in range(1, 500)}
    assert len(names) == 499 and pseudonym(22) == "Saule 22"


def test_team_messages_never_name_the_chat() -> None:
    assert ToTeam.__dataclass_fields__.keys() == {"body", "kind"}
    assert TeamStatus.TAKEN.value == "taken"


async def test_asking_again_after_a_hand_back_keeps_the_same_follow_up(
    desk_app: App, person: Chat
) -> None:
    await person.start()
    await person.command("/person")
    await person.tap("team.contact_yes")
    await _operate(desk_app, Act.NOTE, "a déjà appelé la ligne")
    await _operate(desk_app, Act.TAKE)
    await _operate(desk_app, Act.HAND_BACK)
    await person.command("/person")
    assert "transmis votre demande" in person.text
    assert "team.contact_yes" not in person.choices, "consent is asked once"
    [escalation] = await desk_app.store.queue()
    assert escalation.status == "waiting" and escalation.id == 1
    assert escalation.notes[0]["text"] == "a déjà appelé la ligne"
    assert "de nouveau" in (await _posts(desk_app))[-1]


BAD_WHILE_TAKEN = [
    Event.tap("role.victime"),  # an old button
    Event.tap("x" * 64),  # forged data
    Event.command_line("/frobnicate"),
    Event.unsupported("edited"),
    Event.say("🙂🙂🙂"),
    Event.say("مرحبا، أحتاج مساعدة"),
    Event.say("x" * 10_000),
]


async def test_bad_inputs_while_with_the_team_lose_nothing(desk_app: App, person: Chat) -> None:
    await person.start()
    await person.tap("role.victime")
    await person.command("/person")
    await person.tap("team.contact_yes")
    await _operate(desk_app, Act.TAKE)
    before = await desk_app.store.load(person.key)
    relayed = len(await _posts(desk_app))
    for event in BAD_WHILE_TAKEN:
        replies = await person.send(event)
        after = await desk_app.store.load(person.key)
        assert after is not None and after.stage is before.stage  # type: ignore[union-attr]
        assert after.team is not None and after.team.live
        if event.kind.value == "text":
            assert replies == [] and (await _posts(desk_app))[-1].endswith(event.text[-50:])
        else:
            assert replies and not replies[-1].choices, f"a plain answer to {event}"
    assert len(await _posts(desk_app)) == relayed + 3


async def test_follow_ups_are_purged_with_the_conversations(desk_app: App, person: Chat) -> None:
    await person.start()
    await person.command("/person")
    await _operate(desk_app, Act.TAKE)
    assert await desk_app.store.queue()
    await desk_app.store.purge(MONDAY_MORNING + timedelta(days=29), 30)
    assert await desk_app.store.queue(), "kept within the retention delay"
    await desk_app.store.purge(MONDAY_MORNING + timedelta(days=31), 30)
    assert await desk_app.store.queue() == [] and await desk_app.store.team_pending() == []
    assert await desk_app.store.load(person.key) is None
