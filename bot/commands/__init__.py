"""The CLI's nouns; each module registers its subcommands (see `bot.cli`)."""

from __future__ import annotations

import importlib
from types import ModuleType

_NAMES = ("run", "console", "triage", "anonymise", "directory", "reports", "locales", "flows")


def _load() -> tuple[ModuleType, ...]:
    modules = []
    for name in _NAMES:
        try:
            modules.append(importlib.import_module(f"bot.commands.{name}"))
        except ModuleNotFoundError as error:  # a command not written yet
            if error.name != f"bot.commands.{name}":
                raise
    return tuple(modules)


COMMANDS = _load()
