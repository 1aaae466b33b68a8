"""The emulator refuses what Telegram refuses, as python-telegram-bot sees it (keeps it honest)."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter

import bot.telegram  # noqa: F401  (PTB settings the bot uses)
from tests.telegram.bot_api import Emulator
from tests.telegram.conftest import TOKEN


@pytest.fixture
async def ptb(emu: Emulator) -> Bot:
    async with Bot(TOKEN, base_url=emu.api_url) as bot:
        yield bot


async def test_get_me_and_html_entities_in_utf16(emu: Emulator, ptb: Bot) -> None:
    assert ptb.username == "allodiscri_test_bot"
    emu.user(user_id=1, first_name="A")
    message = await ptb.send_message(1, "😀 <b>gras</b> &amp; <i>x</i>", parse_mode="HTML")
    assert message.text == "😀 gras & x"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 3, 4),
        ("italic", 10, 1),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "text is empty"),
        ("x" * 4097, "too long"),
        ("a < b", "can't parse entities"),
        ("<b>open", "can't parse entities"),
        ("<script>x</script>", "can't parse entities"),
    ],
)
async def test_texts_telegram_would_refuse(emu: Emulator, ptb: Bot, text: str, words: str) -> None:
    emu.user(user_id=1, first_name="A")
    with pytest.raises(BadRequest, match=r"(?i)" + words):
        await ptb.send_message(1, text, parse_mode="HTML")


async def test_buttons_edits_and_callback_answers(emu: Emulator, ptb: Bot) -> None:
    user = emu.user(user_id=1, first_name="A")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await ptb.send_message(1, "q", reply_markup=too_long)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="yes")]])
    sent = await ptb.send_message(1, "q", reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await ptb.edit_message_text("q", 1, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)not found"):
        await ptb.edit_message_text("z", 1, 999)
    press = user.press("Oui")
    [update] = await ptb.get_updates(timeout=1)
    assert update.update_id == press["update_id"]
    assert update.callback_query.data == "yes" and update.callback_query.message.text == "q"
    assert await ptb.answer_callback_query(update.callback_query.id)
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await ptb.answer_callback_query(update.callback_query.id)
    edited = await ptb.edit_message_text("q", 1, sent.message_id)  # no markup: keyboard removed
    assert edited.reply_markup is None and user.last.get("reply_markup") is None


async def test_offsets_and_long_polling(emu: Emulator, ptb: Bot) -> None:
    user = emu.user(user_id=1, first_name="A")
    first = user.send("un")
    assert [u.update_id for u in await ptb.get_updates()] == [first["update_id"]]
    assert [u.update_id for u in await ptb.get_updates()] == [first["update_id"]]  # unconfirmed
    assert await ptb.get_updates(offset=first["update_id"] + 1) == ()
    started = time.monotonic()
    poll = asyncio.ensure_future(ptb.get_updates(offset=first["update_id"] + 1, timeout=5))
    await asyncio.sleep(0.1)
    second = user.send("deux")
    [update] = await poll
    assert update.update_id == second["update_id"] and time.monotonic() - started < 1


async def test_errors_have_telegrams_codes(emu: Emulator, ptb: Bot) -> None:
    user = emu.user(user_id=1, first_name="A")
    user.block()
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await ptb.send_message(1, "x")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await ptb.send_message(2, "x")
    emu.fail_next("sendMessage", 429, retry_after=3)
    user.unblock()
    with pytest.raises(RetryAfter) as caught:
        await ptb.send_message(1, "x")
    assert caught.value.retry_after.total_seconds() == 3
    await ptb.set_webhook("http://127.0.0.1:9/hook", secret_token="ok-secret")
    with pytest.raises(Conflict):
        await ptb.get_updates()
    with pytest.raises(BadRequest, match=r"(?i)secret token"):
        await ptb.set_webhook("http://127.0.0.1:9/hook", secret_token="not allowed!")
    wrong = Bot("1:wrong", base_url=emu.api_url)
    with pytest.raises(InvalidToken):
        await wrong.initialize()
    await wrong.shutdown()


async def test_menus_are_kept_per_language(emu: Emulator, ptb: Bot) -> None:
    await ptb.set_my_commands([("start", "Commencer")], language_code="fr")
    assert [c.command for c in await ptb.get_my_commands(language_code="fr")] == ["start"]
    assert await ptb.get_my_commands(language_code="en") == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await ptb.set_my_commands([("Start-Now", "x")])
