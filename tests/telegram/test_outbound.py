"""Replies as Telegram messages: escaping, splitting at Telegram's limit, buttons that fit."""

from __future__ import annotations

import html

import pytest

from bot.app import App
from bot.i18n import Rendered
from bot.telegram.outbound import (
    CALLBACK_DATA_LIMIT,
    ButtonError,
    choice_ids,
    keyboard_of,
    marked_answer,
    split_text,
    to_messages,
    utf16_len,
)
from flows import Stage, State
from flows.questions import ROLES, ask


def test_text_is_escaped_so_the_persons_words_cannot_break_the_message() -> None:
    [message] = to_messages(Rendered("Vous avez écrit : <b>Tom & Jerry</b> a < b"))
    assert message.html == "Vous avez écrit : &lt;b&gt;Tom &amp; Jerry&lt;/b&gt; a &lt; b"
    assert html.unescape(message.html) == "Vous avez écrit : <b>Tom & Jerry</b> a < b"


def test_a_long_reply_is_cut_at_paragraphs_and_the_buttons_ride_on_the_last_piece() -> None:
    paragraphs = [f"Paragraphe {i} " + "mot " * 300 for i in range(5)]
    rendered = Rendered("\n\n".join(paragraphs), (("a", "Oui"), ("b", "Non")))
    messages = to_messages(rendered)
    assert len(messages) == 2
    assert all(utf16_len(html.unescape(m.html)) <= 4096 for m in messages)
    assert messages[0].keyboard is None
    assert choice_ids(messages[-1].keyboard) == ("a", "b")
    assert messages[1].html.startswith("Paragraphe 3")  # cut between paragraphs, none lost
    joined = " ".join(html.unescape(m.html) for m in messages).split()
    assert joined == rendered.text.split()


def test_emoji_count_double_as_telegram_counts_them() -> None:
    text = "😀" * 3000  # 6,000 UTF-16 code units, no space to cut at
    pieces = split_text(text)
    assert [utf16_len(p) for p in pieces] == [4096, 6000 - 4096]
    assert "".join(pieces) == text  # never half a character


def test_ten_thousand_characters_become_three_messages_with_every_word() -> None:
    words = [f"m{i % 100:02d}" for i in range(2500)]  # 2,500 x "mNN " = 10,000 characters
    pieces = split_text(" ".join(words))
    assert len(pieces) == 3
    assert " ".join(pieces).split() == words


def test_short_labels_pair_up_and_long_ones_get_their_own_row() -> None:
    keyboard = keyboard_of(
        (("lang.fr", "Français"), ("lang.en", "English"), ("x", "Une réponse bien plus longue"))
    )
    assert keyboard is not None
    rows = [[b["text"] for b in row] for row in keyboard["inline_keyboard"]]
    assert rows == [["Français", "English"], ["Une réponse bien plus longue"]]


def test_a_choice_id_longer_than_telegram_allows_is_a_bug_that_raises() -> None:
    with pytest.raises(ButtonError):
        keyboard_of((("x" * (CALLBACK_DATA_LIMIT + 1), "Trop long"),))


def test_the_pressed_answer_is_shown_under_the_question_escaped() -> None:
    assert (
        marked_answer("Qui écrit ?", "Moi & <eux>")
        == "Qui écrit ?\n\n<i>✓ Moi &amp; &lt;eux&gt;</i>"
    )


async def test_every_button_the_bot_can_offer_fits_in_callback_data(app: App) -> None:
    """All stages' questions for every territory item: each choice id fits in 64 bytes."""
    engine = app.engine
    ctx = engine._context("telegram", engine.now())
    directory = app.world.directory
    knowledge = app.world.knowledge
    states = [State(stage=stage, lang="fr", role=role) for stage in Stage for role in ROLES]
    ids = {c.id for s in states for c in ask(s, ctx).choices}
    ids |= {f"commune.{name}" for name in directory.territory.communes}
    ids |= {f"criterion.{c.id}" for c in knowledge.criteria}
    ids |= {f"family.{f.id}" for f in knowledge.families}
    ids |= {f"situation.{s.id}" for s in knowledge.situation_types}
    ids |= {f"domain.{d.id}" for d in knowledge.domains}
    assert len(ids) > 60
    longest = max(ids, key=lambda i: len(i.encode()))
    assert len(longest.encode()) <= CALLBACK_DATA_LIMIT, longest
