"""Settings, read once from the environment and an optional TOML file; the token is masked.

Rule: nothing below this module reads the environment. Precedence: command-line options, then
environment variables, then the TOML file named by ALLODISCRI_CONFIG, then defaults.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_data_path


@dataclass(frozen=True, slots=True)
class Secret:
    """A value that never shows in logs, tracebacks or reprs."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


ENV = {
    "territory": "ALLODISCRI_TERRITORY",
    "data_dir": "ALLODISCRI_DATA_DIR",
    "database": "ALLODISCRI_DB",
    "telegram_token": "TELEGRAM_BOT_TOKEN",
    "default_language": "ALLODISCRI_LANGUAGE",
    "retention_days": "ALLODISCRI_RETENTION_DAYS",
    "telegram_api_url": "TELEGRAM_API_URL",
    "webhook_url": "ALLODISCRI_WEBHOOK_URL",
    "webhook_listen": "ALLODISCRI_WEBHOOK_LISTEN",
    "webhook_port": "ALLODISCRI_WEBHOOK_PORT",
    "webhook_secret": "ALLODISCRI_WEBHOOK_SECRET",
    "operators_group": "ALLODISCRI_OPERATORS_GROUP",
}
"""Each setting and the environment variable that sets it (also the keys of the TOML file)."""


def default_database() -> Path:
    return user_data_path("allodiscri") / "allodiscri.sqlite3"


@dataclass(frozen=True, slots=True)
class Settings:
    territory: str = "nantes"
    data_dir: Path | None = None
    database: Path = field(default_factory=default_database)
    telegram_token: Secret | None = None
    default_language: str = "fr"
    retention_days: int = 30
    telegram_api_url: str = "https://api.telegram.org/bot"
    """The Bot API server: Telegram's, a self-hosted `telegram-bot-api`, or a test emulator."""
    webhook_url: str | None = None
    """Public HTTPS address Telegram posts updates to; polling when unset."""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: Secret | None = None
    """Checked on every webhook request; a random one is made at each start when unset."""
    operators_group: int | None = None
    """The operators' Telegram group; overrides the territory file's `operators.group`."""

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from a TOML file, then the environment, then explicit overrides."""
        env = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        config = env.get("ALLODISCRI_CONFIG")
        if config:
            with open(config, "rb") as handle:
                raw.update(tomllib.load(handle))
        for name, variable in ENV.items():
            if env.get(variable):
                raw[name] = env[variable]
        raw.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(raw) - set(ENV)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(cls(), **_typed(raw))  # type: ignore[arg-type]


def _typed(raw: dict[str, object]) -> dict[str, object]:
    typed = dict(raw)
    if "data_dir" in typed:
        typed["data_dir"] = Path(str(typed["data_dir"]))
    if "database" in typed:
        typed["database"] = Path(str(typed["database"])).expanduser()
    if "telegram_token" in typed:
        typed["telegram_token"] = Secret(str(typed["telegram_token"]))
    if "webhook_secret" in typed:
        typed["webhook_secret"] = Secret(str(typed["webhook_secret"]))
    if "webhook_port" in typed:
        typed["webhook_port"] = int(str(typed["webhook_port"]))
    if "operators_group" in typed:
        typed["operators_group"] = int(str(typed["operators_group"]))
    if "retention_days" in typed:
        typed["retention_days"] = int(str(typed["retention_days"]))
    return typed
