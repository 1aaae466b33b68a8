"""`allodiscri triage TEXT [--json]`: what the bot's triage makes of one message.

The same `flows.triage.triage` the conversation uses; handy to check the lexicon on a sentence.
Reads standard input when TEXT is `-`. Exit code 0, or 2 when there is no text.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from directory.lexicon import load_lexicon
from flows.triage import Suggestion, Triage, triage

EPILOG = """examples:
  allodiscri triage "le proprio veut pas me louer pcq jsuis noir"
  echo "I was fired because I'm pregnant" | allodiscri triage - --json"""


def register(sub: Any) -> None:
    """Add the `triage` subcommand to the CLI's subparsers."""
    parser = sub.add_parser(
        "triage",
        help="suggest criterion, domain, situation, role and danger for a message",
        description="Suggest what a first message is about (the bot's own triage).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("text", metavar="TEXT", help="the message, or - to read standard input")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=handle)


def _line(name: str, sugs: tuple[Suggestion, ...]) -> str:
    shown = ", ".join(f"{s.id} {s.score:.2f}" for s in sugs) or "-"
    return f"{name:<10} {shown}"


def summary(result: Triage) -> str:
    """A short human-readable summary, best suggestion first on each line."""
    urgent = "YES (" + ", ".join(result.danger) + ")" if result.urgent else "no"
    return "\n".join([
        f"{'language':<10} {result.lang}",
        f"{'urgent':<10} {urgent}",
        _line("criteria", result.criteria),
        _line("domain", result.domain),
        _line("situation", result.situation),
        _line("role", result.role),
    ])


def handle(args: argparse.Namespace) -> int:
    """Run the triage on TEXT (or stdin) and print it."""
    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        print("triage: no text given", file=sys.stderr)
        return 2
    result = triage(text, load_lexicon())
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(summary(result))
    return 0
