"""Mention-level score of the engine against a gold file (seeds_gold.json format).

    .venv/bin/python -m tests.parsing.gold_score tests/fixtures/dev_corpus [-v]

A round mention is right when its company has the same name as a gold round
(the scorer's rule: equal, or one name's words start the other's) and its
amount is within 3% in the same currency (or an accepted one). Recall counts
gold rounds found by at least one mention; precision counts mentions that
match some gold round (optional rounds neither help nor hurt). Fields are
scored on matched mentions; cities and countries through company_facts.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

TOL = 0.03
DROP = {"le", "la", "les", "l", "the", "groupe", "group", "fonds", "fund", "de", "d", "du"}


def norm(name):
    if not name:
        return ""
    t = unicodedata.normalize("NFKD", name)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower().replace("&", " and ")
    t = "".join(c if c.isalnum() else " " for c in t)
    return " ".join(w for w in t.split() if w not in DROP)


def same_name(a, b):
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    ta, tb = na.split(), nb.split()
    s, l_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return l_[: len(s)] == s



def _match_names(predicted: list[str], gold: list[str]) -> tuple[int, list[str]]:
    """Gold names found among the predicted ones (each used once), and the predicted ones left over."""
    left, hits = list(predicted), 0
    for name in gold:
        k = next((k for k, p in enumerate(left) if same_name(p, name)), None)
        if k is not None:
            hits += 1
            del left[k]
    return hits, left

def figures(g):
    out = [(g["amount"], c) for c in [g["currency"], *g.get("accept_currencies", [])]]
    return out + [tuple(a) for a in g.get("alternatives", [])]


def matches(m, g):
    if not any(same_name(m["company"], n) for n in [g["company"], *g.get("aliases", [])]):
        return False
    return any(m["currency"] == c and abs(m["amount"] - a) / a <= TOL for a, c in figures(g))


def load_articles(folder: Path):
    from orchestration.ingest import read_raw_folder

    import polars as pl

    arts = read_raw_folder(folder).articles
    return arts.filter(~pl.col("path").str.to_lowercase().str.ends_with("readme.md"))


def score(folder: Path, gold_path: Path | None = None, verbose: bool = False) -> dict:
    from orchestration.parsing import extract

    gold = json.loads((gold_path or folder / "gold.json").read_text(encoding="utf-8"))
    ex = extract(load_articles(folder))
    mentions = ex.round_mentions.to_dicts()
    inv = defaultdict(list)
    for r in ex.investor_mentions.to_dicts():
        inv[r["mention_id"]].append(r)
    places = defaultdict(list)
    for r in ex.company_facts.to_dicts():
        places[norm(r["company"])].append(r)
    golds = gold["rounds"]
    found, good, optional_hits, extras = set(), 0, 0, []
    fields = defaultdict(lambda: [0, 0])
    inv_hit = inv_pred = inv_gold = 0
    per_gold = defaultdict(list)
    for m in mentions:
        hit = [i for i, g in enumerate(golds) if matches(m, g)]
        if not hit:
            extras.append(m)
            continue
        if all(golds[i].get("optional") for i in hit):
            optional_hits += 1
            continue
        good += 1
        for i in hit:
            found.add(i)
            per_gold[i].append(m)
    for i, ms in per_gold.items():
        g = golds[i]
        for m in ms:
            def add(k, ok):
                fields[k][0] += bool(ok)
                fields[k][1] += 1
                if verbose and not ok:
                    got = {"round_type": m["round_type"], "valuation": m["valuation"], "qualifier": m["amount_qualifier"],
                           "announced": m["announced_on"], "lead": [r["investor"] for r in inv[m["mention_id"]] if r["is_lead"]]}[k]
                    want = {"round_type": g.get("round_type"), "valuation": g.get("valuation"), "qualifier": g.get("qualifier"),
                            "announced": g.get("announced"), "lead": g.get("lead_investor")}[k]
                    print(f"  {k} {g['company']} {g['amount']:,.0f} [{m['mention_id']}]: got {got!r} want {want!r}")
            if g.get("round_type"):
                rt = g["round_type"] if isinstance(g["round_type"], list) else [g["round_type"]]
                add("round_type", m["round_type"] in rt)
            if g.get("valuation"):
                add("valuation", m["valuation"] is not None and abs(m["valuation"] - g["valuation"]) / g["valuation"] <= TOL)
            if g.get("qualifier") and g["qualifier"] != "exact":
                add("qualifier", m["amount_qualifier"] == g["qualifier"])
            if g.get("announced"):
                add("announced", str(m["announced_on"] or "").startswith(g["announced"]))
            names = [r["investor"] for r in inv[m["mention_id"]]]
            opt = g.get("investors_optional", [])
            names = [n for n in names if not any(same_name(n, o) for o in opt)]
            if g.get("lead_investor"):
                leads = g["lead_investor"] if isinstance(g["lead_investor"], list) else [g["lead_investor"]]
                got = [r["investor"] for r in inv[m["mention_id"]] if r["is_lead"]]
                add("lead", any(same_name(p, lg) for p in got for lg in leads))
            if names or g.get("investors"):
                h, left = _match_names(names, g.get("investors", []))
                inv_hit += h
                inv_pred += len(names)
                inv_gold += len(g.get("investors", []))
                if verbose and (left or h < len(g.get("investors", []))):
                    print(f"  investors {g['company']} {g['amount']:,.0f} [{m['mention_id']}]: wrong {left}; "
                          f"missed {[x for x in g.get('investors', []) if not any(same_name(p, x) for p in names)]}")
        pl_ = places.get(norm(g["company"]), [])
        if verbose and g.get("city") and not any(any(same_name(p["city"], c) for c in g["city"]) for p in pl_):
            print(f"  city {g['company']}: got {[(p['city'], p['country']) for p in pl_]} want {g['city']}")
        if g.get("city"):
            fields["city"][0] += any(any(same_name(p["city"], c) for c in g["city"]) for p in pl_)
            fields["city"][1] += 1
        if g.get("country"):
            fields["country"][0] += any(p["country"] in g["country"] for p in pl_)
            fields["country"][1] += 1
    # corpus level (what dbt merges): a gold round's mentions pooled
    pooled = defaultdict(lambda: [0, 0])
    p_hit = p_pred = p_gold = 0
    for i, ms in per_gold.items():
        g = golds[i]
        if g.get("optional"):
            continue
        def padd(k, ok):
            pooled[k][0] += bool(ok)
            pooled[k][1] += 1
        if g.get("round_type"):
            rt = g["round_type"] if isinstance(g["round_type"], list) else [g["round_type"]]
            padd("round_type", any(m["round_type"] in rt for m in ms))
        if g.get("valuation"):
            padd("valuation", any(m["valuation"] and abs(m["valuation"] - g["valuation"]) / g["valuation"] <= TOL for m in ms))
        if g.get("lead_investor"):
            leads = g["lead_investor"] if isinstance(g["lead_investor"], list) else [g["lead_investor"]]
            padd("lead", any(same_name(r["investor"], lg) for m in ms for r in inv[m["mention_id"]] if r["is_lead"] for lg in leads))
        if g.get("announced"):
            best = sorted(ms, key=lambda m: (m["announced_on"] is None, {"day": 0, "month": 1, "quarter": 2, "year": 3}.get(m["announced_precision"], 4), str(m["announced_on"])))
            padd("announced", str(best[0]["announced_on"] or "").startswith(g["announced"]))
        names = []
        for m in ms:
            for r in inv[m["mention_id"]]:
                if not any(same_name(r["investor"], n) for n in names):
                    names.append(r["investor"])
        opt = g.get("investors_optional", [])
        names = [n for n in names if not any(same_name(n, o) for o in opt)]
        h, _ = _match_names(names, g.get("investors", []))
        p_hit += h
        p_pred += len(names)
        p_gold += len(g.get("investors", []))
    required = [i for i, g in enumerate(golds) if not g.get("optional")]
    recall = sum(1 for i in required if i in found) / len(required) if required else 1.0
    counted = len(mentions) - optional_hits
    precision = good / counted if counted else 0.0
    non_round_hits = []
    for n in gold.get("non_rounds", []):
        for m in mentions:
            if m["currency"] == n["currency"] and abs(m["amount"] - n["amount"]) / n["amount"] <= TOL:
                non_round_hits.append((m["company"], m["amount"], m["currency"], n.get("what")))
    report = {
        "mentions": len(mentions), "precision": round(precision, 3), "recall": round(recall, 3),
        "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "fields": {k: f"{a}/{b}" for k, (a, b) in sorted(fields.items())},
        "investors_precision": round(inv_hit / inv_pred, 3) if inv_pred else None,
        "investors_recall": round(inv_hit / inv_gold, 3) if inv_gold else None,
        "non_rounds_taken": len(non_round_hits),
        "corpus_level": {
            "fields": {k: f"{a}/{b}" for k, (a, b) in sorted(pooled.items())},
            "investors_precision": round(p_hit / p_pred, 3) if p_pred else None,
            "investors_recall": round(p_hit / p_gold, 3) if p_gold else None,
        },
    }
    if verbose:
        for i in required:
            if i not in found:
                g = golds[i]
                print(f"missed: {g['company']} {g['amount']:,.0f} {g['currency']}  ({g.get('notes', '')[:80]})")
        for m in extras:
            print(f"extra:  {m['company']} {m['amount']:,.0f} {m['currency']}  [{m['mention_id']}] {m['quote'][:110]!r}")
        for h in non_round_hits:
            print(f"non-round taken: {h}")
    return report


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    folder = Path(args[0]) if args else Path("tests/fixtures/dev_corpus")
    gold = Path(args[1]) if len(args) > 1 else None
    print(json.dumps(score(folder, gold, verbose="-v" in sys.argv), indent=1))
