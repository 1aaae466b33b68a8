"""Score `flows.scrub` on an independent labelled set, split dev / test.

tests/data/scrub_eval.yaml was written before the scrubber's code was read; its `dev` half may
guide changes, its `test` half must not. Besides names / structured data / other words (same
scoring as bench/scrub_accuracy.py), it reports how many `keep` words (categories, places,
organisations, jobs: what carries the meaning of a report) survive, the speed per message, and
the time on 10,000-character texts built to trigger catastrophic backtracking.

    .venv/bin/python bench/scrub_eval.py [--file PATH] [--split dev|test] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from scrub_accuracy import _words, score

from directory.names import load_names
from flows.scrub import scrub

EVAL = Path(__file__).parent.parent / "tests" / "data" / "scrub_eval.yaml"


def evaluate(cases: list[dict]) -> dict:
    """Totals over `cases` and the list of misses, per case."""
    names = load_names()
    totals = dict.fromkeys(("ng", "n", "dg", "d", "kw", "w", "kk", "k"), 0)
    leaks: list[tuple[list[str], str, str]] = []
    for case in cases:
        out = scrub(case["text"], names).text
        ng, n, dg, d, kw, w, misses = score(case, out)
        out_words = _words(out)
        lost_keep = [k for k in case.get("keep", []) if not all(out_words[x] for x in _words(k))]
        kk, k = len(case.get("keep", [])) - len(lost_keep), len(case.get("keep", []))
        for key, value in zip(totals, (ng, n, dg, d, kw, w, kk, k), strict=True):
            totals[key] += value
        misses += [f"keep:{k}" for k in lost_keep if f"lost:{k}" not in misses]
        if misses:
            leaks.append((misses, case["text"], out))
    return {**totals, "cases": len(cases), "leaks": leaks}


def line(label: str, t: dict) -> str:
    def pct(a: int, b: int) -> str:
        return f"{a}/{b} = {a / max(b, 1):.1%}"

    return (
        f"{label:6} {t['cases']:4} cases  names {pct(t['ng'], t['n'])}  "
        f"structured {pct(t['dg'], t['d'])}  other words kept {pct(t['kw'], t['w'])}  "
        f"keep-words kept {pct(t['kk'], t['k'])}"
    )


def speed(cases: list[dict]) -> None:
    names = load_names()
    texts = [c["text"] for c in cases]
    rounds = 10
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            scrub(text, names)
    per_message = (time.perf_counter() - start) * 1000 / (rounds * len(texts))
    print(f"speed  {per_message:.3f} ms per message")
    joined = " ".join(texts)
    hostile = {
        "realistic": (joined * (10_000 // len(joined) + 1))[:10_000],
        "digits '1 1 1'": ("1 " * 5_000)[:10_000],
        "digits '12.12-'": ("12.12-" * 2_000)[:10_000],
        "capitals 'Jean '": ("Jean " * 2_000)[:10_000],
        "letters no space": "a" * 10_000,
        "dots 'a.a.'": ("a." * 5_000)[:10_000],
        "at-signs": ("a@b." * 2_500)[:10_000],
        "address-like": ("12 rue de la " * 800)[:10_000],
        "url-like": "http://" + "a/" * 4_996,
        "hidden e-mail": ("a dot b at c " * 800)[:10_000],
        "residence-like": ("résidence Le " * 800)[:10_000],
    }
    for label, text in hostile.items():
        start = time.perf_counter()
        scrub(text, names)
        print(f"       10,000 chars {label:18} {(time.perf_counter() - start) * 1000:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=EVAL)
    parser.add_argument("--split", choices=("dev", "test"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    cases = yaml.safe_load(args.file.read_text(encoding="utf-8"))["cases"]
    load_names()
    splits = [args.split] if args.split else ["dev", "test"]
    for split in splits:
        result = evaluate([c for c in cases if c.get("split") == split])
        print(line(split, result))
        if args.verbose:
            for misses, text, out in result["leaks"]:
                print(f"    {misses}\n      {text}\n      {out}")
    if not args.split:
        print(line("all", evaluate(cases)))
    speed(cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
