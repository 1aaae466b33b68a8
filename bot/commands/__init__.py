"""The CLI's nouns; each module registers its subcommands (see `bot.cli`)."""

from bot.commands import (
    anonymise,
    console,
    directory,
    flows,
    locales,
    reports,
    run,
    triage,
)

COMMANDS = (run, console, triage, anonymise, directory, reports, locales, flows)
"""In the order `allodiscri --help` lists them."""
