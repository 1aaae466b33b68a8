"""Nothing lost, nothing twice: restarts, kills, duplicates, forged buttons, Telegram's errors."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import App
from bot.store import Store
from tests.telegram.bot_api import Emulator
from tests.telegram.conftest import TOKEN, serving
from tests.telegram.person import Person, buttons

STORY = (
    "Le bailleur a refusé de me louer l'appartement quand il a vu mon nom, il a dit qu'il "
    "préférait des gens d'ici. Je suis d'origine marocaine."
)


@asynccontextmanager
async def bot_process(
    emu: Emulator, db: Path, *args: str, extra_env: dict[str, str] | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`allodiscri run` as its own process (stopped by its PID when the block ends)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emu.api_url,
        "ALLODISCRI_DB": str(db),
        **(extra_env or {}),
    }
    env.pop("ALLODISCRI_CONFIG", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def _kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    await process.wait()


async def test_a_killed_bot_loses_nothing_and_repeats_nothing(
    emu: Emulator, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    person = Person(emu.user(user_id=6001, first_name="C", language_code="fr"))
    async with bot_process(emu, db) as process:
        await person.say("/start")
        await person.press("role.victime")
        await _kill(process)
    # While the bot is down the person goes on writing: Telegram keeps the updates.
    person.user.send(STORY)
    async with bot_process(emu, db):
        await asyncio.sleep(0)
        await _until_question(person, "confirm.yes")
        await person.press("confirm.yes")
        await person.press("commune.Nantes")
        await person.press("needs.done")
        await person.press("info.partners")
        await person.press("partners.done")
        consent = person.last_question
        update = person.user.press(dict(buttons(consent))["consent.yes"])
        await _until_question(person, "closed.restart")
        emu.inject(update)  # Telegram delivers the same update again
        await person.user.quiet(0.5)
    store = await Store.open(db)
    try:
        assert len(await store.reports()) == 1
        assert await store.pending() == []
    finally:
        await store.close()
    assert sum("Récapitulatif" in m.get("text", "") for m in person.messages) == 1


async def test_kill_at_random_moments_while_people_write(emu: Emulator, tmp_path: Path) -> None:
    """Ten people write while the bot is killed three times: every message gets its answer."""
    db = tmp_path / "bot.sqlite3"
    people = [
        Person(emu.user(user_id=6100 + i, first_name=f"P{i}", language_code="fr"))
        for i in range(10)
    ]
    for person in people:
        person.user.send("/start")
    for delay in (0.05, 0.15, 0.3):
        async with bot_process(emu, db) as process:
            await asyncio.sleep(delay)
            for person in people:
                question = person.messages and buttons(person.messages[-1])
                if question and "role.victime" in person.choices:
                    person.user.press(person.label("role.victime"))
            await asyncio.sleep(delay)
            await _kill(process)
    async with bot_process(emu, db):
        for person in people:
            await _until_question(person, "story.skip", "role.victime")
            if "role.victime" in person.choices:
                await person.press("role.victime")
            assert "story.skip" in person.choices
            texts = [m["text"] for m in person.messages]
            # A reply in flight when the process dies may go out again at restart (Telegram
            # has no idempotent send): at most one per kill. Never lost, never out of order.
            assert len(texts) - len(set(texts)) <= 3, [t[:50] for t in texts]
            assert texts[0].startswith("Bonjour et bienvenue")
            assert "Racontez-moi" in texts[-1]


async def _until_question(person: Person, *any_of: str, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.01)):
        try:
            if set(any_of) & set(person.choices):
                return
        except AssertionError:
            pass
        await asyncio.sleep(0.01)
    raise AssertionError(f"no question offering {any_of}; last: {person.messages[-1:]}")


async def _until_outbox_empty(app: App, timeout: float = 5.0) -> None:
    """The last reply is on screen a moment before the bot hears back that it was delivered."""
    for _ in range(int(timeout / 0.01)):
        if not await app.store.pending():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"still in the outbox: {await app.store.pending()}")


async def test_the_same_update_twice_is_answered_once(emu: Emulator, bot: App) -> None:
    person = Person(emu.user(user_id=6201, first_name="D", language_code="fr"))
    await person.say("/start")
    await person.press("role.victime")
    sent: list[dict[str, object]] = []
    await person.send_update(lambda: sent.append(person.user.send(STORY)))
    count = len(person.messages)
    emu.inject(sent[0])  # Telegram delivers the same update again
    await person.user.quiet(0.5)
    assert len(person.messages) == count
    state = await bot.store.load("telegram:6201")
    assert state is not None and state.description.count("bailleur") == 1


async def test_forged_button_data_gets_a_clear_answer_and_the_question_again(
    emu: Emulator, bot: App
) -> None:
    person = Person(emu.user(user_id=6202, first_name="E", language_code="fr"))
    await person.say("/start")
    question = person.last_question
    answers_before = len(person.user.callback_answers)
    await person.send_update(lambda: person.user.press_data("role.admin'; DROP TABLE x;--"))
    assert "plus actif" in person.text or "n'est plus" in person.text
    assert person.choices == [d for d, _ in buttons(question)]  # the same question again
    assert buttons(person._current(question)) == buttons(question)  # its buttons untouched
    assert len(person.user.callback_answers) == answers_before + 1
    await person.press("role.temoin")
    assert "story.skip" in person.choices


async def test_an_old_button_is_no_longer_active_and_loses_its_buttons(
    emu: Emulator, bot: App
) -> None:
    person = Person(emu.user(user_id=6203, first_name="F", language_code="fr"))
    await person.say("/start")
    welcome = person.last_question
    await person.press("role.victime")
    await person.say(STORY)
    # Press a button of a question answered long ago (the welcome, before it was marked).
    old = dict(buttons(welcome))["role.temoin"]
    await person.send_update(lambda: person.user.press_data("role.temoin", welcome["message_id"]))
    assert "plus actif" in person.text or "n'est plus" in person.text, person.text
    assert old and "confirm.yes" in person.choices


async def test_media_edits_and_odd_text_get_kind_answers_and_nothing_is_kept(
    emu: Emulator, bot: App
) -> None:
    user = emu.user(user_id=6204, first_name="G", language_code="fr")
    person = Person(user)
    await person.say("/start")
    await person.press("role.victime")
    for action in (user.sticker, user.photo, user.voice, user.document, user.location):
        await person.send_update(action)
        assert "texte" in person.text, person.text
        assert "story.skip" in person.choices  # still at the same question
    sent: list[dict[str, object]] = []
    await person.send_update(lambda: sent.append(user.send("Premier jet")))
    message_id = sent[0]["message"]["message_id"]  # type: ignore[index]
    await person.send_update(lambda: user.edit(message_id, "Autre chose"))
    assert "modifi" in person.text
    for odd in ("🙂🙏😢", "مرحبا، تعرضت للتمييز في العمل", "/nimportequoi"):
        await person.say(odd)
        assert person.choices
    state = await bot.store.load("telegram:6204")
    assert state is not None and "Autre chose" not in state.description


async def test_ten_thousand_characters_come_back_split_within_telegrams_limit(
    emu: Emulator, bot: App
) -> None:
    person = Person(emu.user(user_id=6205, first_name="H", language_code="fr"))
    await person.say("/start")
    await person.press("role.victime")
    long_story = (STORY + " ") * 70  # ~10,000 characters
    assert len(long_story) > 9000
    await person.say(long_story)
    await _until_question(person, "confirm.yes")
    await person.press("confirm.yes")
    await person.press("commune.Nantes")
    await person.press("needs.done")
    await person.press("info.partners")
    await person.press("partners.done")
    assert len(person.turn) >= 3  # the consent shows the kept text: in several messages
    assert all(len(m["text"]) <= 4096 for m in person.turn)


async def test_groups_are_told_to_write_in_private_and_nothing_is_stored(
    emu: Emulator, bot: App
) -> None:
    alice = emu.user(user_id=6301, first_name="Alice", language_code="fr")
    group = emu.group(chat_id=-100777, title="Asso", members=[alice], creator=alice)
    group.send(alice, "/start@allodiscri_test_bot")
    [notice] = await group.replies(count=1, timeout=5)
    assert "@allodiscri_test_bot" in notice["text"] and "priv" in notice["text"]
    group.send(alice, "/help@allodiscri_test_bot")
    await group.quiet(0.5)  # no second notice so soon
    group.send(alice, "just chatting")  # not addressed to the bot: ignored
    assert await bot.store.load("telegram:-100777") is None


async def test_too_many_requests_is_waited_out_and_the_reply_arrives(
    emu: Emulator, bot: App
) -> None:
    person = Person(emu.user(user_id=6401, first_name="I", language_code="fr"))
    emu.fail_next("sendMessage", 429, retry_after=1)
    await person.say("/start")
    assert "anonyme" in person.text
    await _until_outbox_empty(bot)
    assert len(emu.calls_of("sendMessage")) == len(person.messages) + 1  # one refused, retried


async def test_a_person_who_blocked_the_bot_does_not_stop_the_others(
    emu: Emulator, bot: App
) -> None:
    gone = Person(emu.user(user_id=6402, first_name="J", language_code="fr"))
    await gone.say("/start")
    gone.user.block()
    gone.user.send("encore moi")
    other = Person(emu.user(user_id=6403, first_name="K", language_code="fr"))
    await other.say("/start")
    await _until_outbox_empty(bot)  # the undeliverable reply was dropped, not retried


async def test_a_reply_that_failed_to_send_goes_out_after_a_restart(
    emu: Emulator, tmp_path: Path
) -> None:
    person = Person(emu.user(user_id=6404, first_name="L", language_code="fr"))
    async with serving(emu, tmp_path) as app:
        await person.say("/start")
        emu.fail_next("sendMessage", 500, count=20)
        person.user.send("/help")
        await asyncio.sleep(0.5)
        assert await app.store.pending(), "the reply waits in the outbox"
    emu.fail_next("sendMessage", 200, count=0)
    async with serving(emu, tmp_path):
        await _until_question(person, "role.victime")
        await asyncio.sleep(0.2)
    assert any("/back" in m.get("text", "") for m in person.messages)


async def test_two_hundred_people_writing_at_once(emu: Emulator, bot: App) -> None:
    people = [
        Person(emu.user(user_id=7000 + i, first_name=f"U{i}", language_code=("fr", "en")[i % 2]))
        for i in range(200)
    ]
    for person in people:
        person.user.send("/start")
    for person in people:
        await _until_question(person, "role.victime")
    for person in people:
        person.user.press(person.label("role.temoin"))
    for person in people:
        await _until_question(person, "story.skip")
    for person in people:
        welcome = [m for m in person.messages if buttons(m) and "role.victime" in dict(buttons(m))]
        assert len(welcome) <= 1
        assert buttons(person.messages[-1])  # the last message is the question, in order


async def test_the_token_never_appears_in_the_logs(emu: Emulator, tmp_path: Path) -> None:
    person = Person(emu.user(user_id=6501, first_name="M", language_code="fr"))
    async with bot_process(emu, tmp_path / "bot.sqlite3", "--verbose") as process:
        await person.say("/start")
        emu.fail_next("sendMessage", 500)
        await person.press("role.victime")
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    log = stderr.decode()
    assert "polling Telegram" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert process.returncode == 0


async def test_run_with_a_refused_token_says_what_to_do(emu: Emulator, tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "42:wrong", "TELEGRAM_API_URL": emu.api_url}
    env["ALLODISCRI_DB"] = str(tmp_path / "x.sqlite3")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 2
    assert "BotFather" in stderr.decode()
    assert "wrong" not in stderr.decode()


async def test_added_to_a_group_the_bot_says_it_talks_in_private(emu: Emulator, bot: App) -> None:
    alice = emu.user(user_id=6601, first_name="Alice", language_code="fr")
    group = emu.group(chat_id=-100888, title="Collectif", members=[alice], creator=alice)
    me = {**emu.me}
    emu.inject(
        {
            "my_chat_member": {
                "chat": group.record.data,
                "from": alice.data,
                "date": 0,
                "old_chat_member": {"status": "left", "user": me},
                "new_chat_member": {"status": "member", "user": me},
            }
        }
    )
    [notice] = await group.replies(count=1, timeout=5)
    assert "@allodiscri_test_bot" in notice["text"]
    # Blocking the bot in private is an update too: nothing to say, and nothing breaks.
    emu.inject(
        {
            "my_chat_member": {
                "chat": alice.record.data,
                "from": alice.data,
                "date": 0,
                "old_chat_member": {"status": "member", "user": me},
                "new_chat_member": {"status": "kicked", "user": me, "until_date": 0},
            }
        }
    )
    person = Person(emu.user(user_id=6602, first_name="Bob", language_code="fr"))
    await person.say("/start")
    assert "anonyme" in person.text


async def test_a_failed_send_is_retried_and_nothing_overtakes_it(emu: Emulator, bot: App) -> None:
    person = Person(emu.user(user_id=6701, first_name="N", language_code="fr"))
    emu.fail_next("sendMessage", 500)  # the first message of the welcome fails once
    person.user.send("/start")
    await asyncio.sleep(0.3)
    person.user.send("/help")  # written while the welcome waits for its retry
    await _until_question(person, "role.victime")
    for _ in range(1000):
        if any("/back" in m["text"] for m in person.messages):
            break
        await asyncio.sleep(0.01)
    texts = [m["text"] for m in person.messages]
    assert texts[0].startswith("Bonjour et bienvenue"), texts
    assert "/back" in texts[-1] or "/back" in texts[-2], texts  # help came after the welcome
    assert sum(t.startswith("Bonjour et bienvenue") for t in texts) == 1, texts
    await _until_outbox_empty(bot)


async def test_a_step_that_keeps_failing_gets_an_apology_and_the_bot_goes_on(
    emu: Emulator, bot: App, tmp_path: Path
) -> None:
    key = "telegram:6801"
    person = Person(emu.user(user_id=6801, first_name="O", language_code="en"))
    await person.say("/start")
    with sqlite3.connect(tmp_path / "allodiscri.sqlite3") as db:  # a state this code can't read
        db.execute("UPDATE conversations SET state = ? WHERE key = ?", ('{"v": 999}', key))
    person.user.send("hello?")
    for _ in range(1000):
        if "Sorry" in person.messages[-1]["text"]:
            break
        await asyncio.sleep(0.01)
    assert "Sorry" in person.messages[-1]["text"]  # in the person's Telegram language
    other = Person(emu.user(user_id=6802, first_name="P", language_code="fr"))
    await other.say("/start")
    assert "anonyme" in other.text
