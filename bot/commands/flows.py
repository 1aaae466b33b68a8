"""`allodiscri flows diagram`: the script's transition table as a Mermaid state diagram."""

from __future__ import annotations

import argparse

from flows.script import ROUTES
from flows.stage import ASIDES, Stage


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("flows", help="the conversation script")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    diagram = verbs.add_parser(
        "diagram",
        help="print the script as Mermaid (docs/flow.mmd is this output)",
        epilog="Example: allodiscri flows diagram > docs/flow.mmd",
    )
    diagram.set_defaults(func=handle_diagram)


def mermaid() -> str:
    """The diagram text; every stage appears, every route is labelled with its guard."""
    lines = ["stateDiagram-v2", f"    [*] --> {Stage.WELCOME.value}"]
    for stage, routes in ROUTES.items():
        for route in routes:
            guard = route.when.__name__
            lines.append(f"    {stage.value} --> {route.to.value} : {guard}")
    for aside in sorted(ASIDES):
        lines.append(f"    note right of {aside.value} : aside, returns where the person was")
    return "\n".join(lines) + "\n"


def handle_diagram(args: argparse.Namespace) -> int:
    print(mermaid(), end="")
    return 0
