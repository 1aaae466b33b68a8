"""Load the reference knowledge and a territory's directory from YAML files, or fail saying where.

Where the files are — so a new city deploys with data, not code:

    <data_dir>/
        territories/<id>.yaml        the territory's settings (one file per territory)
        reference/<directory file>   its partners, named by the territory's `directory` field
                                     (by convention directory_<id>.yaml)
        reference/criteria.yaml, domains.yaml, situation_types.yaml, helplines.yaml
                                     the national reference (optional in a deployment's folder)

`data_dir` defaults to the package's own `directory/data/`. With another `data_dir`, the
territory file must be in `<data_dir>/territories/`; each reference file (national ones and the
directory) is looked up first in `<data_dir>/reference/` and then in the built-in reference, so a
deployment only ships the files it changes. Nothing is cached: the application loads once at
start-up and passes the values down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from directory.errors import Checker, DataError, Problem
from directory.model import (
    Criterion,
    Directory,
    Domain,
    Family,
    Helpline,
    Knowledge,
    Label,
    Partner,
    SituationType,
)
from directory.validate import (
    KnownIds,
    check_main_service,
    phone_problem,
    read_choice,
    read_ident,
    read_partners,
    read_territory,
)

BUILTIN_DATA = Path(__file__).parent / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_URGENCIES = frozenset({"immediate_danger", "urgent_support", "support", "reporting"})
_SCOPES = frozenset({"covered", "partly_covered", "connexe"})


def available_territories(data_dir: Path | None = None) -> tuple[str, ...]:
    """The ids of the territories that have a settings file, sorted."""
    folder = (data_dir or BUILTIN_DATA) / "territories"
    return tuple(sorted(path.stem for path in folder.glob("*.yaml")))


def load_knowledge(reference_dir: Path | None = None) -> Knowledge:
    """Criteria, families, top-level domains, situation types, helplines and danger routing."""
    folder = reference_dir or BUILTIN_DATA / "reference"
    problems: list[Problem] = []
    criteria, families = _read_criteria(_read(folder / "criteria.yaml"), problems)
    domains = _read_labelled(_read(folder / "domains.yaml"), "domains", problems)
    situations = _read_labelled(_read(folder / "situation_types.yaml"), "situation_types", problems)
    helplines, routing = _read_helplines(_read(folder / "helplines.yaml"), problems)
    if problems:
        raise DataError(problems)
    return Knowledge(
        criteria=criteria,
        families=families,
        domains=tuple(Domain(*fields) for fields in domains),
        situation_types=tuple(SituationType(item_id, label) for item_id, label, _ in situations),
        helplines=helplines,
        danger_routing=routing,
    )


def load_directory(
    territory_id: str, data_dir: Path | None = None, *, knowledge: Knowledge | None = None
) -> Directory:
    """A territory's settings and partners, validated; raises DataError listing every problem.

    `knowledge` avoids reading the national reference again when it is already loaded.
    """
    root = data_dir or BUILTIN_DATA
    territory_path = root / "territories" / f"{territory_id}.yaml"
    if not territory_path.is_file():
        known = ", ".join(available_territories(data_dir)) or "none"
        message = f"no such file (known: {known})"
        raise DataError([Problem(str(territory_path), territory_id, "(file)", message)])
    if knowledge is None:
        knowledge = load_knowledge(_reference_folder(root, "criteria.yaml"))
    file = f"territories/{territory_id}.yaml"
    settings, problems = read_territory(_read(territory_path), file)
    if settings is None:
        raise DataError(problems)
    if settings.territory.id != territory_id:
        message = f"{settings.territory.id!r} differs from the file name {territory_id!r}"
        problems.append(Problem(file, territory_id, "id", message))
    directory_path = _reference_folder(root, settings.directory_file) / settings.directory_file
    if not directory_path.is_file():
        message = f"{settings.directory_file!r} not found in reference/"
        raise DataError([*problems, Problem(file, territory_id, "directory", message)])
    known_ids = KnownIds(
        criteria=frozenset(item.id for item in knowledge.criteria),
        domains=frozenset(item.id for item in knowledge.domains),
        situation_types=frozenset(item.id for item in knowledge.situation_types),
    )
    directory_name = f"reference/{settings.directory_file}"
    partners, partner_problems = read_partners(
        _read(directory_path), directory_name, known_ids, territory_id
    )
    problems += partner_problems
    problems += check_main_service(settings.territory, partners, file)
    partners = _with_summaries(root / "summaries" / f"{territory_id}.yaml", partners, problems)
    if problems:
        raise DataError(problems)
    return Directory(territory=settings.territory, partners=partners)


def _with_summaries(
    path: Path, partners: tuple[Partner, ...], problems: list[Problem]
) -> tuple[Partner, ...]:
    """Partners with their English sentence from `summaries/<territory>.yaml`, when there is one
    (the reference files stay as sourced; translations are the project's own data)."""
    if not path.is_file():
        return partners
    name = f"summaries/{path.name}"
    doc = _read(path)
    raw = (doc.get("partners") if isinstance(doc, dict) else None) or {}
    if not isinstance(raw, dict):
        problems.append(Problem(name, "partners", "(file)", "expected a mapping of id to text"))
        return partners
    known = {p.id for p in partners}
    for pid, text in raw.items():
        if pid not in known:
            problems.append(Problem(name, str(pid), "id", "no such partner in the directory"))
        elif not isinstance(text, str) or not text.strip():
            problems.append(Problem(name, str(pid), "text", "expected a sentence"))
    return tuple(
        replace(p, summary_en=str(raw[p.id]).strip()) if isinstance(raw.get(p.id), str) else p
        for p in partners
    )


def _reference_folder(root: Path, name: str) -> Path:
    """The deployment's reference folder when it holds `name`, else the built-in one."""
    local = root / "reference"
    return local if (local / name).is_file() else BUILTIN_DATA / "reference"


def _read(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_Loader)
    except yaml.YAMLError as error:
        where = f"{path.parent.name}/{path.name}"
        raise DataError([Problem(where, "(file)", "(syntax)", str(error))]) from error


def _read_labelled(doc: object, key: str, problems: list[Problem]) -> list[tuple[str, Label, str]]:
    """Entries of reference/<key>.yaml: id, label_fr, label_en (and legal_scope for domains)."""
    check = Checker(f"reference/{key}.yaml")
    root = check.mapping(doc, "(file)", "(top level)")
    seen: set[str] = set()
    found = []
    for item in check.items(root, key, key):
        entry = str(item.get("id") or key)
        label = _label(check, item, entry)
        scope = read_choice(check, item, "legal_scope", entry, _SCOPES) if key == "domains" else ""
        found.append((read_ident(check, item, entry, seen), label, scope))
    problems += check.problems
    return found


def _label(check: Checker, item: Mapping[str, object], entry: str) -> Label:
    return Label(fr=check.text(item, "label_fr", entry), en=check.text(item, "label_en", entry))


def _read_criteria(
    doc: object, problems: list[Problem]
) -> tuple[tuple[Criterion, ...], tuple[Family, ...]]:
    """Criteria and their user-facing families; each side must name only known ids."""
    check = Checker("reference/criteria.yaml")
    root = check.mapping(doc, "(file)", "(top level)")
    seen: set[str] = set()
    criteria = []
    for item in check.items(root, "criteria", "criteria"):
        entry = str(item.get("id") or "criteria")
        criteria.append(Criterion(
            id=read_ident(check, item, entry, seen),
            family=check.text(item, "family", entry),
            label=_label(check, item, entry),
            plain_fr=check.text(item, "label_plain_fr", entry, required=False),
        ))
    family_ids: set[str] = set()
    families = []
    for item in check.items(root, "families", "families"):
        entry = str(item.get("id") or "families")
        members = check.texts(item, "criteria", entry)
        for member in members:
            if member not in seen:
                check.add(entry, "criteria", f"unknown criterion {member!r}")
        family_id = read_ident(check, item, entry, family_ids)
        families.append(Family(family_id, _label(check, item, entry), members))
    for criterion in criteria:
        if criterion.family not in family_ids:
            check.add(criterion.id, "family", f"unknown family {criterion.family!r}")
    problems += check.problems
    return tuple(criteria), tuple(families)


def _read_helplines(
    doc: object, problems: list[Problem]
) -> tuple[tuple[Helpline, ...], dict[str, tuple[str, ...]]]:
    """National helplines and the danger routing that must point at them."""
    check = Checker("reference/helplines.yaml")
    root = check.mapping(doc, "(file)", "(top level)")
    seen: set[str] = set()
    helplines = []
    for item in check.items(root, "helplines", "helplines"):
        entry = str(item.get("id") or "helplines")
        phone = check.text(item, "phone", entry, required=False).strip()
        sms = check.text(item, "sms", entry, required=False).strip()
        for key, number in (("phone", phone), ("sms", sms)):
            if number and (message := phone_problem(number)):
                check.add(entry, key, message)
        helplines.append(Helpline(
            id=read_ident(check, item, entry, seen),
            name=check.text(item, "name", entry),
            description_fr=check.text(item, "description_fr", entry),
            phone=phone,
            sms=sms,
            website=check.text(item, "website", entry, required=False),
            hours_fr=check.text(item, "hours_fr", entry, required=False),
            urgency=read_choice(check, item, "urgency", entry, _URGENCIES),
            to_verify=check.flag(item, "to_verify", entry),
        ))
    signals = check.mapping(root.get("danger_signals_fr"), "danger_signals_fr", "danger_signals_fr")
    routing_doc = check.mapping(signals.get("routing"), "danger_signals_fr", "routing")
    routing: dict[str, tuple[str, ...]] = {}
    for signal in routing_doc:
        targets = check.texts(routing_doc, str(signal), "danger_signals_fr.routing")
        for target in targets:
            if target not in seen:
                check.add("danger_signals_fr.routing", str(signal), f"unknown helpline {target!r}")
        routing[str(signal)] = targets
    problems += check.problems
    return tuple(helplines), routing
