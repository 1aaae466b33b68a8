"""Telegram's HTML parse mode, as the Bot API applies it: text and entities, or a 400.

Entity offsets and lengths are in UTF-16 code units, as Telegram counts them. Only what the Bot
API documents is accepted; anything else raises `HtmlError` with a Telegram-like description.
"""

from __future__ import annotations

import re
from html import unescape

TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
ATTR = re.compile(r"([a-zA-Z-]+)(?:=(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
PLAIN = re.compile(r"[^<&]+")
ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML (the Bot API answers 400)."""


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[dict[str, object]]]:
    """The plain text and its entities, or `HtmlError` like the Bot API's."""
    out: list[str] = []
    length = 0
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, object]] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            match = TAG.match(source, i)
            if not match:
                raise HtmlError(f"Unsupported start tag at byte offset {_byte(source, i)}")
            closing, name, raw_attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
            if name not in TAGS:
                raise HtmlError(f'Unsupported start tag "{name}" at byte offset {_byte(source, i)}')
            if closing:
                if not stack or stack[-1][0] != name:
                    expected = stack[-1][0] if stack else ""
                    raise HtmlError(
                        f"Unmatched end tag at byte offset {_byte(source, i)}, "
                        f'expected "</{expected}>", found "</{name}>"'
                    )
                tag, start, attrs = stack.pop()
                entity = _entity(tag, start, length - start, attrs)
                if entity is not None:
                    entities.append(entity)
            else:
                attrs = {
                    m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                    for m in ATTR.finditer(raw_attrs)
                }
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise HtmlError(
                        'Unsupported start tag "span" at byte offset ' + str(_byte(source, i))
                    )
                if name == "a" and "href" not in attrs:
                    raise HtmlError("Can't find href in the link")
                stack.append((name, length, attrs))
            i = match.end()
            continue
        if char == "&":
            match = ENTITY.match(source, i)
            if not match:
                raise HtmlError(f"Unsupported entity at byte offset {_byte(source, i)}")
            body = match.group(1)
            if body.startswith("#"):
                text = unescape(match.group(0))
            elif body in NAMED:
                text = NAMED[body]
            else:
                raise HtmlError(
                    f'Unsupported HTML entity "&{body};" at byte offset {_byte(source, i)}'
                )
            out.append(text)
            length += units(text)
            i = match.end()
            continue
        match = PLAIN.match(source, i)
        assert match is not None
        out.append(match.group(0))
        length += units(match.group(0))
        i = match.end()
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -int(e["length"])))  # type: ignore[call-overload]
    return "".join(out), entities


def _entity(tag: str, offset: int, length: int, attrs: dict[str, str]) -> dict[str, object] | None:
    if length == 0:
        return None
    kind = TAGS[tag]
    entity: dict[str, object] = {"type": kind, "offset": offset, "length": length}
    if kind == "text_link":
        entity["url"] = attrs["href"]
    if kind == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    if kind == "custom_emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    return entity


def _byte(source: str, index: int) -> int:
    return len(source[:index].encode())
