"""Accuracy and speed of the triage on the labelled cases of tests/data/triage_cases.yaml.

Prints, for the tuned set and the held-out set separately: criterion top-1 and top-3 accuracy,
"no criterion" accuracy (nothing suggested with score ≥ 0.3 when none is expected), domain,
situation and role accuracy, danger recall and false-alarm rate; then milliseconds per message
and for one 10,000-character text. `--show tune` (or `heldout`) lists the misses of one set.

Usage: .venv/bin/python bench/triage_accuracy.py [--show tune|heldout]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from directory.lexicon import load_lexicon
from flows.triage import Triage, triage

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_cases.yaml"
ASK_BELOW = 0.3


def _ids(sugs: object) -> list[str]:
    return [s.id for s in sugs]  # type: ignore[attr-defined]


def _checks(case: dict[str, object], result: Triage) -> dict[str, bool | None]:
    """Per-metric outcome of one case: True, False, or None when the metric does not apply."""
    crit, dom, sit, role = (case.get(k) for k in ("criterion", "domain", "situation", "role"))
    crits = _ids(result.criteria)
    confident = [s.id for s in result.criteria if s.score >= ASK_BELOW]
    expected_danger = bool(case.get("danger"))
    return {
        "criterion top-1": (crits[:1] == [crit]) if crit else None,
        "criterion top-3": (crit in crits[:3]) if crit else None,
        "no criterion": (not confident) if crit is None else None,
        "domain": (_ids(result.domain)[:1] == [dom]) if dom else None,
        "situation": (_ids(result.situation)[:1] == [sit]) if sit else None,
        "role": (_ids(result.role)[:1] == [role]) if role else None,
        "danger recall": result.urgent if expected_danger else None,
        "false alarms": result.urgent if not expected_danger else None,
    }


def _report(name: str, cases: list[dict[str, object]], lexicon: object, show: bool) -> None:
    totals: dict[str, list[int]] = {}
    for case in cases:
        result = triage(str(case["text"]), lexicon)  # type: ignore[arg-type]
        checks = _checks(case, result)
        for metric, ok in checks.items():
            if ok is None:
                continue
            hit, n = totals.setdefault(metric, [0, 0])
            totals[metric] = [hit + int(ok), n + 1]
            bad = (not ok) if metric != "false alarms" else ok
            if show and bad:
                print(f"  MISS {metric}: {case['text']!r}\n       expected {case.get(_key(metric))}"
                      f" got {result.to_json()}")
    print(f"\n{name} ({len(cases)} cases)")
    for metric, (hit, n) in totals.items():
        print(f"  {metric:<16} {hit:>3}/{n:<3} {100 * hit / n:5.1f} %")


def _key(metric: str) -> str:
    return {"criterion top-1": "criterion", "criterion top-3": "criterion",
            "no criterion": "criterion", "danger recall": "danger",
            "false alarms": "danger"}.get(metric, metric)


def _speed(texts: list[str], lexicon: object) -> None:
    triage("warm up", lexicon)  # type: ignore[arg-type]
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            triage(text, lexicon)  # type: ignore[arg-type]
    per_message = (time.perf_counter() - start) * 1000 / (rounds * len(texts))
    long_text = (" ".join(texts) * 3)[:10_000]
    start = time.perf_counter()
    triage(long_text, lexicon)  # type: ignore[arg-type]
    long_ms = (time.perf_counter() - start) * 1000
    print(f"\nspeed: {per_message:.2f} ms per message; {long_ms:.1f} ms for a "
          f"{len(long_text):,}-character text")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=("tune", "heldout"), help="list the misses of one set")
    args = parser.parse_args()
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    start = time.perf_counter()
    lexicon = load_lexicon()
    print(f"lexicon loaded in {(time.perf_counter() - start) * 1000:.0f} ms")
    for name in ("tune", "heldout"):
        _report(name, data[name], lexicon, args.show == name)
    _speed([str(c["text"]) for c in data["tune"] + data["heldout"]], lexicon)


if __name__ == "__main__":
    main()
