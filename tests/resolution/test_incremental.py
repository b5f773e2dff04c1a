"""Incremental resolution: update_aliases(resolve(A), counts(A), counts(A + B - C)) == resolve(A + B - C), exactly.

The names are the labelled companies and investors of the dev and holdout corpora, written
the ways the press writes them (case, accents, legal forms, "le groupe", glued or split
words, generic expansions, a bare first word, a typo in a later word, a different tail
after the same first word), so every rule links and unlinks names across the splits.
The oracle is the resolution as it was before it was made fast and incremental.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import polars as pl
import pytest

from orchestration.resolution.aliases import (
    COUNTS_SCHEMA, count_names, dirty_keys, key_names, name_key, resolve_counts, resolve_names, update_aliases,
)
from tests.resolution.reference_aliases import name_key as reference_name_key
from tests.resolution.reference_aliases import reference_resolve

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TAILS = ["AI", "Labs", "Management", "Capital", "Ventures", "Partners", "Tech", "France", "Holding", "Bio", "io"]
LEGAL = ["SAS", "S.A.", "Inc.", ", Inc.", "GmbH", "Ltd", "SARL"]
ACCENTS = str.maketrans({"e": "é", "a": "à", "o": "ô", "c": "ç", "i": "ï"})


def corpus_names() -> dict[str, list[str]]:
    """kind → the names the two labelled corpora give (rounds' companies, investors, lookalikes)."""
    found: dict[str, set[str]] = {"company": set(), "investor": set()}
    for corpus in ("dev_corpus", "holdout_corpus"):
        gold = json.loads((FIXTURES / corpus / "gold.json").read_text(encoding="utf-8"))
        for r in gold["rounds"]:
            found["company"].add(r["company"])
            for field in ("investors", "investors_optional", "not_investors"):
                found["investor"].update(r.get(field) or [])
    return {kind: sorted(n for n in names if n) for kind, names in found.items()}


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word)) if len(word) > 1 else 0
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return rng.choice([word[:i] + word[i + 1:], word[:i] + letter + word[i:], word[:i] + letter + word[i + 1:]])


def variant(name: str, rng: random.Random) -> str:
    """One way the press may write a name."""
    words = name.split()
    how = rng.randrange(13)
    if how == 0:
        return name.upper() if rng.random() < 0.5 else name.lower()
    if how == 1:
        return f"{name} {rng.choice(LEGAL)}"
    if how == 2:
        return f"{rng.choice(['le groupe', 'le fonds', 'The'])} {name}"
    if how == 3:
        return name.replace(" ", "")
    if how == 4 and len(words) == 1 and len(name) > 4:  # "HuggingFace" -> "Hugging Face"
        i = rng.randrange(2, len(name) - 1)
        return f"{name[:i]} {name[i:]}"
    if how in (5, 6):
        return f"{name} {rng.choice(TAILS)}"
    if how == 7 and len(words) > 1:
        return words[0]
    if how in (8, 9) and len(words) > 1:  # a typo in a later word
        i = rng.randrange(1, len(words))
        return " ".join(words[:i] + [typo(words[i], rng)] + words[i + 1:])
    if how == 10:
        return name.translate(ACCENTS)
    if how == 11:
        return f"  {name.replace(' ', rng.choice(['  ', chr(9), chr(160)]))} "
    if how == 12:
        return f"{words[0]} {typo(rng.choice(TAILS + words), rng).title()}"
    return name


def written_names(seed: int, size: int) -> pl.DataFrame:
    """(kind, name) rows: corpus names and their variants, each a random number of times."""
    rng = random.Random(seed)
    rows = []
    for kind, names in corpus_names().items():
        for name in rng.sample(names, min(size, len(names))):
            forms = [name] + [variant(name, rng) for _ in range(rng.randrange(4))]
            if rng.random() < 0.1:  # a variant of a variant: chains of links
                forms.append(variant(forms[-1], rng))
            rows += [(kind, f) for f in forms for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    rng.shuffle(rows)
    return pl.DataFrame(rows, schema={"kind": pl.Utf8, "name": pl.Utf8}, orient="row")


def split(rows: pl.DataFrame, rng: random.Random) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(A, B, C): what a previous run saw, what a night adds, which of A's rows it takes away."""
    where = [rng.random() for _ in range(rows.height)]
    share = rng.choice([0.05, 0.3, 0.7, 0.97])
    before = rows.filter(pl.Series(where) < share)
    added = rows.filter(pl.Series(where) >= share)
    drop = rng.choice([0.0, 0.02, 0.2])
    removed = before.filter(pl.Series([rng.random() < drop for _ in range(before.height)], dtype=pl.Boolean))
    return before, added, removed


def minus(rows: pl.DataFrame, removed: pl.DataFrame) -> pl.DataFrame:
    """rows without `removed` (a multiset difference: one row taken away per removed row)."""
    i = pl.int_range(pl.len()).over("kind", "name")
    rows, removed = rows.with_columns(i=i), removed.with_columns(i=i)
    return rows.join(removed, on=["kind", "name", "i"], how="anti").drop("i")


def test_the_oracle_and_the_fast_resolution_agree():
    rows = written_names(1, 400)
    assert resolve_names(rows).equals(reference_resolve(rows))


def test_name_key_agrees_with_the_oracle_on_every_variant():
    rows = written_names(2, 400)
    for name in set(rows["name"]):
        assert name_key(name) == reference_name_key(name), name
    for odd in ["", " ", "\x1c", "A\x1fB", "ÉCOLE & Co.", "ﬁnance", "Ⅻ Ventures", "São Paulo SA", "l'Oréal"]:
        assert name_key(odd) == reference_name_key(odd), odd


@pytest.mark.parametrize("seed", range(24))
def test_an_increment_equals_a_full_resolution(seed):
    rng = random.Random(seed)
    rows = written_names(100 + seed, rng.choice([40, 150, 400]))
    before, added, removed = split(rows, rng)
    previous_counts = key_names(count_names(before))
    previous = resolve_counts(previous_counts)
    now = pl.concat([minus(before, removed), added])
    counts = key_names(count_names(now), known=previous_counts)
    expected = reference_resolve(now)
    assert resolve_names(now).equals(expected)
    assert update_aliases(previous, previous_counts, counts).equals(expected)


def test_night_after_night_equals_one_full_resolution():
    """Chained: each night's aliases are the next night's previous ones."""
    rng = random.Random(5)
    rows = written_names(5, 400)
    nights = [rows.filter(pl.Series([rng.randrange(6) == n for _ in range(rows.height)])) for n in range(6)]
    seen = pl.DataFrame(schema={"kind": pl.Utf8, "name": pl.Utf8})
    counts = pl.DataFrame(schema=COUNTS_SCHEMA)
    aliases = resolve_counts(counts)
    for night in nights:
        gone = seen.filter(pl.Series([rng.random() < 0.03 for _ in range(seen.height)], dtype=pl.Boolean))
        seen = pl.concat([minus(seen, gone), night])
        new_counts = key_names(count_names(seen), known=counts)
        aliases, counts = update_aliases(aliases, counts, new_counts), new_counts
        assert aliases.equals(reference_resolve(seen))


def names(kind: str, *written: str) -> pl.DataFrame:
    return pl.DataFrame({"kind": [kind] * len(written), "name": list(written)})


def step(before: pl.DataFrame, now: pl.DataFrame) -> pl.DataFrame:
    previous_counts = key_names(count_names(before))
    result = update_aliases(resolve_counts(previous_counts), previous_counts, key_names(count_names(now)))
    assert result.equals(resolve_names(now))
    return result


def canonical(aliases: pl.DataFrame, key: str) -> tuple[str, str]:
    row = aliases.filter(pl.col("alias_key") == key).row(0, named=True)
    return row["canonical_key"], row["display_name"]


def test_a_second_expansion_unmerges_and_its_removal_merges_again():
    merged = names("investor", "Coatue", "Coatue Management", "Coatue Management")
    both = pl.concat([merged, names("investor", "Coatue Partners")])
    assert canonical(step(merged, both), "coatue") == ("coatue", "Coatue")  # two expansions: no evidence
    assert canonical(step(both, merged), "coatue") == ("coatue management", "Coatue Management")


def test_a_known_name_seen_again_can_change_its_group_display_name():
    before = names("company", "Hugging Face", "Hugging Face", "HuggingFace", "Kyutai")
    now = pl.concat([before, names("company", "HuggingFace", "HuggingFace")])  # no new key, new counts
    assert canonical(step(before, now), "hugging face") == ("huggingface", "HuggingFace")


def test_blocks_chain_through_glued_words_and_first_tokens():
    keys = pl.DataFrame({"kind": ["company"] * 5,
                         "alias_key": ["hugging face", "huggingface", "huggingface labs", "hugging bear", "kyutai"]})
    touched = pl.DataFrame({"kind": ["company"], "alias_key": ["huggingface labs"]})
    assert sorted(dirty_keys(keys, touched)["alias_key"]) == ["hugging bear", "hugging face", "huggingface",
                                                               "huggingface labs"]
    other_kind = pl.DataFrame({"kind": ["investor"], "alias_key": ["huggingface labs"]})
    assert dirty_keys(keys, other_kind).is_empty()


def test_nothing_changed_gives_the_previous_aliases():
    rows = written_names(3, 100)
    counts = key_names(count_names(rows))
    previous = resolve_counts(counts)
    assert update_aliases(previous, counts, counts).equals(previous)


def test_known_names_are_not_keyed_again(monkeypatch):
    from orchestration.resolution import aliases

    before = key_names(count_names(names("company", "Hugging Face", "Kyutai")))
    seen = []
    monkeypatch.setattr(aliases, "name_key", lambda form: seen.append(form) or name_key(form))
    now = key_names(count_names(names("company", "Hugging Face", "Kyutai", "Kyutai", "Poolside SAS")), known=before)
    assert seen == ["Poolside SAS"]
    assert now.sort("name").equals(key_names(count_names(names("company", "Hugging Face", "Kyutai", "Kyutai",
                                                                     "Poolside SAS"))).sort("name"))
