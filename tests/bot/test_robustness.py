"""Every bad input gets a clear reply and loses nothing, at every step of the script."""

from __future__ import annotations

import pytest

from bot.app import App, open_app
from flows import Event, EventKind, Stage
from tests.chat import Chat
from tests.conftest import MONDAY_MORNING, settings_for

STORY = (
    "Mon patron m'a licenciée quand il a appris que j'étais enceinte, il a dit qu'une femme "
    "enceinte ne servait à rien dans son équipe."
)

# The taps (or texts) that lead from the welcome to each stage, on the victim's path.
PATH: list[tuple[Stage, str]] = [
    (Stage.WELCOME, ""),
    (Stage.STORY, "tap:role.victime"),
    (Stage.CONFIRM, "say:" + STORY),
    (Stage.COMMUNE, "tap:confirm.yes"),
    (Stage.NEEDS, "tap:commune.Nantes"),
    (Stage.INFO, "tap:needs.done"),
    (Stage.PARTNERS, "tap:info.partners"),
    (Stage.CONSENT, "tap:partners.done"),
    (Stage.CLOSED, "tap:consent.yes"),
]


async def _walk_to(chat: Chat, stage: Stage) -> None:
    await chat.start()
    for reached, action in PATH[1:] if stage is not Stage.WELCOME else ():
        kind, _, value = action.partition(":")
        await (chat.tap(value) if kind == "tap" else chat.say(value))
        if reached is stage:
            break
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.stage is stage


BAD_INPUTS = [
    Event.command_line("/frobnicate"),
    Event.tap("role.astronaut"),  # forged button data
    Event.tap("x" * 64),
    Event(EventKind.UNSUPPORTED),  # sticker, photo, voice…
    Event.tap("confirm.yes"),  # a real id, but stale at most stages
]


@pytest.mark.parametrize("stage", [s for s, _ in PATH], ids=lambda s: s.value)
async def test_bad_inputs_get_a_reply_and_change_nothing(chat: Chat, stage: Stage) -> None:
    await _walk_to(chat, stage)
    before = await chat.engine.store.load(chat.key)
    for event in BAD_INPUTS:
        if stage is Stage.CONFIRM and event.choice == "confirm.yes":
            continue  # at this stage it is the right answer
        replies = await chat.send(event)
        assert replies, f"no reply to {event} at {stage}"
        assert replies[-1].choices or stage is Stage.STORY, "the question is asked again"
        after = await chat.engine.store.load(chat.key)
        assert after is not None and after.stage is stage
        assert after.description == before.description  # type: ignore[union-attr]
        assert after.criteria == before.criteria  # type: ignore[union-attr]


async def test_forged_button_is_refused_kindly(chat: Chat) -> None:
    await chat.start()
    await chat.send(Event.tap("role.president"))
    assert "plus actif" in chat.text
    assert "role.victime" in chat.choices


async def test_unknown_command_is_named_and_help_is_offered(chat: Chat) -> None:
    await chat.start()
    await chat.command("/frobnicate now")
    assert "/frobnicate" in chat.text and "/help" in chat.text


@pytest.mark.parametrize(
    "text",
    [
        "😡😡😡 on m'a refusé l'entrée de la boîte parce que je suis noir 😡",
        "رفضوا تأجيري الشقة لأنني عربي",
        "x" * 10_000,
        ("On m'a refusé un logement à cause de mon origine. " * 200)[:10_000],
    ],
    ids=["emoji", "rtl", "10k-chars", "10k-words"],
)
async def test_odd_texts_are_answered_and_kept_scrubbed(chat: Chat, text: str) -> None:
    await chat.start()
    await chat.tap("role.victime")
    replies = await chat.say(text)
    assert replies and replies[-1].choices
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.description
    assert state.stage is not Stage.STORY or state.is_answered("story_nudge")


async def test_story_first_then_role(chat: Chat) -> None:
    """Someone who writes their story before pressing anything is not asked to repeat it."""
    await chat.start()
    await chat.say("Bonjour, mon proprio refuse de louer à des étrangers, il me l'a dit en face.")
    assert "role.victime" in chat.choices
    await chat.tap("role.victime")
    assert "Racontez" not in chat.text
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.stage is not Stage.STORY


async def test_a_greeting_is_not_a_story(chat: Chat) -> None:
    await chat.start()
    await chat.tap("role.victime")
    await chat.say("bonjour")
    assert "un peu plus" in chat.text
    await chat.say("on m'a refusé un appart car je suis noir")
    assert "confirm.yes" in chat.choices


async def test_same_update_delivered_twice_is_processed_once(chat: Chat, app: App) -> None:
    await chat.start()
    first = await chat.send(Event.tap("role.victime"), update_id=41)
    again = await chat.send(Event.tap("role.victime"), update_id=41)
    assert first and again == []
    state = await app.store.load(chat.key)
    assert state is not None and state.stage is Stage.STORY and state.history == (Stage.WELCOME,)


async def test_restart_in_the_middle_resumes_from_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = settings_for(tmp_path)
    async with open_app(settings, clock=lambda: MONDAY_MORNING) as app:
        chat = Chat(app.engine)
        await chat.start()
        await chat.tap("role.victime")
        await chat.say(STORY)
        assert "confirm.yes" in chat.choices
    async with open_app(settings, clock=lambda: MONDAY_MORNING) as app:
        chat = Chat(app.engine)
        await chat.send(Event(EventKind.RESUME))
        assert "Reprenons" in chat.text
        assert "confirm.yes" in chat.choices
        await chat.tap("confirm.yes")
        assert "commune.Nantes" in chat.choices


async def test_replies_committed_but_not_sent_go_out_after_a_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = settings_for(tmp_path)
    async with open_app(settings, clock=lambda: MONDAY_MORNING) as app:
        await app.engine.handle("console:crash", "console", Event(EventKind.START))
        # the process dies here: committed, never delivered
    async with open_app(settings, clock=lambda: MONDAY_MORNING) as app:
        chat = Chat(app.engine, key="console:crash")
        assert await app.engine.flush(chat.port, chat.key) == 2
        assert "bienvenue" in chat.messages[0].text
        assert await app.engine.flush(chat.port, chat.key) == 0


async def test_back_goes_to_the_previous_question(chat: Chat) -> None:
    await chat.start()
    await chat.tap("role.victime")
    await chat.tap("nav.back")
    assert "role.victime" in chat.choices
    await chat.command("/back")
    assert "précédente" in chat.text


async def test_danger_first_at_any_step(chat: Chat) -> None:
    await chat.start()
    await chat.tap("role.victime")
    await chat.say(STORY)
    await chat.tap("confirm.yes")
    replies = await chat.say("il a dit qu'il allait me tuer si je parlais")
    assert "17" in replies[0].text and "112" in replies[0].text
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.urgent and state.stage is Stage.COMMUNE


async def test_suicidal_words_get_the_suicide_line_first(chat: Chat) -> None:
    await chat.start()
    replies = await chat.say("je n'en peux plus, j'ai envie d'en finir")
    assert "3114" in replies[0].text


async def test_erase_removes_the_record(chat: Chat, app: App) -> None:
    await _walk_to(chat, Stage.CLOSED)
    assert len(await app.store.reports()) == 1
    await chat.tap("nav.forget")
    await chat.tap("erase.yes")
    assert "effacé" in chat.text
    assert await app.store.reports() == []
    state = await app.store.load(chat.key)
    assert state is not None and state.stage is Stage.WELCOME and state.closed_refs == ()


async def test_erase_can_be_cancelled(chat: Chat) -> None:
    await _walk_to(chat, Stage.NEEDS)
    await chat.command("/forget")
    await chat.tap("erase.no")
    assert "Rien n'a été effacé" in chat.text
    assert "needs.done" in chat.choices


async def test_language_switch_at_any_step_keeps_the_answers(chat: Chat) -> None:
    await _walk_to(chat, Stage.COMMUNE)
    await chat.command("/language")
    await chat.tap("lang.en")
    assert "In which town" in chat.text
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.criteria and state.stage is Stage.COMMUNE


async def test_english_first_message_switches_to_english(chat: Chat) -> None:
    await chat.start()
    await chat.say("Hello, my landlord refused to rent me the flat because I am black")
    assert "I'll answer in English" in chat.text


async def test_person_is_offered_with_the_line_and_recorded(chat: Chat, app: App) -> None:
    await _walk_to(chat, Stage.NEEDS)
    await chat.tap("nav.person")
    assert "02 40 41 95 96" in chat.text and "3928" in chat.text.replace(" ", "")
    await chat.tap("needs.done")
    await chat.tap("info.partners")
    await chat.tap("partners.done")
    await chat.tap("consent.no")
    assert (await app.store.reports())[0].escalated


async def test_text_after_close_is_answered(chat: Chat) -> None:
    await _walk_to(chat, Stage.CLOSED)
    await chat.say("merci beaucoup")
    assert "terminé" in chat.text
    assert "closed.restart" in chat.choices
    await chat.tap("closed.restart")
    assert "role.victime" in chat.choices


# Routes to the stages that are not on the victim's straight path.
DETOURS: dict[Stage, list[str]] = {
    Stage.SITUATION: ["tap:role.victime", "tap:story.skip"],
    Stage.FAMILY: ["tap:role.victime", "tap:story.skip", "tap:dont_know"],
    Stage.FAMILY_CRITERION: [
        "tap:role.victime",
        "tap:story.skip",
        "tap:dont_know",
        "tap:family.origine",
    ],
    Stage.DOMAIN: [
        "tap:role.victime",
        "tap:story.skip",
        "tap:dont_know",
        "tap:family.origine",
        "tap:family.only",
    ],
    Stage.CRITERION: ["tap:role.victime", "say:" + STORY, "tap:confirm.criterion"],
    Stage.THANKS: ["tap:role.temoin", "say:" + STORY, "tap:confirm.yes", "tap:commune.Nantes"],
    Stage.FOLLOWUP: [
        "tap:role.tiers_pro",
        "say:" + STORY,
        "tap:confirm.yes",
        "tap:commune.Nantes",
        "tap:needs.done",
        "tap:info.partners",
        "tap:partners.done",
    ],
    Stage.LANGUAGE: ["tap:role.victime", "cmd:/language"],
    Stage.ERASE: ["tap:role.victime", "cmd:/forget"],
}


async def _detour(chat: Chat, stage: Stage) -> None:
    await chat.start()
    for action in DETOURS[stage]:
        kind, _, value = action.partition(":")
        if kind == "tap":
            await chat.tap(value)
        elif kind == "say":
            await chat.say(value)
        else:
            await chat.command(value)
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.stage is stage, state


def test_every_stage_is_covered_by_the_bad_input_tests() -> None:
    assert {s for s, _ in PATH} | set(DETOURS) == set(Stage)


@pytest.mark.parametrize("stage", list(DETOURS), ids=lambda s: s.value)
async def test_bad_inputs_off_the_main_path(chat: Chat, stage: Stage) -> None:
    await _detour(chat, stage)
    before = await chat.engine.store.load(chat.key)
    for event in (*BAD_INPUTS, Event.say("🙂")):
        replies = await chat.send(event)
        assert replies and replies[-1].choices, f"no question again after {event} at {stage}"
        after = await chat.engine.store.load(chat.key)
        assert after is not None and after.stage is stage
        assert after.criteria == before.criteria  # type: ignore[union-attr]
        assert after.role == before.role  # type: ignore[union-attr]


async def test_the_whole_qualification_by_buttons(chat: Chat, app: App) -> None:
    """Someone who prefers not to write can still qualify the situation with buttons alone."""
    await _detour(chat, Stage.DOMAIN)
    await chat.tap("domain.logement_prive")
    assert "Origine, couleur de peau" in chat.last.text  # the family, since no precise ground
    await chat.tap("confirm.yes")
    await chat.tap("commune.skip")
    await chat.tap("needs.done")
    await chat.tap("info.partners")
    assert "consent.yes" not in chat.choices
    await chat.tap("partners.done")  # no description: no consent question, straight to the recap
    report = (await app.store.reports())[0]
    assert report.family == "origine" and report.criteria == ()
    assert report.domain == "logement_prive" and report.description == ""


async def test_words_answer_the_question_when_they_clearly_do(chat: Chat) -> None:
    await _detour(chat, Stage.DOMAIN)
    await chat.say("c'était au boulot, avec mon chef")
    assert "confirm.yes" in chat.choices
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.domain == "emploi_prive"
    assert "boulot" in state.description  # what was typed is kept, scrubbed


async def test_words_that_do_not_answer_keep_the_question(chat: Chat) -> None:
    await _detour(chat, Stage.FAMILY)
    await chat.say("je sais pas trop")
    assert "family.origine" in chat.choices
    assert "Merci, je l'ajoute" in chat.text


async def test_a_new_story_after_the_close_opens_a_new_exchange(chat: Chat, app: App) -> None:
    await _walk_to(chat, Stage.CLOSED)
    await chat.say("Autre chose : à la mairie on a refusé d'inscrire mon fils à la cantine")
    assert "nouvel échange" in chat.text
    assert "role.tiers_proche" in chat.choices
    state = await app.store.load(chat.key)
    assert state is not None and state.stage is Stage.WELCOME and state.description
    assert state.history == () and len(state.closed_refs) == 1


async def test_a_greeting_at_the_welcome_is_answered_not_taken_as_a_story(chat: Chat) -> None:
    await chat.start()
    await chat.say("Bonjour")
    assert "Je suis là pour vous écouter" in chat.text
    await chat.tap("role.victime")
    assert "Racontez-moi" in chat.text  # the story is still asked


async def test_no_at_the_confirmation_asks_what_to_correct(chat: Chat) -> None:
    await _walk_to(chat, Stage.CONFIRM)
    await chat.say("non")
    assert "que faut-il corriger" in chat.text
    assert "confirm.criterion" in chat.choices
    state = await chat.engine.store.load(chat.key)
    assert state is not None and "non" not in state.description.split()


async def test_asking_for_a_person_in_words_works_at_any_step(chat: Chat) -> None:
    await _walk_to(chat, Stage.COMMUNE)
    await chat.say("je veux parler à quelqu'un")
    assert "Vous pouvez parler à une personne" in chat.text
    assert "commune.Nantes" in chat.choices


async def test_a_chosen_language_is_kept_whatever_language_the_story_is_in(chat: Chat) -> None:
    await chat.start()
    await chat.command("/language en")
    await chat.tap("role.victime")
    await chat.say("On m'a refusé un appartement à cause de mon origine, l'agence me l'a dit.")
    assert "Here is what I understood" in chat.text


@pytest.mark.parametrize("stage", [Stage.SITUATION, Stage.FAMILY, Stage.DOMAIN], ids=str)
async def test_i_dont_know_in_words_is_the_dont_know_answer(chat: Chat, stage: Stage) -> None:
    await _detour(chat, stage)
    await chat.say("je sais pas")
    state = await chat.engine.store.load(chat.key)
    assert state is not None and state.stage is not stage


async def test_i_dont_know_the_town(chat: Chat) -> None:
    await _walk_to(chat, Stage.COMMUNE)
    await chat.say("I don’t know")
    assert "needs.done" in chat.choices


async def test_start_and_restart_as_first_words_greet_once(app: App) -> None:
    for first in ("/start", "/restart"):
        chat = Chat(app.engine, key=f"console:{first}")
        await chat.send(Event.command_line(first))
        assert chat.text.count("anonyme") >= 1
        assert sum("bienvenue" in m.text for m in chat.messages) == 1, first
        assert "role.victime" in chat.choices
