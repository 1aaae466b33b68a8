"""Catalogues and rendering: the one place where message ids become sentences.

Rule: catalogues are compiled gettext files under `locales/`; loading fails loudly when one is
missing or older than its `.po` (never a silent fallback to message ids), and a message id with
no translation is a bug that raises.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date, format_time, format_timedelta

from directory.model import Knowledge
from flows import N_, Choice, DataLabel, Duration, Lines, Msg, Param, Reply, When

LANGUAGES = ("fr", "en")
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SELECTED = "✓ "
WHEN = N_("when.day_hour")


class CatalogueError(RuntimeError):
    """A catalogue is missing, stale or incomplete; says which and what to run."""


def po_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return po_path(lang, locales_dir).with_suffix(".mo")


@dataclass(frozen=True, slots=True)
class Catalogues:
    """The compiled translations of every supported language."""

    by_lang: dict[str, dict[str, str]]

    @classmethod
    def load(cls, locales_dir: Path = LOCALES_DIR) -> Catalogues:
        by_lang = {}
        for lang in LANGUAGES:
            po, mo = po_path(lang, locales_dir), mo_path(lang, locales_dir)
            if not mo.exists():
                raise CatalogueError(f"{mo} is missing: run `allodiscri locales compile`")
            if po.exists() and po.stat().st_mtime > mo.stat().st_mtime:
                raise CatalogueError(
                    f"{mo} is older than {po.name}: run `allodiscri locales compile`"
                )
            with mo.open("rb") as handle:
                translations = gettext.GNUTranslations(handle)
            catalog = translations._catalog  # type: ignore[attr-defined]
            by_lang[lang] = {k: v for k, v in catalog.items() if isinstance(k, str) and k}
        return cls(by_lang)

    def text(self, lang: str, msgid: str) -> str:
        try:
            return self.by_lang[lang][msgid]
        except KeyError:
            raise CatalogueError(f"no {lang} translation for {msgid!r}") from None


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready for a channel: text, and buttons as (choice id, label)."""

    text: str
    choices: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "choices": [list(c) for c in self.choices]}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Rendered:
        choices = data.get("choices", [])
        assert isinstance(choices, list)
        return cls(str(data["text"]), tuple((str(i), str(label)) for i, label in choices))


@dataclass(frozen=True, slots=True)
class Renderer:
    """Turns `flows` replies into text in the person's language."""

    catalogues: Catalogues
    knowledge: Knowledge

    def render(self, reply: Reply, lang: str) -> Rendered:
        text = self.message(reply.body, lang)
        return Rendered(text, tuple((c.id, self._choice(c, lang)) for c in reply.choices))

    def message(self, message: Msg, lang: str) -> str:
        template = self.catalogues.text(lang, message.msgid)
        values = {name: self.param(value, lang) for name, value in message.params}
        return template.format(**values).strip() if values else template.strip()

    def param(self, value: Param, lang: str) -> str:
        if isinstance(value, Msg):
            return self.message(value, lang)
        if isinstance(value, DataLabel):
            return self.label(value, lang)
        if isinstance(value, When):
            day = format_date(value.at, "EEEE d MMMM", locale=lang)
            hour = format_time(value.at, "short", locale=lang)
            return self.message(Msg(WHEN, (("day", day), ("hour", hour))), lang)
        if isinstance(value, Duration):
            return format_timedelta(value.seconds, threshold=1.5, add_direction=False, locale=lang)
        if isinstance(value, Lines):
            return value.sep.join(p for p in (self.param(i, lang) for i in value.items) if p)
        return str(value)

    def label(self, label: DataLabel, lang: str) -> str:
        kind, item = label.kind, label.id
        if kind == "criterion":
            return self.knowledge.criterion(item).label.get(lang)
        if kind == "family":
            return self.knowledge.family(item).label.get(lang)
        if kind == "domain":
            return self.knowledge.domain(item).label.get(lang)
        if kind == "situation":
            return self.knowledge.situation_type(item).label.get(lang)
        return item

    def _choice(self, choice: Choice, lang: str) -> str:
        text = self.param(choice.label, lang)
        return SELECTED + text if choice.selected else text
