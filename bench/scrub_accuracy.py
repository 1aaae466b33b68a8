"""Print how well `flows.scrub` does on the labelled cases and how fast it is.

Why a separate script: the targets (names ≥ 95 % scrubbed, structured data 100 %, other words
≥ 90 % kept, well under 100 ms on 10,000 characters) are figures to watch, not pass/fail tests;
tests/flows/test_scrub.py asserts exact outputs. Held-out cases are reported apart because the
rules were never tuned on them.

    .venv/bin/python bench/scrub_accuracy.py [--verbose]
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from directory.names import load_names
from flows.scrub import scrub

CASES = Path(__file__).parent.parent / "tests" / "data" / "scrub_cases.yaml"
WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def score(case: dict, out: str) -> tuple[int, int, int, int, int, int, list[str]]:
    """(names gone, names, data gone, data, other words kept, other words, misses)."""
    text = case["text"]
    rest = text
    for item in [*case.get("names", []), *case.get("data", [])]:
        rest = rest.replace(item, " ")
    rest_words, out_words = _words(rest), _words(out)
    misses: list[str] = []

    def gone(item: str) -> bool:
        leaked = [w for w in _words(item) if len(w) >= 2 and out_words[w] > rest_words[w]]
        if item in out or leaked:
            misses.append(item)
            return False
        return True

    names = [gone(n) for n in case.get("names", [])]
    data = [gone(d) for d in case.get("data", [])]
    kept = sum(min(n, out_words[w]) for w, n in rest_words.items())
    lost = [w for w, n in rest_words.items() if out_words[w] < n]
    misses += [f"lost:{w}" for w in lost]
    return (sum(names), len(names), sum(data), len(data), kept, sum(rest_words.values()), misses)


def report(label: str, cases: list[dict], verbose: bool) -> None:
    names = load_names()
    totals = [0] * 6
    for case in cases:
        out = scrub(case["text"], names).text
        *figures, misses = score(case, out)
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        if verbose and misses:
            print(f"  {misses}\n    {case['text']}\n    {out}")
    ng, n, dg, d, kw, w = totals
    print(
        f"{label:9} {len(cases):4} cases  names scrubbed {ng}/{n} = {ng / max(n, 1):.1%}  "
        f"structured scrubbed {dg}/{d} = {dg / max(d, 1):.1%}  "
        f"other words kept {kw}/{w} = {kw / max(w, 1):.1%}"
    )


def speed(cases: list[dict]) -> None:
    names = load_names()
    texts = [c["text"] for c in cases]
    start = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for text in texts:
            scrub(text, names)
    per_message = (time.perf_counter() - start) * 1000 / (rounds * len(texts))
    long_text = " ".join(texts)
    long_text = (long_text * (10_000 // len(long_text) + 1))[:10_000]
    start = time.perf_counter()
    scrub(long_text, names)
    long_ms = (time.perf_counter() - start) * 1000
    hostile = ("1 " * 5_000)[:10_000]
    start = time.perf_counter()
    scrub(hostile, names)
    hostile_ms = (time.perf_counter() - start) * 1000
    print(
        f"speed     {per_message:.2f} ms per message; 10,000-character text {long_ms:.1f} ms; "
        f"10,000 characters of '1 1 1…' {hostile_ms:.1f} ms"
    )


def main() -> int:
    verbose = "--verbose" in sys.argv
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    start = time.perf_counter()
    load_names()
    print(f"lexicon   loaded in {(time.perf_counter() - start) * 1000:.0f} ms")
    report("tuned", data["tuned"], verbose)
    report("held-out", data["held_out"], verbose)
    report("all", data["tuned"] + data["held_out"], False)
    speed(data["tuned"] + data["held_out"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
