"""Webhook mode: Telegram posts updates; the secret token is checked on every request."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp

from bot.settings import Secret
from tests.telegram.bot_api import Emulator
from tests.telegram.conftest import serving
from tests.telegram.person import Person

SECRET = "s3cret-Token_for-tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_serves_the_conversation_and_refuses_strangers(
    emu: Emulator, tmp_path: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    options = {
        "webhook_url": url,
        "webhook_listen": "127.0.0.1",
        "webhook_port": port,
        "webhook_secret": Secret(SECRET),
    }
    async with serving(emu, tmp_path, **options) as app:
        person = Person(emu.user(user_id=8001, first_name="W", language_code="fr"))
        await person.say("/start")
        assert "anonyme" in person.text
        sent: list[dict[str, object]] = []
        await person.send_update(
            lambda: sent.append(person.user.press(person.label("role.temoin")))
        )
        assert "story.skip" in person.choices
        count = len(person.messages)
        emu.inject(sent[0])  # delivered twice: answered once
        await person.user.quiet(0.5)
        assert len(person.messages) == count
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "hi",
                "chat": {"id": 8001, "type": "private"},
            },
        }
        async with aiohttp.ClientSession() as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
                async with client.post(url, json=forged, headers=headers) as response:
                    assert response.status == 403
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with client.post(url, data=b"not json", headers=headers) as response:
                assert response.status == 400
        assert len(person.messages) == count
        state = await app.store.load("telegram:8001")
        assert state is not None and state.role == "temoin"
    assert emu.calls_of("setWebhook")[-1]["secret_token"] == SECRET
