"""From a Telegram `Update` to what the core understands: one function, one path in.

Rule: every update the bot receives goes through `read_update`, which says what it is for — a
private conversation (an `Event` and its key), a group the bot was added to (a kind notice, nothing
stored), or nothing to do. No per-stage handlers live here: the core decides what an event means.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, Message, Update

from bot.i18n import LANGUAGES
from flows import Event, EventKind

CHANNEL = "telegram"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
"""The update types the bot asks Telegram for (everything else is never sent to us)."""


def chat_key(chat_id: int) -> str:
    """The conversation key of a private chat (kept in the store, never in a report)."""
    return f"{CHANNEL}:{chat_id}"


def chat_of(key: str) -> int:
    channel, _, chat_id = key.partition(":")
    if channel != CHANNEL:
        raise ValueError(f"not a Telegram conversation: {key}")
    return int(chat_id)


@dataclass(frozen=True, slots=True)
class Pressed:
    """The button a person pressed: the query to answer and the message that carried it."""

    query_id: str
    chat_id: int
    message_id: int | None
    message_html: str
    buttons: tuple[tuple[str, str], ...]
    """(callback data, label) of the pressed message's keyboard, as it was when pressed."""
    data: str

    @property
    def label(self) -> str | None:
        """The label of the pressed button, if the data is one of that message's buttons."""
        return next((label for data, label in self.buttons if data == self.data), None)


@dataclass(frozen=True, slots=True)
class Private:
    """Something a person did in their private chat with the bot."""

    update_id: int
    chat_id: int
    event: Event
    language: str | None
    pressed: Pressed | None = None

    @property
    def key(self) -> str:
        return chat_key(self.chat_id)


@dataclass(frozen=True, slots=True)
class InGroup:
    """A message to the bot in a group: it only talks in private, and says so."""

    update_id: int
    chat_id: int
    reply_to: int | None
    thread_id: int | None
    joined: bool = False
    """The bot was just added to this group."""


@dataclass(frozen=True, slots=True)
class FromTeam:
    """A message in the operators' group (or an operator command elsewhere, to refuse)."""

    update_id: int
    chat_id: int
    message_id: int
    user_id: int
    first_name: str
    """The member's first name ("" for an anonymous administrator posting as the group)."""
    text: str | None
    """None for anything but text (photo, sticker…)."""
    thread_id: int | None
    reply_to: int | None
    edited: bool = False
    in_team_group: bool = True
    anonymous: bool = False
    query_id: str | None = None
    """A button pressed in the group (its data is read as the command it stands for)."""

    @property
    def command(self) -> tuple[str, str] | None:
        """(name, argument) when the text is a command, the '@bot' suffix dropped."""
        text = self.text or ""
        if not text.startswith("/") or len(text) < 2 or text[1].isspace():
            return None
        head, _, arg = text[1:].partition(" ")
        return head.split("@", 1)[0].lower(), arg.strip()


Inbound = Private | InGroup | FromTeam | None

TEAM_COMMANDS = frozenset({
    "take", "prendre", "handback", "rendre", "close", "clore", "queue", "file", "sheet",
    "fiche", "note", "write", "ecrire",
})  # fmt: skip
"""Operator commands; outside the operators' group they are refused, never run."""


def language_of(code: str | None) -> str | None:
    """The catalogue language for Telegram's `language_code` ("fr-BE" → fr), None if not ours."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def read_update(update: Update, bot_username: str, team_group: int | None = None) -> Inbound:
    """What an update asks of the bot (None: nothing, e.g. the bot was removed from a group)."""
    if update.callback_query is not None:
        if team_group is not None and _pressed_in(update, team_group):
            return _team_press(update)
        return _read_press(update)
    if update.my_chat_member is not None:
        member = update.my_chat_member
        joined = member.new_chat_member.status in ("member", "administrator")
        if member.chat.type != Chat.PRIVATE and joined and member.chat.id != team_group:
            return InGroup(update.update_id, member.chat.id, None, None, joined=True)
        return None
    message = update.message or update.edited_message
    if message is None or message.from_user is None:
        return None
    if message.chat.type != Chat.PRIVATE and message.chat_id == team_group:
        return _from_team(update, message, in_team_group=True)
    if message.from_user.is_bot:
        return None
    if message.chat.type != Chat.PRIVATE:
        if _team_command(message, bot_username):
            return _from_team(update, message, in_team_group=False)
        if not _addressed_to_bot(message, bot_username):
            return None
        return InGroup(update.update_id, message.chat_id, message.message_id, _thread(message))
    language = language_of(message.from_user.language_code)
    event = _event_of(message, edited=update.edited_message is not None)
    return Private(update.update_id, message.chat_id, event, language)


def _event_of(message: Message, edited: bool) -> Event:
    if edited:
        return Event.unsupported("edited")
    text = message.text
    if text is None:
        return Event.unsupported("media")
    if text.startswith("/") and len(text) > 1 and not text[1].isspace():
        return Event.command_line(text)
    return Event.say(text)


def _read_press(update: Update) -> Inbound:
    query = update.callback_query
    assert query is not None
    message = query.message
    if message is None or message.chat.type != Chat.PRIVATE:
        return None
    buttons: tuple[tuple[str, str], ...] = ()
    html = ""
    if isinstance(message, Message):
        html = message.text_html if message.text else ""
        if message.reply_markup is not None:
            buttons = tuple(
                (str(button.callback_data), button.text)
                for row in message.reply_markup.inline_keyboard
                for button in row
                if button.callback_data is not None
            )
    message_id = message.message_id if isinstance(message, Message) else None
    data = query.data or ""
    pressed = Pressed(query.id, message.chat.id, message_id, html, buttons, data)
    language = language_of(query.from_user.language_code)
    event = Event.tap(data) if data else Event(EventKind.UNSUPPORTED, arg="media")
    return Private(update.update_id, message.chat.id, event, language, pressed)


def _from_team(update: Update, message: Message, in_team_group: bool) -> FromTeam | None:
    user = message.from_user
    assert user is not None
    anonymous = message.sender_chat is not None and message.sender_chat.id == message.chat_id
    if user.is_bot and not anonymous:
        return None  # the bot's own messages, other bots
    replied = message.reply_to_message
    reply_to = None
    if replied is not None and not (
        message.is_topic_message and replied.message_id == message.message_thread_id
    ):
        reply_to = replied.message_id
    return FromTeam(
        update_id=update.update_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        user_id=user.id,
        first_name="" if anonymous else user.first_name,
        text=message.text,
        thread_id=_thread(message),
        reply_to=reply_to,
        edited=update.edited_message is not None,
        in_team_group=in_team_group,
        anonymous=anonymous,
    )


def _pressed_in(update: Update, chat_id: int) -> bool:
    message = update.callback_query.message if update.callback_query else None
    return message is not None and message.chat.id == chat_id


TEAM_BUTTON = "team."
"""Callback data of the group's buttons: "team.take:12" stands for the command /take 12."""


def _team_press(update: Update) -> FromTeam:
    query = update.callback_query
    assert query is not None and query.message is not None
    data = query.data or ""
    action, _, number = data.removeprefix(TEAM_BUTTON).partition(":")
    text = f"/{action} {number}" if data.startswith(TEAM_BUTTON) and number.isdigit() else ""
    message = query.message
    thread = message.message_thread_id if isinstance(message, Message) else None
    topic = isinstance(message, Message) and message.is_topic_message
    return FromTeam(
        update_id=update.update_id,
        chat_id=message.chat.id,
        message_id=message.message_id,
        user_id=query.from_user.id,
        first_name=query.from_user.first_name,
        text=text or None,
        thread_id=thread if topic else None,
        reply_to=None,
        query_id=query.id,
    )


def _team_command(message: Message, bot_username: str) -> bool:
    text = message.text or ""
    if not text.startswith("/"):
        return False
    head = text[1:].split(" ", 1)[0]
    name, _, target = head.partition("@")
    return name.lower() in TEAM_COMMANDS and target.lower() in ("", bot_username.lower())


def _addressed_to_bot(message: Message, bot_username: str) -> bool:
    """In a group, the bot speaks only when spoken to: a command, a mention, a reply to it."""
    text = message.text or message.caption or ""
    mention = f"@{bot_username}".lower()
    if mention in text.lower() or text.startswith("/"):
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.username == bot_username)


def _thread(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None
