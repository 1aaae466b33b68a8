"""The bot's command menu (`setMyCommands`) in each catalogue language.

Rule: the menu lists what a person may need at any moment; its descriptions are catalogue
messages like every other sentence. The default menu (no language) is the territory's language.
"""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.i18n import LANGUAGES, Renderer
from flows import N_, msg

MENU = {
    "start": N_("menu.start"),
    "help": N_("menu.help"),
    "language": N_("menu.language"),
    "person": N_("menu.person"),
    "forget": N_("menu.forget"),
    "privacy": N_("menu.privacy"),
}


def commands(renderer: Renderer, lang: str) -> list[BotCommand]:
    return [BotCommand(name, renderer.message(msg(msgid), lang)) for name, msgid in MENU.items()]


async def set_menu(bot: Bot, renderer: Renderer, default_language: str) -> None:
    for lang in LANGUAGES:
        await bot.set_my_commands(commands(renderer, lang), language_code=lang)
    await bot.set_my_commands(commands(renderer, default_language))
