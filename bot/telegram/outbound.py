"""From a rendered reply to Telegram messages: escaped HTML, split at the limit, inline buttons.

Rule: every text the bot sends is escaped (the person's own words come back in summaries and may
hold `<` or `&`), measured as Telegram measures it (UTF-16 code units after parsing), and cut
where a reader would cut it; the buttons ride on the last piece.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.i18n import Rendered

TEXT_LIMIT = 4096
"""Characters of one message after entity parsing (Telegram counts UTF-16 code units)."""
CALLBACK_DATA_LIMIT = 64
"""Bytes of a button's callback data."""
SHORT_LABEL = 16
"""Labels up to this length sit two to a row; longer ones get a row of their own."""
CHOSEN = "✓"


Keyboard = dict[str, list[list[dict[str, str]]]]
"""An inline keyboard as the Bot API reads it: rows of {text, callback_data}."""


class ButtonError(ValueError):
    """A choice id that Telegram would refuse as callback data (a bug in the data or the code)."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Telegram message: HTML text and, on the last piece of a reply, its keyboard."""

    html: str
    keyboard: Keyboard | None = None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def to_messages(rendered: Rendered, limit: int = TEXT_LIMIT) -> list[Outgoing]:
    """The Telegram messages that carry one reply, in order."""
    pieces = split_text(rendered.text, limit) or [" "]
    keyboard = keyboard_of(rendered.choices)
    last = len(pieces) - 1
    return [
        Outgoing(html.escape(piece, quote=False), keyboard if i == last else None)
        for i, piece in enumerate(pieces)
    ]


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut text into pieces of at most `limit` UTF-16 units: at paragraphs, lines, then words."""
    text = text.strip()
    pieces: list[str] = []
    while utf16_len(text) > limit:
        head = _prefix_within(text, limit)
        cut = _best_cut(head)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _prefix_within(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` UTF-16 units (never half a character)."""
    low, high = 0, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if utf16_len(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low]


def _best_cut(head: str) -> int:
    """Where to end a piece: the last paragraph, line or word break past half of it, else hard."""
    floor = len(head) // 2
    for separator in ("\n\n", "\n", " "):
        at = head.rfind(separator)
        if at > floor:
            return at + len(separator)
    return len(head)


def keyboard_of(choices: tuple[tuple[str, str], ...]) -> Keyboard | None:
    """Inline buttons whose callback data are the choice ids (checked against Telegram's limit)."""
    if not choices:
        return None
    rows: list[list[dict[str, str]]] = []
    for choice_id, label in choices:
        if not 0 < len(choice_id.encode()) <= CALLBACK_DATA_LIMIT:
            raise ButtonError(f"choice id {choice_id!r} does not fit Telegram's callback data")
        button = {"text": label, "callback_data": choice_id}
        short = len(label) <= SHORT_LABEL
        if short and rows and len(rows[-1]) == 1 and len(rows[-1][0]["text"]) <= SHORT_LABEL:
            rows[-1].append(button)
        else:
            rows.append([button])
    return {"inline_keyboard": rows}


def choice_ids(keyboard: Keyboard | None) -> tuple[str, ...]:
    if keyboard is None:
        return ()
    return tuple(button["callback_data"] for row in keyboard["inline_keyboard"] for button in row)


def marked_answer(message_html: str, label: str) -> str:
    """The pressed question with the person's answer under it, so the chat reads as a dialogue."""
    return f"{message_html}\n\n<i>{CHOSEN} {html.escape(label, quote=False)}</i>"
