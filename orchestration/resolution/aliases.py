"""Entity resolution for company and investor names as the press writes them.

`resolve_names(names)` takes every name as written (kind, name; duplicates count as
frequency) and returns one row per (kind, alias_key):

    kind | alias_key | canonical_key | display_name

* `alias_key` is `name_key(name)`: accents, case, punctuation (periods deleted, so
  "S.A." is "sa"), descriptors ("le
  groupe", "le fonds") and trailing legal forms (SAS, SA, Inc., Ltd, GmbH ...) removed.
  The dbt macro `name_key` computes exactly the same key in SQL, so dbt can join any
  name it reads to this table (tests/resolution checks the two agree).
* `canonical_key` groups keys that name the same entity, only where the evidence is
  strong: the same letters without spaces ("HuggingFace" / "Hugging Face"), a
  distinctive name and its single expansion by a generic suffix ("Coatue" / "Coatue
  Management", "Mistral" / "Mistral AI"; never "Intel" / "Intel Capital": an
  investment arm is a different investor), or a typo in a later word of a long
  name (same first word, rapidfuzz ratio >= 94: "Hugging Faace"; never "Broulant" /
  "Brouflant", which are as likely two companies).
* `display_name` is the most frequent form as written in the group (ties: the
  longest, then alphabetical).

Deterministic whatever the input order. No dagster import.

Incremental use (a night adds a few thousand names to hundreds of thousands):
`count_names` → `key_names` gives the per-name counts a caller keeps beside the aliases;
`update_aliases(previous, previous_counts, counts)` then equals `resolve_counts(counts)`
exactly while re-resolving only the *blocks* a changed name touches. A block is a
connected set of keys of one kind under "same first token" or "same letters without
spaces"; every rule above only ever compares keys of one block (rule 1: same letters;
rules 2 and 3: same first token), and a group's canonical and display name only read its
own keys' counts, so the resolution of all names is the union of the resolutions of
each block on its own.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import NamedTuple

import polars as pl
from rapidfuzz import fuzz, process

OUTPUT_SCHEMA = {"kind": pl.Utf8, "alias_key": pl.Utf8, "canonical_key": pl.Utf8, "display_name": pl.Utf8}
#: per distinct name as written: how often it occurs, its whitespace-normalised form and its key
COUNTS_SCHEMA = {"kind": pl.Utf8, "name": pl.Utf8, "n": pl.Int64, "form": pl.Utf8, "alias_key": pl.Utf8}
# Words that describe rather than name ("le groupe Nvidia", "le fonds Addition"); dropped anywhere.
# Keep in sync with macros/name_key.sql.
DESCRIPTORS = ("le", "la", "les", "l", "the", "groupe", "group", "fonds", "fund")
# Legal forms; dropped anywhere but in first position ("SA" alone stays "sa").
LEGAL_FORMS = (
    "sas", "sasu", "sa", "sarl", "sca", "se", "inc", "incorporated", "ltd", "limited", "llc", "llp",
    "plc", "gmbh", "ag", "bv", "nv", "spa", "srl", "corp", "corporation",
)
# Extra trailing words under which a short name still denotes the same entity.
# "ventures", "capital", "investments" are deliberately absent: "Intel Capital" is not "Intel".
GENERIC_EXPANSIONS = frozenset({
    "management", "ai", "ia", "labs", "lab", "technologies", "technology", "tech", "holding",
    "holdings", "hq", "io", "app", "inc", "co", "company", "compagnie", "france", "sas",
})
# First tokens too common to anchor a prefix match on their own.
GENERIC_FIRST_TOKENS = frozenset({
    "new", "open", "data", "digital", "global", "first", "general", "national", "european", "euro",
    "international", "capital", "ventures", "partners", "banque", "bank", "credit", "societe",
    "france", "paris", "french", "group", "tech", "smart", "green", "next", "blue", "red", "one",
    "mister", "monsieur", "madame", "saint", "san", "los", "las", "des", "and",
})
FUZZY_MIN_RATIO = 94.0
FUZZY_MIN_LENGTH = 8

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DESCRIPTORS = frozenset(DESCRIPTORS)
_LEGAL_FORMS = frozenset(LEGAL_FORMS)


def name_key(name: str | None) -> str:
    """The alias key of a name as written; '' for a blank name. Mirrors macros/name_key.sql."""
    if not name:
        return ""
    if name.isascii():  # NFKD leaves ASCII as it is and it has no combining marks: skip both
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    tokens = _NON_ALNUM.sub(" ", text.replace("&", " and ").replace(".", "")).split()
    kept = [t for i, t in enumerate(tokens) if t not in _DESCRIPTORS and (i == 0 or t not in _LEGAL_FORMS)]
    return " ".join(kept or tokens)


# ---------------------------------------------------------------------------- names → per-name counts

def count_names(names: pl.DataFrame) -> pl.DataFrame:
    """(kind, name, n): each distinct name as written and how often it occurs (nulls dropped)."""
    return (names.select(pl.col("kind").cast(pl.Utf8), pl.col("name").cast(pl.Utf8)).drop_nulls()
            .group_by("kind", "name").agg(n=pl.len().cast(pl.Int64)))


def key_names(counts: pl.DataFrame, known: pl.DataFrame | None = None) -> pl.DataFrame:
    """counts (kind, name, n) with each name's form and alias_key (COUNTS_SCHEMA).

    name_key is the costly, per-string step: it runs once per distinct name, and not at all
    for names `known` (a previous key_names result) already keyed.
    """
    counts = counts.select(pl.col("kind").cast(pl.Utf8), pl.col("name").cast(pl.Utf8), pl.col("n").cast(pl.Int64))
    if known is not None and not known.is_empty():
        keyed = counts.join(known.select("kind", "name", "form", "alias_key"), on=["kind", "name"], how="left")
    else:
        keyed = counts.with_columns(form=pl.lit(None, pl.Utf8), alias_key=pl.lit(None, pl.Utf8))
    todo = keyed.filter(pl.col("alias_key").is_null())["name"].unique().to_list()
    if todo:
        forms = [" ".join(name.split()) for name in todo]
        fresh = pl.DataFrame({"name": todo, "form": forms, "alias_key": [name_key(f) for f in forms]},
                             schema={"name": pl.Utf8, "form": pl.Utf8, "alias_key": pl.Utf8})
        keyed = keyed.update(fresh, on="name", how="left")
    return keyed.select(list(COUNTS_SCHEMA)).cast(COUNTS_SCHEMA)


# ---------------------------------------------------------------------------- which keys name one entity

def _same_entity_pairs(keys: list[str] | pl.Series) -> list[tuple[str, str]]:
    """Pairs of keys (of one kind) that the evidence says name the same entity.

    Near-linear: exact lookups for rules 1 and 2, blocked comparisons for rule 3. Rule 1 is a
    vectorised group-by; rules 2 and 3 only pair keys with the same first token, so only the
    keys whose first token another key shares (a few percent) reach the Python loops.
    """
    frame = pl.DataFrame({"k": keys}, schema={"k": pl.Utf8}).unique().with_columns(
        compact=pl.col("k").str.replace_all(" ", "", literal=True), first=pl.col("k").str.split(" ").list.first())
    pairs: list[tuple[str, str]] = []
    # 1. same letters once spaces are removed: "hugging face" / "huggingface"
    linked = (frame.filter(pl.len().over("compact") > 1)
              .select("k", root=pl.col("k").min().over("compact")).filter(pl.col("k") != pl.col("root")))
    pairs += list(zip(linked["root"].to_list(), linked["k"].to_list()))
    shared = frame.filter(pl.len().over("first") > 1)["k"].sort().to_list()
    tokens = {k: tuple(k.split()) for k in shared}
    # 2. a distinctive short name and its one expansion by generic words: "coatue" / "coatue management"
    by_tokens = {tokens[k]: k for k in shared}
    expansions: dict[str, list[str]] = defaultdict(list)
    for k in shared:
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
    for k in shared:
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


def _groups(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """key → the smallest key of its connected group, for every key in a pair (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            parent[hi] = lo
    return {k: find(k) for k in parent}


# ---------------------------------------------------------------------------- resolution

def resolve_counts(counts: pl.DataFrame) -> pl.DataFrame:
    """Resolve per-name counts (COUNTS_SCHEMA, from key_names) to entities: one row per (kind, alias_key), sorted.

    Grouping is per key in Python (the rules); choosing each group's canonical key and display
    name is vectorised: most frequent form (then longest, then alphabetical), heaviest key
    (then longest, then alphabetical). Strings sort by code point in both Python and polars.
    """
    forms = (counts.filter(pl.col("alias_key").is_not_null() & (pl.col("alias_key") != ""))
             .group_by("kind", "alias_key", "form").agg(pl.col("n").sum()))
    if forms.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    groups = []
    for (kind,), frame in forms.select("kind", "alias_key").unique().partition_by("kind", as_dict=True).items():
        group_of = _groups(_same_entity_pairs(frame["alias_key"].sort().to_list()))
        groups.append(pl.DataFrame({"kind": [kind] * len(group_of), "alias_key": list(group_of),
                                    "group": list(group_of.values())}, schema={"kind": pl.Utf8, "alias_key": pl.Utf8,
                                                                               "group": pl.Utf8}))
    forms = (forms.join(pl.concat(groups), on=["kind", "alias_key"], how="left")
             .with_columns(pl.col("group").fill_null(pl.col("alias_key"))))
    # most groups are one key written one way: nothing to choose, nothing to sort
    alone = pl.len().over("kind", "group") == 1
    single = forms.filter(alone).select("kind", "alias_key", canonical_key="alias_key", display_name="form")
    forms = forms.filter(~alone)
    display = (forms.sort(["kind", "group", "n", pl.col("form").str.len_chars(), "form"],
                          descending=[False, False, True, True, False])
               .unique(["kind", "group"], keep="first").select("kind", "group", display_name="form"))
    keys = forms.group_by("kind", "group", "alias_key").agg(pl.col("n").sum())
    canonical = (keys.sort(["kind", "group", "n", pl.col("alias_key").str.len_chars(), "alias_key"],
                           descending=[False, False, True, True, False])
                 .unique(["kind", "group"], keep="first").select("kind", "group", canonical_key="alias_key"))
    multi = keys.join(canonical, on=["kind", "group"]).join(display, on=["kind", "group"])
    return _sorted(pl.concat([single, multi.select(list(OUTPUT_SCHEMA))]))


def _sorted(aliases: pl.DataFrame) -> pl.DataFrame:
    """Sorted by (kind, alias_key): per kind on the key alone, ten times cheaper than a two-column sort."""
    if aliases.is_empty():
        return aliases
    parts = aliases.partition_by("kind", as_dict=True)
    return pl.concat([parts[kind].sort("alias_key") for kind in sorted(parts)])


def resolve_names(names: pl.DataFrame) -> pl.DataFrame:
    """Resolve names as written (kind, name) to entities: one row per (kind, alias_key), sorted."""
    if names.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    return resolve_counts(key_names(count_names(names)))


# ---------------------------------------------------------------------------- incremental resolution

def _features(keys: pl.DataFrame) -> pl.DataFrame:
    """(kind, alias_key) → the two things a rule can link on: first token, letters without spaces."""
    return keys.select("kind", "alias_key",
                       first=pl.col("alias_key").str.split(" ").list.first(),
                       compact=pl.col("alias_key").str.replace_all(" ", "", literal=True))


def dirty_keys(keys: pl.DataFrame, touched: pl.DataFrame) -> pl.DataFrame:
    """The (kind, alias_key) of `keys` in a block sharing a first token or compact form with a `touched` key.

    A block of the current keys none of whose keys shares either with a touched key (added,
    removed, or with changed counts) is a block of the previous keys too, with the same
    counts: its previous rows stand. Grown to a fixed point (blocks chain through both links).
    """
    keys, touched = _features(keys), _features(touched)
    firsts, compacts = touched.select("kind", "first").unique(), touched.select("kind", "compact").unique()
    while True:
        hit = pl.concat([keys.join(firsts, on=["kind", "first"], how="semi"),
                         keys.join(compacts, on=["kind", "compact"], how="semi")]).unique(["kind", "alias_key"])
        more_firsts, more_compacts = hit.select("kind", "first").unique(), hit.select("kind", "compact").unique()
        grown = (pl.concat([firsts, more_firsts]).unique().height, pl.concat([compacts, more_compacts]).unique().height)
        if grown == (firsts.height, compacts.height):
            return hit.select("kind", "alias_key")
        firsts = pl.concat([firsts, more_firsts]).unique()
        compacts = pl.concat([compacts, more_compacts]).unique()


class Changes(NamedTuple):
    """What a change of names does to the stored state, as rows to delete and rows to insert.

    previous aliases − `stale` + `fresh` == resolve_counts(counts), and previous counts −
    `names_dropped` + `names_added` == counts: a caller can rewrite only these rows.
    """
    stale: pl.DataFrame  # (kind, alias_key) whose previous rows no longer hold
    fresh: pl.DataFrame  # OUTPUT_SCHEMA rows that replace them
    names_dropped: pl.DataFrame  # (kind, name) rows of the previous counts that no longer hold
    names_added: pl.DataFrame  # COUNTS_SCHEMA rows that replace them
    touched_keys: int  # keys with a name added, removed or recounted


def alias_changes(previous_counts: pl.DataFrame, counts: pl.DataFrame) -> Changes:
    """The changes that bring `resolve_counts(previous_counts)` to `resolve_counts(counts)`, exactly:
    every block a name added, removed or counted differently touches is resolved again, whole,
    from `counts`; no other block's rows change (see the module doc)."""
    on = ["kind", "name", "n", "alias_key"]  # a name whose key changed is touched under both keys
    counts = counts.select(list(COUNTS_SCHEMA)).cast(COUNTS_SCHEMA)
    previous_counts = previous_counts.select(on).cast({c: COUNTS_SCHEMA[c] for c in on})
    added = counts.join(previous_counts, on=on, how="anti")
    dropped = previous_counts.join(counts, on=on, how="anti")
    nonblank = pl.col("alias_key").is_not_null() & (pl.col("alias_key") != "")
    touched = pl.concat([added.filter(nonblank).select("kind", "alias_key"),
                         dropped.filter(nonblank).select("kind", "alias_key")]).unique()
    names_dropped = dropped.select("kind", "name")
    if touched.is_empty():
        return Changes(touched.clear(), pl.DataFrame(schema=OUTPUT_SCHEMA), names_dropped, added, 0)
    live = counts.filter(nonblank).select("kind", "alias_key")
    dirty = dirty_keys(live, touched)
    gone = touched.join(live, on=["kind", "alias_key"], how="anti")
    fresh = resolve_counts(counts.join(dirty, on=["kind", "alias_key"], how="semi"))
    return Changes(pl.concat([dirty, gone]), fresh, names_dropped, added, touched.height)


def update_aliases(previous: pl.DataFrame, previous_counts: pl.DataFrame, counts: pl.DataFrame) -> pl.DataFrame:
    """`resolve_counts(counts)`, given `previous == resolve_counts(previous_counts)`: exactly, re-resolving
    only the blocks that a name added, removed or counted differently touches (see alias_changes)."""
    changes = alias_changes(previous_counts, counts)
    kept = previous.join(changes.stale, on=["kind", "alias_key"], how="anti")
    return _sorted(pl.concat([kept.select(list(OUTPUT_SCHEMA)).cast(OUTPUT_SCHEMA), changes.fresh]))


__all__ = ["resolve_names", "resolve_counts", "update_aliases", "alias_changes", "Changes", "count_names",
           "key_names", "dirty_keys", "name_key", "OUTPUT_SCHEMA", "COUNTS_SCHEMA"]
