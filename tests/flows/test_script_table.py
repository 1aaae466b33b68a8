"""The script checks itself: reachability, no trap, global commands everywhere, danger first."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flows.answers import HANDLERS
from flows.questions import QUESTIONS
from flows.script import GLOBAL_COMMANDS, ROUTES, Route
from flows.stage import ASIDES, Stage

ROOT = Path(__file__).resolve().parents[2]


def _reachable() -> set[Stage]:
    seen, todo = {Stage.WELCOME}, [Stage.WELCOME]
    while todo:
        for route in ROUTES[todo.pop()]:
            if route.to not in seen:
                seen.add(route.to)
                todo.append(route.to)
    return seen


def test_every_stage_has_a_question_a_handler_and_routes() -> None:
    missing = [s for s in Stage if s not in QUESTIONS or s not in HANDLERS or s not in ROUTES]
    assert missing == []


def test_every_script_stage_is_reachable_from_the_welcome() -> None:
    unreachable = sorted(set(Stage) - ASIDES - _reachable())
    assert unreachable == [], f"unreachable stages: {unreachable}"


def test_no_trap_stage() -> None:
    """Every stage but the closing one leads somewhere else; the closing one accepts restart."""
    traps = [
        s
        for s, routes in ROUTES.items()
        if s not in ASIDES and s is not Stage.CLOSED and all(r.to is s for r in routes)
    ]
    assert traps == [], f"trap stages: {traps}"
    assert "restart" in GLOBAL_COMMANDS


def test_every_routes_list_ends_with_an_unconditional_route() -> None:
    """So `next_stage` can never fail for a token the handler returns."""
    dangling = [
        s for s, routes in ROUTES.items() if routes and routes[-1].when.__name__ != "always"
    ]
    assert dangling == [], f"stages without a default route: {dangling}"


def test_guards_are_named_functions_not_strings() -> None:
    for routes in ROUTES.values():
        for route in routes:
            assert isinstance(route, Route)
            assert callable(route.when) and route.when.__name__ != "<lambda>"


FORBIDDEN = {
    "telegram",
    "aiosqlite",
    "sqlite3",
    "os",
    "random",
    "secrets",
    "logging",
    "bot",
    "time",
    "socket",
    "subprocess",
    "yaml",
    "pathlib",
}


@pytest.mark.parametrize("path", sorted((ROOT / "flows").glob("*.py")), ids=lambda p: p.name)
def test_flows_imports_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert imported & FORBIDDEN == set()
    assert "datetime.now" not in path.read_text(encoding="utf-8")


def test_flows_exports_a_sorted_public_surface() -> None:
    import flows

    assert len(set(flows.__all__)) == len(flows.__all__)  # ruff (RUF022) keeps it sorted
    for name in flows.__all__:
        assert hasattr(flows, name)


@pytest.mark.parametrize(
    "text,command",
    [
        ("je veux parler à quelqu’un", "person"),
        ("Je voudrais parler a un humain svp", "person"),
        ("can I talk to a real person?", "person"),
        ("effacer mes données", "forget"),
        ("supprimez toutes mes infos stp", "forget"),
        ("aide", "help"),
        ("bonjour", None),
        ("Mon chef refuse de me parler à cause de mon origine et je veux parler à quelqu'un", None),
    ],
)
def test_commands_said_in_words(text: str, command: str | None) -> None:
    from flows.intents import command_in_words

    assert command_in_words(text) == command
