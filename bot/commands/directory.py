"""`allodiscri directory check|search`: validate the territory data files, search the partners.

`check` is what a city officer runs after editing a file: it lists every problem at once (file,
entry, field) and exits 1, or prints one summary line per territory. `search` shows what the
bot's directory search finds, as text or `--json` for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from directory.errors import DataError
from directory.load import available_territories, load_directory, load_knowledge
from directory.match import PartnerMatch
from directory.model import Directory, Knowledge
from directory.search import find_commune, search_partners

DEFAULT_TERRITORY = "nantes"


def territory_id(args: argparse.Namespace) -> str:
    """The territory asked for: --territory, else ALLODISCRI_TERRITORY, else nantes."""
    chosen = getattr(args, "territory", None)
    return chosen or os.environ.get("ALLODISCRI_TERRITORY") or DEFAULT_TERRITORY


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "directory",
        help="check the territory data files, search the partner directory",
        description="Check the territory data files and search the partner directory.",
        epilog="Examples: allodiscri directory check; "
        "allodiscri --territory nantes directory search avocat --commune reze",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    check = verbs.add_parser(
        "check",
        help="validate every territory (or --territory) and summarise it",
        description="Validate territory settings and partner directories; list every problem.",
        epilog="Example: allodiscri directory check --territory nancy",
    )
    _territory_option(check, "territory to check (default: every territory found)")
    check.set_defaults(func=run_check)
    search = verbs.add_parser(
        "search",
        help="search partners by free text",
        description="Fuzzy search over partner names, descriptions and offers.",
        epilog="Example: allodiscri directory search 'aide aux victimes' "
        "--commune 'st herblain' --json",
    )
    _territory_option(search, "territory to search (default: ALLODISCRI_TERRITORY or nantes)")
    search.add_argument("text", help="words to look for (accents and case do not matter)")
    search.add_argument(
        "--criterion", help="keep specialists of this criterion id and généralistes"
    )
    search.add_argument("--domain", help="keep partners working in this domain id")
    search.add_argument("--commune", help="keep partners serving this commune (typed loosely)")
    search.add_argument("--limit", type=int, default=5, help="how many results (default: 5)")
    search.add_argument("--json", action="store_true", help="print JSON on stdout")
    search.set_defaults(func=run_search)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    """`allodiscri directory` without a verb: say which verbs exist, fail like the main CLI."""
    parser.print_help(sys.stderr)
    return 2


def _territory_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    # SUPPRESS: when absent here, the global `allodiscri --territory X` stays in effect.
    parser.add_argument("--territory", default=argparse.SUPPRESS, help=help_text)


def run_check(args: argparse.Namespace) -> int:
    """Validate the chosen territory, or every one found; exit 1 listing all problems."""
    data_dir = _data_dir(args)
    try:
        knowledge = load_knowledge(_reference_dir(data_dir))
    except DataError as error:
        print(str(error), file=sys.stderr)
        return 1
    chosen = getattr(args, "territory", None)
    ids = (chosen,) if chosen else available_territories(data_dir)
    if not ids:
        print("no territory files found", file=sys.stderr)
        return 1
    failed = False
    for tid in ids:
        try:
            directory = load_directory(tid, data_dir, knowledge=knowledge)
        except DataError as error:
            failed = True
            print(f"{tid}: {len(error.problems)} problem(s)", file=sys.stderr)
            print(str(error), file=sys.stderr)
            continue
        print(_summary(directory))
    return 1 if failed else 0


def _summary(directory: Directory) -> str:
    partners = directory.partners
    with_contact = sum(not partner.contact.is_empty() for partner in partners)
    to_verify = sum(partner.to_verify for partner in partners)
    line = directory.territory.phone_line
    phone = "no local line" if line is None else f"line {line.number}"
    operators = directory.territory.operators
    group = "no operators' group" if operators.group is None else f"group {operators.group}"
    hours = "no fixed team hours" if operators.hours is None else "team hours set"
    return (
        f"{directory.territory.id}: {len(partners)} partners, {with_contact} with contact, "
        f"{to_verify} to verify, {len(directory.territory.communes)} communes, {phone}, "
        f"{group} (ALLODISCRI_OPERATORS_GROUP may set it), {hours}"
    )


def run_search(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    try:
        knowledge = load_knowledge(_reference_dir(data_dir))
        directory = load_directory(territory_id(args), data_dir, knowledge=knowledge)
    except DataError as error:
        print(str(error), file=sys.stderr)
        return 1
    problem = _unknown_filter(args, knowledge)
    commune = find_commune(directory.territory, args.commune) if args.commune else None
    if args.commune and commune is None:
        problem = f"unknown commune {args.commune!r} in {directory.territory.name}"
    if problem:
        print(problem, file=sys.stderr)
        return 2
    found = search_partners(
        directory,
        args.text,
        criterion=args.criterion,
        domain=args.domain,
        commune=commune,
        limit=args.limit,
    )
    if args.json:
        print(json.dumps([_as_json(item) for item in found], ensure_ascii=False, indent=2))
    else:
        for item in found:
            print(_as_text(item))
        if not found:
            print("no partner found", file=sys.stderr)
    return 0


def _unknown_filter(args: argparse.Namespace, knowledge: Knowledge) -> str | None:
    if args.criterion and args.criterion not in {c.id for c in knowledge.criteria}:
        return f"unknown criterion {args.criterion!r}"
    if args.domain and args.domain not in {d.id for d in knowledge.domains}:
        return f"unknown domain {args.domain!r}"
    if args.limit < 1:
        return "--limit must be at least 1"
    return None


def _as_json(item: PartnerMatch) -> dict[str, object]:
    partner, contact = item.partner, item.partner.contact
    return {
        "id": partner.id,
        "name": partner.name,
        "score": item.score,
        "reasons": list(item.reasons),
        "contact": {
            "phone": contact.phone,
            "email": contact.email,
            "website": contact.website,
            "address": contact.address,
            "hours_fr": contact.hours_fr,
        },
        "to_verify": partner.to_verify,
    }


def _as_text(item: PartnerMatch) -> str:
    contact = item.partner.contact
    fields = (contact.phone, contact.email, contact.website, contact.address)
    reach = " · ".join(value for value in fields if value)
    return f"{item.score:5.1f}  {item.partner.name}  [{item.partner.id}]  {reach or '(no contact)'}"


def _data_dir(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "data_dir", None)
    return Path(value) if value else None


def _reference_dir(data_dir: Path | None) -> Path | None:
    """The deployment's national reference when it ships one, else the built-in one."""
    if data_dir and (data_dir / "reference" / "criteria.yaml").is_file():
        return data_dir / "reference"
    return None
