"""`allodiscri reports export`: the anonymised records, for the observatory, as CSV or JSON."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
from dataclasses import asdict, fields

from bot.commands.common import settings_from
from bot.store import Store
from flows import Report


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("reports", help="the anonymised records")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    export = verbs.add_parser(
        "export",
        help="print every record as CSV or JSON",
        epilog="Example: allodiscri reports export --format csv > reports.csv",
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--db", default=None, help="SQLite file (default: ALLODISCRI_DB)")
    export.set_defaults(func=handle_export)


def handle_export(args: argparse.Namespace) -> int:
    settings = settings_from(args, database=args.db)
    reports = asyncio.run(_reports(str(settings.database)))
    write(reports, args.format, sys.stdout)
    print(f"{len(reports)} records", file=sys.stderr)
    return 0


async def _reports(path: str) -> list[Report]:
    store = await Store.open(path)
    try:
        return await store.reports()
    finally:
        await store.close()


def write(reports: list[Report], fmt: str, out: object) -> None:
    if fmt == "json":
        json.dump([asdict(r) for r in reports], out, ensure_ascii=False, indent=2)  # type: ignore[arg-type]
        out.write("\n")  # type: ignore[attr-defined]
        return
    names = [f.name for f in fields(Report)]
    writer = csv.writer(out)  # type: ignore[arg-type]
    writer.writerow(names)
    for report in reports:
        row = asdict(report)
        writer.writerow(
            [";".join(v) if isinstance(v, (list, tuple)) else v for v in (row[n] for n in names)]
        )
