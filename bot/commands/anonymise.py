"""`allodiscri anonymise`: scrub personal data from standard input, as a report would be.

Why a command: operators and partners can check what the bot would store before trusting it,
and tests of the whole chain can pipe text through the same function the bot uses.
"""

from __future__ import annotations

import argparse
import json
import sys

from directory.names import load_names
from flows.scrub import scrub


def handle(args: argparse.Namespace) -> int:
    """Read all of stdin, print the scrubbed text (or JSON with the counts of what went)."""
    result = scrub(sys.stdin.read(), load_names())
    if args.json:
        print(json.dumps({"text": result.text, "found": dict(result.found)}, ensure_ascii=False))
    else:
        sys.stdout.write(result.text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "anonymise",
        help="replace personal data in standard input with [NAME], [PHONE]…",
        description="Replace names, phone numbers, e-mails, addresses, IBANs and identifiers "
        "in standard input with typed placeholders, as before a report is stored.",
        epilog='Example: echo "Mon chef Jean Dupont, 06 12 34 56 78" | allodiscri anonymise --json',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help='print {"text": ..., "found": {...}}')
    parser.set_defaults(func=handle)
