"""Score a warehouse against a generated gold file with shared/tools/evaluate.py, at corpus scale.

evaluate.py compares every predicted round with every gold round (and every non-round
figure with every prediction): fine for 100 rounds, hours for 200,000. This module runs
the very same `evaluate.evaluate` with two exact speed-ups:

- rounds are blocked by the first word of the normalised company name before matching.
  `same_name` only holds when one name's words are a prefix of the other's, so two names
  that match always share their first word: the candidate pairs, their gaps and the
  greedy assignment are exactly those of `match_rounds`;
- the "non-round figures taken as rounds" count uses sorted amounts per currency and a
  binary search over the 3% window, the same test as `gap`.

    python -m benchmarks.score --warehouse W.duckdb --gold corpus/gold.json
"""
from __future__ import annotations

import argparse
import bisect
import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVALUATE = REPO.parent / "shared" / "tools" / "evaluate.py"


def load_evaluate(path: Path = EVALUATE):
    spec = importlib.util.spec_from_file_location("fundwatch_evaluate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def blocked_match_rounds(ev):
    """`ev.match_rounds` with candidates generated per first word of the company name."""

    def match_rounds(preds: list[dict], golds: list[dict]) -> list[tuple[dict, dict]]:
        by_word: dict[str, list[int]] = {}
        for pi, p in enumerate(preds):
            words = ev.norm(p["company"]).split()
            if words:
                by_word.setdefault(words[0], []).append(pi)
        candidates = []
        for gi, g in enumerate(golds):
            seen: set[int] = set()
            for name in ev.names_of(g):
                words = ev.norm(name).split()
                if not words:
                    continue
                for pi in by_word.get(words[0], []):
                    if pi in seen:
                        continue
                    p = preds[pi]
                    if not ev.same_name(p["company"], name):
                        continue
                    seen.add(pi)
            for pi in sorted(seen):
                d = ev.amount_gap(preds[pi], g)
                if d is not None and d <= ev.TOLERANCE:
                    candidates.append((d, gi, pi))
        pairs, used_g, used_p = [], set(), set()
        for d, gi, pi in sorted(candidates):
            if gi not in used_g and pi not in used_p:
                used_g.add(gi)
                used_p.add(pi)
                pairs.append((golds[gi], preds[pi]))
        return pairs

    return match_rounds


def non_round_hits(ev, preds: list[dict], non_rounds: list[dict]) -> int:
    """How many (non-round, prediction) pairs `evaluate` would list, counted by binary search."""
    values: dict[str, list[float]] = {}
    currencies = {n["currency"] for n in non_rounds}  # once, not once per prediction
    for p in preds:
        for cur in currencies:
            if p.get("amount") is not None and p.get("currency") == cur:
                values.setdefault(cur, []).append(p["amount"])
            elif p.get(f"amount_{cur.lower()}") is not None:
                values.setdefault(cur, []).append(p[f"amount_{cur.lower()}"])
    for v in values.values():
        v.sort()
    hits = 0
    for n in non_rounds:
        v = values.get(n["currency"], [])
        lo, hi = n["amount"] * (1 - ev.TOLERANCE), n["amount"] * (1 + ev.TOLERANCE)
        hits += bisect.bisect_right(v, hi) - bisect.bisect_left(v, lo)
    return hits


def score(warehouse: Path, gold: dict | Path, evaluate_path: Path = EVALUATE) -> dict:
    """evaluate.py's report for a generated corpus, computed in seconds rather than hours."""
    ev = load_evaluate(evaluate_path)
    if not isinstance(gold, dict):
        gold = json.loads(Path(gold).read_text(encoding="utf-8"))
    non_rounds = gold.get("non_rounds", [])
    ev.match_rounds = blocked_match_rounds(ev)
    report = ev.evaluate(str(warehouse), {**gold, "non_rounds": []}, verbose=False)
    preds, _, _ = ev.load(str(warehouse))
    report["non_round_figures_taken_as_rounds"] = non_round_hits(ev, preds, non_rounds)
    report["non_rounds"] = len(non_rounds)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    report = score(args.warehouse, args.gold)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    f = report["fields"]
    print(f"rounds P {report['precision']:.3f} R {report['recall']:.3f} F1 {report['f1']:.3f} "
          f"({report['matched']}/{report['rounds_required']} found, {report['rounds_predicted']} predicted) | "
          + " ".join(f"{k} {v[0]}/{v[1]}" for k, v in f.items())
          + f" | investors P {report['investors_precision']} R {report['investors_recall']}"
          f" | non-round figures taken as rounds: {report['non_round_figures_taken_as_rounds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
