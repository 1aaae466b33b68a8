"""What every command shares: settings from the global options and the environment."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def settings_from(args: argparse.Namespace, **overrides: object) -> Settings:
    """Settings with the global --territory / --data-dir options applied."""
    return Settings.load(
        territory=getattr(args, "territory", None),
        data_dir=getattr(args, "data_dir", None),
        **overrides,
    )
