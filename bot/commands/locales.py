"""`allodiscri locales extract|update|compile|check`: keep the catalogues complete."""

from __future__ import annotations

import argparse
import sys

from bot import catalogues


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("locales", help="the gettext catalogues under locales/")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for name, text, func in (
        ("extract", "write locales/messages.pot from the code", _extract),
        ("update", "extract, then merge new ids into every .po", _update),
        ("compile", "write the .mo files the bot loads", _compile),
        ("check", "fail on any missing, fuzzy or inconsistent translation", _check),
    ):
        verb = verbs.add_parser(name, help=text, epilog=f"Example: allodiscri locales {name}")
        verb.set_defaults(func=func)


def _extract(args: argparse.Namespace) -> int:
    print(catalogues.write_template(catalogues.extract()))
    return 0


def _update(args: argparse.Namespace) -> int:
    template = catalogues.extract()
    catalogues.write_template(template)
    catalogues.update(template)
    return 0


def _compile(args: argparse.Namespace) -> int:
    for path in catalogues.compile_all():
        print(path)
    return 0


def _check(args: argparse.Namespace) -> int:
    findings = catalogues.check(catalogues.extract())
    for finding in findings:
        print(finding, file=sys.stderr)
    print(f"{len(findings)} problems" if findings else "catalogues complete")
    return 1 if findings else 0
