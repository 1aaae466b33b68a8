"""Catalogues complete or the build is red; every message the script can emit renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import catalogues
from bot.i18n import LANGUAGES, CatalogueError, Catalogues, mo_path, po_path


def test_catalogues_are_complete_and_consistent() -> None:
    findings = catalogues.check(catalogues.extract())
    assert [str(f) for f in findings] == []


def test_extraction_finds_the_messages_of_the_script() -> None:
    ids = {m.id for m in catalogues.extract() if m.id}
    assert {"welcome.intro", "danger.card", "recap.body", "button.role.temoin"} <= ids
    assert len(ids) > 90


def test_a_stale_catalogue_fails_loudly(tmp_path: Path) -> None:
    for lang in LANGUAGES:
        po_path(lang, tmp_path).parent.mkdir(parents=True)
        po_path(lang, tmp_path).write_bytes(po_path(lang).read_bytes())
    with pytest.raises(CatalogueError, match="compile"):
        Catalogues.load(tmp_path)
    catalogues.compile_all(tmp_path)
    loaded = Catalogues.load(tmp_path)
    assert loaded.text("en", "button.back") == "← Back"
    mo_path("fr", tmp_path).unlink()
    with pytest.raises(CatalogueError, match="missing"):
        Catalogues.load(tmp_path)


def test_an_unknown_message_id_raises() -> None:
    with pytest.raises(CatalogueError, match="no fr translation"):
        Catalogues.load().text("fr", "no.such.message")


def test_every_message_renders_in_every_language_with_its_placeholders() -> None:
    loaded = Catalogues.load()
    for lang in LANGUAGES:
        for msgid, text in loaded.by_lang[lang].items():
            names = set(catalogues.PLACEHOLDER.findall(text))
            rendered = text.format(**{n: f"<{n}>" for n in names})
            assert "{" not in rendered and rendered.strip(), (lang, msgid)
