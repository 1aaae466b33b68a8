"""Maintaining the gettext catalogues with Babel: extract, update, compile, check.

Rule: `flows` marks message ids with `N_`; `locales/messages.pot` is extracted from the code;
each language's `.po` must translate every id, none fuzzy, with the same placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import LANGUAGES, LOCALES_DIR, mo_path, po_path

ROOT = LOCALES_DIR.parent
SOURCES = ("flows", "bot")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def extract() -> Catalog:
    """Every message id marked in the code, with the comments meant for translators."""
    catalog = Catalog(project="allodiscri", charset="utf-8")
    for folder in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, keywords={"N_": None}, comment_tags=("TRANSLATORS:",)
        ):
            catalog.add(
                message,
                locations=[(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def write_template(catalog: Catalog, locales_dir: Path = LOCALES_DIR) -> Path:
    path = locales_dir / "messages.pot"
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)
    return path


def read(lang: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    with po_path(lang, locales_dir).open("rb") as handle:
        return read_po(handle, locale=lang)


def update(template: Catalog, locales_dir: Path = LOCALES_DIR) -> None:
    """Merge new ids into each language's catalogue (they come in untranslated)."""
    for lang in LANGUAGES:
        catalog = read(lang, locales_dir)
        catalog.update(template, no_fuzzy_matching=True)
        with po_path(lang, locales_dir).open("wb") as handle:
            write_po(
                handle, catalog, sort_output=True, width=100, ignore_obsolete=True, no_location=True
            )


def compile_all(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    written = []
    for lang in LANGUAGES:
        catalog = read(lang, locales_dir)
        with mo_path(lang, locales_dir).open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo_path(lang, locales_dir))
    return written


@dataclass(frozen=True, slots=True)
class Finding:
    lang: str
    msgid: str
    problem: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.msgid}: {self.problem}"


def check(template: Catalog, locales_dir: Path = LOCALES_DIR) -> list[Finding]:
    """Everything that would make a person see a message id instead of a sentence."""
    wanted = {m.id for m in template if m.id}
    findings: list[Finding] = []
    translations: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        catalog = read(lang, locales_dir)
        have = {m.id: m for m in catalog if m.id}
        translations[lang] = {k: str(m.string) for k, m in have.items()}
        for msgid in sorted(wanted - have.keys()):
            findings.append(Finding(lang, msgid, "missing"))
        for msgid in sorted(have.keys() - wanted):
            findings.append(Finding(lang, msgid, "not used in the code"))
        for msgid, message in sorted(have.items()):
            if not message.string:
                findings.append(Finding(lang, msgid, "not translated"))
            elif message.fuzzy:
                findings.append(Finding(lang, msgid, "fuzzy"))
    findings.extend(_placeholders(translations))
    return findings


def _placeholders(translations: dict[str, dict[str, str]]) -> list[Finding]:
    findings = []
    first, *others = LANGUAGES
    for msgid, text in translations[first].items():
        expected = set(PLACEHOLDER.findall(text))
        for lang in others:
            other = translations[lang].get(msgid)
            if other is not None and set(PLACEHOLDER.findall(other)) != expected:
                findings.append(Finding(lang, msgid, f"placeholders differ from {first}"))
    return findings
