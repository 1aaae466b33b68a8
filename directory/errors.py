"""Data-file errors that say where: file, entry and field, every problem at once.

Rule: validation never stops at the first problem. A `Checker` reads a raw YAML document,
records a `Problem` for each bad value and hands back an empty value instead of raising, so the
loader can raise one `DataError` holding them all: a city officer fixing a file sees the whole
list in one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a data file, located precisely enough to fix without searching."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.field}: {self.message}"


class DataError(Exception):
    """Raised when data files are wrong; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class Checker:
    """Collects the problems of one file while narrowing its YAML values to typed ones."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, entry: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, entry, field, message))

    def mapping(self, value: object, entry: str, field: str) -> Mapping[str, object]:
        if isinstance(value, Mapping):
            return value
        self.add(entry, field, f"expected a mapping, found {kind(value)}")
        return {}

    def items(self, doc: Mapping[str, object], key: str, entry: str) -> list[Mapping[str, object]]:
        """The mappings listed under `key`; a broken item is reported and skipped."""
        value = doc.get(key)
        if not isinstance(value, list):
            self.add(entry, key, f"expected a list, found {kind(value)}")
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                found.append(item)
            else:
                self.add(f"{key}[{index}]", key, f"expected a mapping, found {kind(item)}")
        return found

    def text(
        self, doc: Mapping[str, object], key: str, entry: str, *, required: bool = True
    ) -> str:
        """A text value; `required` means it must be present and not blank."""
        value = doc.get(key)
        if value is None and not required:
            return ""
        if isinstance(value, str) and (value.strip() or not required):
            return value
        self.add(entry, key, "missing" if value is None else f"expected text, found {kind(value)}")
        return ""

    def texts(self, doc: Mapping[str, object], key: str, entry: str) -> tuple[str, ...]:
        """A list of texts; absent means empty."""
        value = doc.get(key, [])
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(str(item) for item in value)
        self.add(entry, key, f"expected a list of texts, found {kind(value)}")
        return ()

    def flag(self, doc: Mapping[str, object], key: str, entry: str) -> bool:
        value = doc.get(key)
        if isinstance(value, bool):
            return value
        found = "missing" if value is None else f"expected true or false, found {value!r}"
        self.add(entry, key, found)
        return False

    def unknown_keys(self, doc: Mapping[str, object], allowed: frozenset[str], entry: str) -> None:
        """Report keys nobody reads: usually a typo that would otherwise be silently ignored."""
        for key in doc:
            if key not in allowed:
                self.add(entry, str(key), "unknown field (a typo?)")


def kind(value: object) -> str:
    """A YAML-ish name for a value's type, for messages a non-programmer can read."""
    names = {type(None): "nothing", str: "text", bool: "true/false", int: "a number",
             float: "a number", list: "a list", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)
