"""The operators' group and a person's chat side by side: real python-telegram-bot over HTTP to
the emulator. Escalate, take over, talk both ways, hand back, close with recap and record, write
back after the close, refuse what must be refused, survive a restart."""

from __future__ import annotations

import asyncio
import shutil
import time
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import bot.telegram.desk as desk_module
from directory.load import BUILTIN_DATA
from tests.conftest import MONDAY_MORNING, SATURDAY_NIGHT, Clock
from tests.telegram.bot_api import Emulator, Group, User
from tests.telegram.conftest import serving
from tests.telegram.person import Person, wait_until

_until = partial(wait_until, timeout=5.0)

GROUP = -1001234
STORY = (
    "Je m'appelle Kévin Marchal. L'agence immobilière a refusé mon dossier pour l'appartement "
    "quand ils ont vu que je suis d'origine maghrébine. Mon numéro : 06 12 34 56 78"
)


async def _next(user: User, before: int, count: int = 1, timeout: float = 5.0) -> list[Any]:
    """The bot's messages to a person after the first `before` (plain messages: no buttons)."""
    deadline = time.monotonic() + timeout
    while len(user.messages) < before + count:
        if time.monotonic() > deadline:
            got = [m.get("text") for m in user.messages[before:]]
            raise AssertionError(f"waited for {count} messages to the person, got {got}")
        await asyncio.sleep(0.005)
    return user.messages[before : before + count]


async def _escalated(person: Person, team: Group) -> dict[str, Any]:
    """The person tells their story and asks for a person; returns the group's first post."""
    await person.say("/start")
    await person.press("role.victime")
    await person.say(STORY)
    await person.say("/person")
    assert "transmis votre demande" in person.text
    assert person.choices == ["team.contact_yes", "team.contact_no"]
    [opened] = await team.replies(1)
    return opened


def _identity_absent(text: str, user: User) -> None:
    for secret in ("Kévin", "Marchal", "06 12", str(user.id), "kevin_m"):
        assert secret not in text, f"{secret!r} shown to the team"


@pytest.fixture
def members(emu: Emulator) -> tuple[User, User]:
    return emu.user(9001, "Camille"), emu.user(9002, "Sami")


async def test_forum_group_take_over_talk_hand_back_close_and_write_back(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, sami = members
    team = emu.group(GROUP, "Équipe AlloNantes", forum=True, members=[camille, sami])
    user = emu.user(5001, "Kévin", "fr", username="kevin_m")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP) as app:
        opened = await _escalated(person, team)
        thread = opened["message_thread_id"]
        assert team.topics[thread].startswith("⏳ Aulne 1 · Discrimination")  # waiting
        assert "Origine" in team.topics[thread] and "Logement" in team.topics[thread]
        assert "Fiche de suivi" in opened["text"] and "en attente" in opened["text"]
        _identity_absent(opened["text"] + team.topics[thread], user)
        assert "[NAME]" in opened["text"] or "[PHONE]" in opened["text"]  # scrubbed words

        await person.press("team.contact_yes")
        assert "pourra vous écrire" in person.text
        [agreed] = await team.replies(1)
        assert agreed["message_thread_id"] == thread and "accepte" in agreed["text"]

        before = len(user.messages)
        team.send(camille, "/take", thread_id=thread)
        [joined] = await _next(user, before)
        assert joined["text"].startswith("Camille, de l'équipe, est là")
        [taken] = await team.replies(1)
        assert "Pris en charge par Camille" in taken["text"]
        await _until(lambda: team.topics[thread].startswith("💬 Aulne 1"), "the title: taken")

        user.send("Je ne sais plus quoi faire pour ce logement")
        [relayed] = await team.replies(1)
        assert relayed["message_thread_id"] == thread
        assert relayed["text"].endswith("👤 Je ne sais plus quoi faire pour ce logement")
        _identity_absent(relayed["text"], user)

        before = len(user.messages)
        team.send(camille, "Je comprends. Avez-vous gardé le mail de refus ?", thread_id=thread)
        [said] = await _next(user, before)
        assert (
            said["text"]
            == "💬 Camille (équipe) :\nJe comprends. Avez-vous gardé le mail de refus ?"
        )
        assert not said.get("reply_markup"), "no buttons while a member of the team talks"

        team.photo(camille, thread_id=thread)
        [refused] = await team.replies(1)
        assert "Seul le texte" in refused["text"]
        user.sticker()
        [text_only] = await _next(user, before + 1)
        assert "que du texte" in text_only["text"]

        team.send(camille, "/note rappeler lundi, elle a le mail", thread_id=thread)
        [kept] = await team.replies(1)
        assert "Note ajoutée" in kept["text"]
        team.send(sami, "/sheet", thread_id=thread)
        [sheet] = await team.replies(1)
        assert "rappeler lundi" in sheet["text"] and "prise en charge par Camille" in sheet["text"]
        team.send(sami, "/queue")
        [queue] = await team.replies(1)
        assert "Aulne 1" in queue["text"] and "Camille" in queue["text"]
        await asyncio.sleep(0.2)
        assert all("rappeler" not in m["text"] for m in user.messages), "notes stay internal"

        before = len(user.messages)
        team.send(camille, "/handback", thread_id=thread)
        handed = await _next(user, before, 2)
        assert "laissé avec moi" in handed[0]["text"] and handed[1].get("reply_markup")
        [back] = await team.replies(1)
        assert "Rendu au bot" in back["text"]

        before = len(user.messages)
        team.send(camille, "/close", thread_id=thread)
        closing = await _next(user, before, 3)
        assert "clôturé cet échange" in closing[0]["text"]
        assert "Récapitulatif" in closing[1]["text"] and "AD-" in closing[1]["text"]
        [closed] = await team.replies(1)
        assert "Clôturé" in closed["text"] and "jusqu'au" in closed["text"]
        [report] = await app.store.reports()
        assert report.escalated and report.outcome == "closed_by_team"
        assert "origine" in report.criteria and report.domain == "logement_prive"

        before = len(user.messages)
        team.send(camille, "Bonjour, avez-vous pu avancer avec l'agence ?", thread_id=thread)
        again = await _next(user, before, 2)
        assert "comme vous l'aviez accepté" in again[0]["text"]
        assert again[1]["text"].endswith("avez-vous pu avancer avec l'agence ?")
        await team.replies(1)  # "taken over" again
        user.send("Oui, ils m'ont rappelé, merci !")
        [answer] = await team.replies(1)
        assert answer["text"].endswith("👤 Oui, ils m'ont rappelé, merci !")
        team.send(camille, "/close", thread_id=thread)
        await team.replies(1)
        team.send(camille, "/close", thread_id=thread)  # ends the follow-up for good
        [ended] = await team.replies(1)
        assert "Suivi terminé" in ended["text"]
        await _until(lambda: thread in team.record.closed_topics, "the ended topic closed")
        await _until(lambda: team.topics[thread].startswith("✅ Aulne 1"), "the title: ended")
        assert len(await app.store.reports()) == 1, "one situation, one record"
        team.send(camille, "Encore une question ?", thread_id=thread)
        [nothing] = await team.replies(1)
        assert "rien n'a été envoyé" in nothing["text"] or "terminé" in nothing["text"]


async def test_plain_group_answers_by_reply_and_out_of_hours_when(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=False, members=[camille])
    user = emu.user(5002, "Lina", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, at=SATURDAY_NIGHT, operators_group=GROUP) as app:
        opened = await _escalated(person, team)
        assert "à partir de lundi 30 novembre à 09:00" in person.text
        assert "message_thread_id" not in opened and opened["text"].startswith("🔔 Aulne 1")
        await person.press("team.contact_yes")
        await team.replies(1)

        before = len(user.messages)
        team.send(camille, "Bonsoir, je suis là.", reply_to=opened["message_id"])
        joined, said = await _next(user, before, 2)
        assert "Camille" in joined["text"] and said["text"].endswith("Bonsoir, je suis là.")
        [taken] = await team.replies(1)
        assert taken["reply_to_message"]["message_id"] == opened["message_id"]

        user.send("Merci beaucoup")
        [relayed] = await team.replies(1)
        assert relayed["text"].endswith("👤 Merci beaucoup")
        team.send(camille, "Je vous en prie.", reply_to=relayed["message_id"])  # any of its posts
        [polite] = await _next(user, before + 2)
        assert polite["text"].endswith("Je vous en prie.")

        team.send(camille, "café quelqu'un ?")  # the team talking among themselves: not relayed
        team.send(camille, "/close")  # no follow-up named: the bot asks which
        [which] = await team.replies(1)
        assert "Quel suivi" in which["text"]
        before = len(user.messages)
        team.send(camille, "/close 1")
        await _next(user, before, 3)
        [closed] = await team.replies(1)
        assert "Clôturé" in closed["text"]
        assert [r.outcome for r in await app.store.reports()] == ["closed_by_team"]
        before = len(user.messages)
        team.send(camille, "/write 1 Bonjour Lina, avez-vous des nouvelles ?")  # the outgoing call
        again, said = await _next(user, before, 2)
        assert "comme vous l'aviez accepté" in again["text"]
        assert said["text"].endswith("Bonjour Lina, avez-vous des nouvelles ?")


async def test_a_non_member_cannot_command_and_nothing_changes(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille])
    stranger = emu.user(6666, "Intrus", "fr")
    elsewhere = emu.group(-100999, "Autre groupe", members=[stranger])
    person = Person(emu.user(5003, "Yanis", "fr"))
    async with serving(emu, tmp_path, operators_group=GROUP) as app:
        await _escalated(person, team)
        with pytest.raises(AssertionError, match="not a member"):
            team.send(stranger, "/take 1")  # Telegram would not even deliver it

        elsewhere.send(stranger, "/take 1")
        [refused] = await elsewhere.replies(1)
        assert "ne fonctionnent que dans le groupe de l'équipe" in refused["text"]
        elsewhere.send(stranger, "/write 1 donne-moi ton nom")
        [refused_again] = await elsewhere.replies(1)
        assert "groupe de l'équipe" in refused_again["text"]

        intruder = Person(stranger)
        await intruder.say("/take 1")  # in private: just an unknown command for a person
        assert "Je ne connais pas la commande /take" in intruder.text

        escalation = await app.store.escalation(1)
        assert escalation is not None and escalation.status == "waiting"
        assert all("donne-moi" not in m["text"] for m in person.user.messages)
        await team.quiet(0.2)


async def test_a_restart_loses_nothing_and_a_redelivered_update_relays_once(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille])
    user = emu.user(5004, "Inès", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP):
        opened = await _escalated(person, team)
        thread = opened["message_thread_id"]
        before = len(user.messages)
        team.send(camille, "/take", thread_id=thread)
        await _next(user, before)
        await team.replies(1)
    # the bot is down: both sides keep writing
    user.send("Vous êtes toujours là ?")
    update = team.send(camille, "Oui, je suis là.", thread_id=thread)
    before = len(user.messages)
    async with serving(emu, tmp_path, operators_group=GROUP):
        [relayed] = await team.replies(1)
        assert relayed["text"].endswith("👤 Vous êtes toujours là ?")
        assert relayed["message_thread_id"] == thread, "the same topic after the restart"
        [said] = await _next(user, before)
        assert said["text"].endswith("Oui, je suis là.")
        emu.inject(update)  # Telegram delivers the same update again
        await asyncio.sleep(0.5)
        assert sum(m["text"].endswith("Oui, je suis là.") for m in user.messages) == 1
        await team.quiet(0.1)
    assert len(team.topics) == 1


async def test_an_unanswered_request_is_recalled_to_the_group(
    emu: Emulator,
    tmp_path: Path,
    members: tuple[User, User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(desk_module, "REMIND_EVERY", 0.05)
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille])
    person = Person(emu.user(5005, "Malik", "fr"))
    clock = Clock(MONDAY_MORNING)
    async with serving(emu, tmp_path, clock=clock, operators_group=GROUP):
        await _escalated(person, team)
        await team.quiet(0.3)  # too early
        clock.at = MONDAY_MORNING + timedelta(minutes=21)
        [reminder] = await team.replies(1)
        assert reminder["text"].startswith("⏰ Aulne 1") and "/take 1" in reminder["text"]
        assert "21 minutes" in reminder["text"]
        await team.quiet(0.3)  # once per delay, not at every look
        clock.at = MONDAY_MORNING + timedelta(minutes=42)
        await team.replies(1)
        clock.at = MONDAY_MORNING.replace(hour=19)  # after hours: nobody to recall
        await team.quiet(0.3)


async def test_danger_words_reach_the_person_first_and_the_group_as_urgent(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille])
    user = emu.user(5006, "Eva", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP):
        await person.say("/start")
        await person.say("mon voisin dit qu'il va me tuer ce soir")
        assert "17" in person.turn[0]["text"] or "112" in person.turn[0]["text"]
        assert "prévenu l'équipe" in person.text
        [opened] = await team.replies(1)
        assert opened["text"].startswith("🔔 Aulne 1") and "⚠️" in opened["text"]
        assert team.topics[opened["message_thread_id"]].startswith("⏳ ⚠️ Aulne 1")


async def test_the_take_over_button_and_a_colleague_who_comes_second(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, sami = members
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille, sami])
    user = emu.user(5007, "Noé", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP):
        opened = await _escalated(person, team)
        before = len(user.messages)
        team.press(sami, opened, "✋ Prendre en charge")
        [joined] = await _next(user, before)
        assert joined["text"].startswith("Sami, de l'équipe, est là")
        [taken] = await team.replies(1)
        assert "Pris en charge par Sami" in taken["text"] and "Fiche de suivi" in taken["text"]
        team.press(camille, opened, "✋ Prendre en charge")
        [second] = await team.replies(1)
        assert "Déjà pris en charge par Sami" in second["text"]
        assert len(sami.callback_answers) == 1 and len(camille.callback_answers) == 1
        await asyncio.sleep(0.2)
        assert len(user.messages) == before + 1, "the person hears about one member only"


@pytest.mark.parametrize("forum", [True, False], ids=["topics", "replies"])
async def test_erasing_removes_what_the_group_kept_of_the_person(
    emu: Emulator, tmp_path: Path, members: tuple[User, User], forum: bool
) -> None:
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=forum, members=[camille])
    user = emu.user(5008, "Rose", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP) as app:
        opened = await _escalated(person, team)
        thread = opened.get("message_thread_id")
        before = len(user.messages)
        team.send(
            camille, "Bonjour Rose, je vous lis.", reply_to=opened["message_id"], thread_id=thread
        )
        await _next(user, before, 2)
        await team.replies(1)
        user.send("Mon propriétaire s'appelle Durand")
        await team.replies(1)
        await person.say("/forget")
        await person.press("erase.yes")
        told = "effacé ses données"
        await _until(
            lambda: any(told in m.get("text", "") for m in team.record.messages.values()),
            "the team told",
        )
        left = [m.get("text", "") for m in team.record.messages.values()]
        assert not any("Durand" in t or "je vous lis" in t or "Fiche" in t for t in left), left
        if forum:
            assert thread not in team.topics
        escalation = await app.store.escalation(1)
        assert escalation is not None and escalation.key is None and escalation.sheet == "{}"
        posted = len(team.messages)
        team.send(camille, "/sheet 1")  # nothing left to show
        await _until(lambda: len(team.messages) > posted, "an answer")
        assert "Ce suivi est terminé" in team.messages[-1]["text"]


async def test_a_group_message_that_fails_is_sent_later_once(
    emu: Emulator,
    tmp_path: Path,
    members: tuple[User, User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(desk_module, "RETRY_DELAY", 0.1)
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=False, members=[camille])
    person = Person(emu.user(5009, "Jade", "fr"))
    async with serving(emu, tmp_path, operators_group=GROUP) as app:
        emu.fail_next("sendMessage", None, chat_id=GROUP)  # the connection drops once
        opened = await _escalated(person, team)
        assert opened["text"].startswith("🔔 Aulne 1")
        await team.quiet(0.3)
        assert await app.store.team_pending() == []
        emu.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=GROUP, count=50)
        await person.press("team.contact_no")
        await asyncio.sleep(0.3)
        assert len(await app.store.team_pending()) == 1, "kept while the group is unreachable"
    emu.fail_next("sendMessage", None, count=0)
    async with serving(emu, tmp_path, operators_group=GROUP) as app:
        [notice] = await team.replies(1)
        assert "ne souhaite pas" in notice["text"]
        assert await app.store.team_pending() == []


async def test_the_team_learns_when_a_person_can_no_longer_be_reached(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille])
    user = emu.user(5010, "Léo", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP):
        opened = await _escalated(person, team)
        thread = opened["message_thread_id"]
        user.block()
        team.send(camille, "Bonjour, je suis là.", thread_id=thread)
        posts = await team.replies(2)  # "taken over", and (in either order) "not delivered"
        [undelivered] = [m for m in posts if "Non remis" in m["text"]]
        assert undelivered["message_thread_id"] == thread


async def test_an_english_speaking_team_that_signs_as_the_team(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUILTIN_DATA, data)
    path = data / "territories" / "nantes.yaml"
    text = path.read_text(encoding="utf-8").replace("  language: fr", "  language: en")
    path.write_text(text.replace("sign_with_first_name: true", "sign_with_first_name: false"))
    camille, _ = members
    team = emu.group(GROUP, "Team", forum=True, members=[camille])
    user = emu.user(5011, "Ana", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP, data_dir=data):
        opened = await _escalated(person, team)
        assert "Follow-up sheet" in opened["text"] and "Discrimination" in opened["text"]
        assert "Housing" in team.topics[opened["message_thread_id"]]
        before = len(user.messages)
        team.send(camille, "Bonjour, je suis là.", thread_id=opened["message_thread_id"])
        joined, said = await _next(user, before, 2)
        assert joined["text"].startswith("Une personne de l'équipe est là")
        assert said["text"] == "💬 L'équipe :\nBonjour, je suis là."
        assert all("Camille" not in m["text"] for m in user.messages)
        [taken] = await team.replies(1)
        assert "Taken over by Camille" in taken["text"], "the team still sees who answered"


async def test_an_edit_in_the_group_is_neither_relayed_nor_run(
    emu: Emulator, tmp_path: Path, members: tuple[User, User]
) -> None:
    camille, _ = members
    team = emu.group(GROUP, "Équipe", forum=True, members=[camille])
    user = emu.user(5012, "Tom", "fr")
    person = Person(user)
    async with serving(emu, tmp_path, operators_group=GROUP) as app:
        opened = await _escalated(person, team)
        thread = opened["message_thread_id"]
        before = len(user.messages)
        sent = team.send(camille, "Bonjour Tom", thread_id=thread)["message"]
        await _next(user, before, 2)
        await team.replies(1)
        emu.inject({"edited_message": {**sent, "text": "/close", "edit_date": 1}})
        [told] = await team.replies(1)
        assert "modifications ne sont pas transmises" in told["text"]
        await asyncio.sleep(0.2)
        assert len(user.messages) == before + 2, "nothing more reached the person"
        assert (await app.store.escalation(1)).status == "taken"  # type: ignore[union-attr]
