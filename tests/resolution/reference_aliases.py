"""The resolution as it was before it was made incremental (commit 1651a14), kept as the test oracle.

Slow and plain on purpose: one loop over every name, every key, every group. The fast
`resolve_names` and the incremental `update_aliases` must give exactly what this gives.
Only the word lists come from the module.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

import polars as pl
from rapidfuzz import fuzz, process

from orchestration.resolution.aliases import (
    DESCRIPTORS, FUZZY_MIN_LENGTH, FUZZY_MIN_RATIO, GENERIC_EXPANSIONS, GENERIC_FIRST_TOKENS, LEGAL_FORMS,
    OUTPUT_SCHEMA,
)

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(name: str | None) -> str:
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ").replace(".", "")
    tokens = _NON_ALNUM.sub(" ", text).split()
    kept = [t for i, t in enumerate(tokens) if t not in DESCRIPTORS and (i == 0 or t not in LEGAL_FORMS)]
    return " ".join(kept or tokens)


class _UnionFind:
    def __init__(self, items: list[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _same_entity_pairs(keys: list[str]) -> list[tuple[str, str]]:
    """Pairs of keys (of one kind) that the evidence says name the same entity.

    Near-linear: exact lookups for rules 1 and 2, blocked comparisons for rule 3.
    """
    pairs: list[tuple[str, str]] = []
    tokens = {k: tuple(k.split()) for k in keys}
    # 1. same letters once spaces are removed: "hugging face" / "huggingface"
    by_compact: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_compact[k.replace(" ", "")].append(k)
    for group in by_compact.values():
        pairs += [(group[0], other) for other in group[1:]]
    # 2. a distinctive short name and its one expansion by generic words: "coatue" / "coatue management"
    by_tokens = {tokens[k]: k for k in keys}
    expansions: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        t = tokens[k]
        for i in range(1, len(t)):
            short = by_tokens.get(t[:i])
            if short is not None:
                expansions[short].append(k)
    for short, longer in expansions.items():
        first = tokens[short][0]
        if len(first) < 3 or first in GENERIC_FIRST_TOKENS or first.isdigit() or len(longer) != 1:
            continue
        long_ = longer[0]
        if all(t in GENERIC_EXPANSIONS for t in tokens[long_][len(tokens[short]):]):
            pairs.append((short, long_))
    # 3. a typo in a later word of a long name: "hugging face" / "hugging faace". The first word
    #    must be identical: invented names one letter apart ("Broulant", "Brouflant") are
    #    distinct companies far more often than misspellings of one.
    blocks: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for k in keys:
        if len(k) >= FUZZY_MIN_LENGTH and len(tokens[k]) >= 2:
            blocks[(tokens[k][0], len(tokens[k]), len(k))].append(k)
    for (first, words, length), block in blocks.items():
        # ratio = 100 * (1 - distance / (la + lb)) and distance >= lb - la, so a match needs
        # lb - la <= 2 * (100 - R) / R * la
        reach = int(2 * (100 - FUZZY_MIN_RATIO) / FUZZY_MIN_RATIO * length) + 1
        others = [k for extra in range(1, reach + 1) for k in blocks.get((first, words, length + extra), [])]
        candidates = block + others
        if len(candidates) < 2:
            continue
        scores = process.cdist(block, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO, dtype="uint8")
        for i, j in zip(*scores.nonzero()):
            if j >= len(block) or i < j:
                pairs.append((block[i], candidates[j]))
    return pairs


def _rank_form(form: str, count: int) -> tuple:
    return (-count, -len(form), form)


def reference_resolve(names: pl.DataFrame) -> pl.DataFrame:
    """Resolve names as written to entities: one row per (kind, alias_key), sorted."""
    if names.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    rows = names.select(pl.col("kind").cast(pl.Utf8), pl.col("name").cast(pl.Utf8)).drop_nulls()
    out: list[dict[str, str]] = []
    for kind in sorted(set(rows["kind"].to_list())):
        forms: dict[str, Counter] = defaultdict(Counter)  # alias_key -> form as written -> count
        for name in rows.filter(pl.col("kind") == kind)["name"].to_list():
            form = " ".join(name.split())
            key = name_key(form)
            if key:
                forms[key][form] += 1
        keys = sorted(forms)
        uf = _UnionFind(keys)
        for a, b in _same_entity_pairs(keys):
            uf.union(a, b)
        clusters: dict[str, list[str]] = defaultdict(list)
        for k in keys:
            clusters[uf.find(k)].append(k)
        for members in clusters.values():
            counts: Counter = Counter()
            for k in members:
                counts.update(forms[k])
            display = min(counts.items(), key=lambda fc: _rank_form(*fc))[0]
            weight = {k: sum(forms[k].values()) for k in members}
            canonical = min(members, key=lambda k: (-weight[k], -len(k), k))
            out += [{"kind": kind, "alias_key": k, "canonical_key": canonical, "display_name": display}
                    for k in members]
    return pl.DataFrame(out, schema=OUTPUT_SCHEMA).sort(["kind", "alias_key"])


