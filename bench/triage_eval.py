"""Accuracy and speed of the triage on the independent set tests/data/triage_eval.yaml.

Prints, for the `dev` and `test` splits separately: criterion top-1 / top-3 (any of the listed
acceptable ids), "no criterion" (nothing suggested with score ≥ 0.3 when `criteria: []`),
domain, situation, role, danger recall (urgent when expected), danger category recall, false
alarms (urgent when not expected); then milliseconds per message. `--show dev` lists the misses
of one split (look only at `dev` while tuning: `test` is the held-out half).

Usage: .venv/bin/python bench/triage_eval.py [--file PATH] [--show dev|test]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from directory.lexicon import load_lexicon
from flows.triage import Triage, triage

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_eval.yaml"
ASK_BELOW = 0.3
SPLITS = ("dev", "test")


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def checks(case: dict[str, object], result: Triage) -> dict[str, bool | None]:
    """Per-metric outcome of one case: True, False, or None when the metric does not apply."""
    want = _as_list(case.get("criteria"))
    doms = _as_list(case.get("domain"))
    sit, role = case.get("situation"), case.get("role")
    crits = [s.id for s in result.criteria]
    confident = [s.id for s in result.criteria if s.score >= ASK_BELOW]
    urgent = bool(case.get("urgent"))
    dangers = _as_list(case.get("danger"))
    return {
        "criterion top-1": (crits[:1] != [] and crits[0] in want) if want else None,
        "criterion top-3": any(c in want for c in crits[:3]) if want else None,
        "no criterion": (not confident) if not want else None,
        "domain": (result.domain[:1] != () and result.domain[0].id in doms) if doms else None,
        "situation": (result.situation[:1] != () and result.situation[0].id == sit)
        if sit else None,
        "role": (result.role[:1] != () and result.role[0].id == role) if role else None,
        "danger recall": result.urgent if urgent else None,
        "danger category": any(d in result.danger for d in dangers) if urgent else None,
        "false alarms": result.urgent if not urgent else None,
    }


def evaluate(cases: list[dict[str, object]], lexicon: object) -> dict[str, tuple[int, int]]:
    """Hits and counts per metric over `cases`."""
    totals: dict[str, tuple[int, int]] = {}
    for case in cases:
        result = triage(str(case["text"]), lexicon)  # type: ignore[arg-type]
        for metric, ok in checks(case, result).items():
            if ok is not None:
                hit, n = totals.get(metric, (0, 0))
                totals[metric] = (hit + int(ok), n + 1)
    return totals


def load_cases(path: Path = EVAL) -> list[dict[str, object]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])


def _show(cases: list[dict[str, object]], lexicon: object) -> None:
    for case in cases:
        result = triage(str(case["text"]), lexicon)  # type: ignore[arg-type]
        bad = [m for m, ok in checks(case, result).items()
               if ok is not None and ok == (m == "false alarms")]
        bad = [m for m in bad if m != "criterion top-3" or "criterion top-1" not in bad]
        if bad:
            got = {k: [(s.id, round(s.score, 2)) for s in getattr(result, k)[:3]]
                   for k in ("criteria", "domain", "situation", "role")}
            print(f"- {', '.join(bad)}: {case['text']!r}\n    want crit={case.get('criteria')} "
                  f"dom={case.get('domain')} sit={case.get('situation')} role={case.get('role')} "
                  f"urgent={case.get('urgent')}\n    got  {got} urgent={result.urgent} "
                  f"{list(result.danger)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=EVAL, help="eval YAML (default: %(default)s)")
    parser.add_argument("--show", choices=SPLITS, help="list the misses of one split")
    args = parser.parse_args()
    cases = load_cases(args.file)
    lexicon = load_lexicon()
    for split in SPLITS:
        part = [c for c in cases if c.get("split") == split]
        print(f"\n{split} ({len(part)} cases)")
        for metric, (hit, n) in evaluate(part, lexicon).items():
            print(f"  {metric:<16} {hit:>3}/{n:<3} {100 * hit / n:5.1f} %")
        if args.show == split:
            _show(part, lexicon)
    texts = [str(c["text"]) for c in cases]
    triage("warm up", lexicon)
    start = time.perf_counter()
    for _ in range(10):
        for text in texts:
            triage(text, lexicon)
    per = (time.perf_counter() - start) * 1000 / (10 * len(texts))
    print(f"\nspeed: {per:.3f} ms per message ({len(texts)} messages x 10)")


if __name__ == "__main__":
    main()
