"""The triage lexicon: weighted cue phrases, built from the reference YAML plus `data/lexicon/`.

Rule: this module only reads and validates data; matching and scoring live in `flows.triage`.
The reference files (`data/reference/`) are shared and never edited here, so everything the
triage needs beyond them (other languages, SMS spellings, role cues, weights, corrections of
over-generic reference keywords) lives in `data/lexicon/*.yaml`. Phrases are kept as written;
`flows` normalises them exactly as it normalises messages, so both sides stay consistent.
A data error names file, entry and field, and all errors are reported at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path
from types import MappingProxyType

import yaml
from rapidfuzz import fuzz, process

DEFAULT_DATA_DIR = Path(__file__).parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when available (PyYAML wheels ship it): several times faster than pure Python."""
ROLES = ("victime", "tiers", "temoin")
SIGNALS = ("unfavourable", "harassment", "insult", "complex", "out_of_scope", "generic", "child",
           "public_employer", "works_at")
DANGERS = ("violence_now", "suicide", "child_danger", "no_shelter")


class LexiconError(ValueError):
    """One or more data problems, each naming file, entry and field."""


@dataclass(frozen=True, slots=True)
class Cue:
    """A phrase that, when present, adds `weight` of evidence for `target`."""

    phrase: str
    target: str
    weight: float
    lang: str = "fr"


@dataclass(frozen=True, slots=True)
class Tuning:
    """Numbers of the scoring model, kept in data so they can be tuned without code changes."""

    tiers: Mapping[str, float]
    criterion_prior: Mapping[str, float]
    params: Mapping[str, float]

    def param(self, name: str) -> float:
        return self.params[name]


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """Everything the triage needs; compared and hashed by identity so indexes can be cached."""

    criteria: tuple[Cue, ...]
    domains: tuple[Cue, ...]
    roles: tuple[Cue, ...]
    signals: tuple[Cue, ...]
    danger: tuple[Cue, ...]
    danger_exceptions: tuple[str, ...]
    criteria_exceptions: tuple[str, ...]
    domain_exceptions: tuple[str, ...]
    languages: tuple[Cue, ...]
    sms: Mapping[str, str]
    no_fuzzy: frozenset[str]
    criterion_ids: tuple[str, ...]
    domain_ids: tuple[str, ...]
    covered_domains: frozenset[str]
    situation_ids: tuple[str, ...]
    tuning: Tuning
    # Plain words of each language (markers, no_fuzzy): a cue of another language that uses one
    # of them is a homograph there (Italian "donne" = women, French "il me donne").
    lang_words: Mapping[str, frozenset[str]] = _field(default_factory=dict)
    danger_stems: tuple[tuple[str, str], ...] = ()
    """(word beginning, category): any word starting so is a danger cue ("tabass" finds
    "tabassé", "s'est fait tabasser"); for unambiguous stems only. Folded like message words
    when the matching index is built."""
    danger_substrings: tuple[tuple[str, str], ...] = ()
    """(characters, category) found anywhere in the raw text: scripts written without spaces
    (Chinese), where words cannot be told apart."""


def _read(path: Path, errors: list[str]) -> dict[str, object]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as error:
        errors.append(f"{path.name}: cannot read ({error})")
        return {}
    if not isinstance(data, dict):
        errors.append(f"{path.name}: top level must be a mapping")
        return {}
    return data


def _strings(value: object, where: str, errors: list[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return list(value)
    errors.append(f"{where}: expected a list of non-empty strings")
    return []


def _tiered(
    value: object, target: str, where: str, tiers: Mapping[str, float], errors: list[str],
    lang: str = "fr",
) -> Iterator[Cue]:
    """Read `[phrases]` (tier `normal`) or `{tier-or-number: [phrases]}` into cues."""
    groups = value if isinstance(value, dict) else {"normal": value}
    for tier, phrases in groups.items():
        weight = tiers.get(str(tier)) if not isinstance(tier, int | float) else float(tier)
        if weight is None:
            errors.append(f"{where}.{tier}: unknown tier (known: {', '.join(tiers)})")
            continue
        for phrase in _strings(phrases, f"{where}.{tier}", errors):
            yield Cue(phrase, target, weight, lang)


def _section(
    data: Mapping[str, object], key: str, known: Iterable[str], name: str,
    tiers: Mapping[str, float], errors: list[str], lang: str = "fr",
) -> list[Cue]:
    section = data.get(key) or {}
    if not isinstance(section, dict):
        errors.append(f"{name}: {key}: expected a mapping of id to phrases")
        return []
    known_ids = set(known)
    cues: list[Cue] = []
    for target, value in section.items():
        if target not in known_ids:
            errors.append(f"{name}: {key}.{target}: unknown id")
            continue
        cues.extend(_tiered(value, target, f"{name}: {key}.{target}", tiers, errors, lang))
    return cues


def _closest(phrase: str, cues: list[Cue]) -> str:
    best = process.extractOne(phrase, [c.phrase for c in cues], scorer=fuzz.partial_ratio)
    return cues[best[2]].target if best else DANGERS[0]


def _reference(ref: Path, tiers: Mapping[str, float], errors: list[str]) -> dict[str, object]:
    """Cues and ids from the shared reference files (keywords, misspellings, insults, danger)."""
    criteria = _read(ref / "criteria.yaml", errors).get("criteria") or []
    domains = _read(ref / "domains.yaml", errors).get("domains") or []
    situations = _read(ref / "situation_types.yaml", errors).get("situation_types") or []
    danger = _read(ref / "helplines.yaml", errors).get("danger_signals_fr") or {}
    normal, insult = tiers["normal"], tiers["insult"]
    crit_cues: list[Cue] = []
    signal_cues: list[Cue] = []
    for entry in criteria:
        cid = entry["id"]
        for field in ("keywords_fr", "misspellings_fr"):
            crit_cues += [Cue(p, cid, normal) for p in entry.get(field) or []]
        for phrase in entry.get("insult_markers_fr") or []:
            crit_cues.append(Cue(phrase, cid, insult))
            signal_cues.append(Cue(phrase, "insult", insult))
    dom_cues: list[Cue] = []
    for entry in domains:
        did = entry["id"]
        words = list(entry.get("keywords_fr") or []) + list(entry.get("misspellings_fr") or [])
        for sub in entry.get("subdomains") or []:
            words += sub.get("keywords_fr") or []
        dom_cues += [Cue(p, did, normal) for p in words]
    for entry in situations:
        if entry["id"] == "situation_complexe":
            for sub in entry.get("subtypes") or []:
                signal_cues += [Cue(p, "complex", normal) for p in sub.get("keywords_fr") or []]
    danger_cues = [
        Cue(p, cat, normal) for cat in DANGERS for p in danger.get(cat) or []
    ]
    # Misspellings are not categorised in the reference: each goes to the category of the
    # phrase it resembles most ("suicid" → suicide, "frapé" → violence_now).
    danger_cues += [
        Cue(p, _closest(p, danger_cues), normal) for p in danger.get("misspellings") or []
    ]
    return {
        "criteria": crit_cues, "domains": dom_cues, "signals": signal_cues, "danger": danger_cues,
        "criterion_ids": tuple(e["id"] for e in criteria),
        "domain_ids": tuple(e["id"] for e in domains),
        "covered": frozenset(e["id"] for e in domains if e.get("legal_scope") == "covered"),
        "situation_ids": tuple(e["id"] for e in situations),
    }


def _apply_overrides(
    cues: list[Cue], overrides: object, where: str, errors: list[str]
) -> list[Cue]:
    """Re-weight (or drop, weight 0) reference phrases that are too generic for one target."""
    if not overrides:
        return cues
    if not isinstance(overrides, dict):
        errors.append(f"{where}: expected a mapping of id to {{phrase: weight}}")
        return cues
    table = {(t, p.casefold()): float(w) for t, pw in overrides.items() for p, w in pw.items()}
    out = [Cue(c.phrase, c.target, table.get((c.target, c.phrase.casefold()), c.weight), c.lang)
           for c in cues]
    return [c for c in out if c.weight > 0]


def load_lexicon(reference_dir: Path | None = None, lexicon_dir: Path | None = None) -> Lexicon:
    """Build the lexicon; raise `LexiconError` listing every problem found."""
    data_dir = DEFAULT_DATA_DIR
    ref = reference_dir or data_dir / "reference"
    lex = lexicon_dir or data_dir / "lexicon"
    errors: list[str] = []
    tuning_data = _read(lex / "tuning.yaml", errors)
    tiers = {str(k): float(v) for k, v in (tuning_data.get("tiers") or {}).items()}
    if "normal" not in tiers or "insult" not in tiers:
        raise LexiconError(f"{lex / 'tuning.yaml'}: tiers: 'normal' and 'insult' are required")
    base = _reference(ref, tiers, errors)
    ids = {"criteria": base["criterion_ids"], "domains": base["domain_ids"],
           "roles": ROLES, "signals": SIGNALS, "danger": DANGERS}
    cues: dict[str, list[Cue]] = {k: list(base.get(k, [])) for k in ids}  # type: ignore[call-overload]
    cues["criteria"] = _apply_overrides(
        cues["criteria"], tuning_data.get("reference_overrides"), "tuning.yaml", errors)
    cues["domains"] = _apply_overrides(
        cues["domains"], tuning_data.get("domain_overrides"), "tuning.yaml", errors)
    languages: list[Cue] = []
    sms: dict[str, str] = {}
    no_fuzzy: set[str] = set()
    exceptions: list[str] = []
    crit_exceptions: list[str] = []
    dom_exceptions: list[str] = []
    lang_words: dict[str, set[str]] = {}
    stems: list[tuple[str, str]] = []
    substrings: list[tuple[str, str]] = []
    for path in sorted(lex.glob("*.yaml")):
        if path.name == "tuning.yaml":
            continue
        data = _read(path, errors)
        lang = str(data.get("lang") or "fr")
        for key, known in ids.items():
            cues[key] += _section(data, key, known, path.name, tiers, errors, lang)
        languages += [Cue(w, lang, 1.0, lang)
                      for w in _strings(data.get("markers"), f"{path.name}: markers", errors)]
        sms.update({str(k): str(v) for k, v in (data.get("sms") or {}).items()})
        plain = _strings(data.get("no_fuzzy"), f"{path.name}: no_fuzzy", errors)
        no_fuzzy.update(plain)
        lang_words.setdefault(lang, set()).update(
            plain + _strings(data.get("markers"), f"{path.name}: markers", errors))
        exceptions += _strings(data.get("danger_exceptions"),
                               f"{path.name}: danger_exceptions", errors)
        crit_exceptions += _strings(data.get("criteria_exceptions"),
                                    f"{path.name}: criteria_exceptions", errors)
        dom_exceptions += _strings(data.get("domain_exceptions"),
                                   f"{path.name}: domain_exceptions", errors)
        for key, found in (("danger_stems", stems), ("danger_substrings", substrings)):
            table = data.get(key) or {}
            if not isinstance(table, dict):
                errors.append(f"{path.name}: {key}: expected a mapping of category to a list")
                continue
            for category, items in table.items():
                if category not in DANGERS:
                    errors.append(f"{path.name}: {key}: unknown danger category {category!r}")
                    continue
                for item in _strings(items, f"{path.name}: {key}.{category}", errors):
                    if len(item.strip()) < (2 if key == "danger_substrings" else 5):
                        errors.append(f"{path.name}: {key}.{category}: {item!r} is too short")
                    found.append((item.strip(), str(category)))
    if errors:
        raise LexiconError("lexicon data errors:\n  " + "\n  ".join(errors))
    tuning = Tuning(
        tiers=MappingProxyType(tiers),
        criterion_prior=MappingProxyType(dict(tuning_data.get("criterion_prior") or {})),
        params=MappingProxyType(
            {k: float(v) for k, v in (tuning_data.get("params") or {}).items()}
        ),
    )
    return Lexicon(
        criteria=tuple(cues["criteria"]), domains=tuple(cues["domains"]),
        roles=tuple(cues["roles"]), signals=tuple(cues["signals"]),
        danger=tuple(cues["danger"]), danger_exceptions=tuple(exceptions),
        criteria_exceptions=tuple(crit_exceptions), domain_exceptions=tuple(dom_exceptions),
        languages=tuple(languages), sms=MappingProxyType(sms), no_fuzzy=frozenset(no_fuzzy),
        criterion_ids=base["criterion_ids"], domain_ids=base["domain_ids"],  # type: ignore[arg-type]
        covered_domains=base["covered"], situation_ids=base["situation_ids"],  # type: ignore[arg-type]
        tuning=tuning,
        lang_words=MappingProxyType({k: frozenset(v) for k, v in lang_words.items()}),
        danger_stems=tuple(stems),
        danger_substrings=tuple(substrings),
    )
