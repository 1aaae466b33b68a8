"""Logging for the services: one line per event, and never the bot token.

Rule: the token is part of every Bot API address, and HTTP libraries log addresses; so the HTTP
clients' request lines are silenced and a filter masks the token in whatever is still logged.
Message contents are never logged by our own code (only update ids and error types).
"""

from __future__ import annotations

import logging

from bot.settings import Settings

MASK = "<token>"
CHATTY = ("httpx", "httpcore", "aiohttp.access")


class TokenFilter(logging.Filter):
    """Replaces the secret values in a record's formatted message (and drops its args)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(secret in text for secret in self._secrets):
            for secret in self._secrets:
                text = text.replace(secret, MASK)
            record.msg, record.args = text, None
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            if any(secret in str(error) for secret in self._secrets):
                record.exc_info, record.exc_text = None, None
                record.msg = f"{record.msg} ({type(error).__name__}, details hidden)"
        return True


def configure(settings: Settings, level: int = logging.INFO) -> None:
    secrets = [settings.telegram_token.value] if settings.telegram_token else []
    if settings.webhook_secret:
        secrets.append(settings.webhook_secret.value)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(TokenFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
