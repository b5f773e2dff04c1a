"""orchestration.resolution.aliases: names as written -> entities."""
from __future__ import annotations

import random

import polars as pl
import pytest

from orchestration.resolution.aliases import OUTPUT_SCHEMA, name_key, resolve_names


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Hugging Face", "hugging face"),
        ("  HUGGING   face ", "hugging face"),
        ("Hugging Face SAS", "hugging face"),
        ("Société Générale S.A.", "societe generale"),
        ("Mistral AI, Inc.", "mistral ai"),
        ("Aleph Alpha GmbH", "aleph alpha"),
        ("DeepMind Ltd", "deepmind"),
        ("le groupe Nvidia", "nvidia"),
        ("le fonds Addition", "addition"),
        ("Thibault Elzière", "thibault elziere"),
        ("Salesforce & Sound Ventures", "salesforce and sound ventures"),
        ("Rodolphe Saadé", "rodolphe saade"),
        ("SA", "sa"),  # a name made only of a legal form keeps it
        ("", ""),
        (None, ""),
    ],
)
def test_name_key(written, key):
    assert name_key(written) == key


def names(kind: str, *written: str) -> pl.DataFrame:
    return pl.DataFrame({"kind": [kind] * len(written), "name": list(written)})


def resolved(frame: pl.DataFrame) -> dict[str, tuple[str, str]]:
    out = resolve_names(frame)
    return {r["alias_key"]: (r["canonical_key"], r["display_name"]) for r in out.iter_rows(named=True)}


def test_output_schema_and_empty_input():
    empty = resolve_names(pl.DataFrame(schema={"kind": pl.Utf8, "name": pl.Utf8}))
    assert empty.schema == pl.Schema(OUTPUT_SCHEMA) and empty.is_empty()
    out = resolve_names(names("company", "Hugging Face"))
    assert out.schema == pl.Schema(OUTPUT_SCHEMA)


def test_close_variants_merge():
    r = resolved(names("investor", "Coatue", "Coatue Management", "Coatue Management"))
    assert r["coatue"] == r["coatue management"] == ("coatue management", "Coatue Management")
    r = resolved(names("company", "Hugging Face", "HuggingFace", "Hugging Face", "Hugging Face SAS"))
    assert r["huggingface"] == r["hugging face"] == ("hugging face", "Hugging Face")
    r = resolved(names("company", "Mistral AI", "Mistral", "Mistral AI"))
    assert r["mistral"][0] == "mistral ai"


def test_typo_in_a_later_word_merges():
    r = resolved(names("company", "Hugging Face", "Hugging Face", "Hugging Faace"))
    assert r["hugging faace"] == ("hugging face", "Hugging Face")


def test_names_one_letter_apart_stay_apart():
    # invented company names often differ by one letter: no evidence they are one company
    r = resolved(names("company", "Broulant", "Brouflant", "Floflyl Mobility", "Flioflyl Mobility"))
    assert len({canonical for canonical, _ in r.values()}) == 4


def test_investment_arms_and_distinct_names_stay_apart():
    r = resolved(names("investor", "Intel", "Intel Capital", "Salesforce", "Salesforce Ventures",
                       "AMD", "AMD Ventures", "Sound Ventures", "Index Ventures", "Lux Capital", "Spark Capital"))
    assert len({canonical for canonical, _ in r.values()}) == len(r)


def test_ambiguous_short_name_is_left_alone():
    # "Sequoia" could be Sequoia Capital or Sequoia Heritage: no evidence, no merge
    r = resolved(names("investor", "Sequoia", "Sequoia Management", "Sequoia Heritage"))
    assert r["sequoia"][0] == "sequoia"


def test_kinds_are_resolved_separately():
    out = resolve_names(pl.concat([names("company", "Accel"), names("investor", "Accel", "Accel Management")]))
    company = out.filter(pl.col("kind") == "company").row(0, named=True)
    assert company["canonical_key"] == "accel"
    investor = out.filter((pl.col("kind") == "investor") & (pl.col("alias_key") == "accel")).row(0, named=True)
    assert investor["canonical_key"] == "accel management"


def test_display_name_is_most_frequent_then_longest():
    r = resolved(names("company", "Hugging Face", "HUGGING FACE", "Hugging Face"))
    assert r["hugging face"][1] == "Hugging Face"
    r = resolved(names("company", "Poolside", "Poolside SAS"))  # tie: the longest form
    assert r["poolside"][1] == "Poolside SAS"


def test_deterministic_whatever_the_input_order():
    frame = pl.concat([
        names("company", "Hugging Face", "HuggingFace", "Hugging Face SAS", "Mistral AI", "Mistral", "Kyutai"),
        names("investor", "Coatue", "Coatue Management", "Intel", "Intel Capital", "Xavier Niel", "xavier niel"),
    ])
    expected = resolve_names(frame)
    rng = random.Random(7)
    for _ in range(10):
        order = list(range(frame.height))
        rng.shuffle(order)
        assert resolve_names(frame[order]).equals(expected)


def test_one_row_per_alias_key_and_canonicals_are_keys():
    frame = names("company", "Hugging Face", "HuggingFace", "Hugging Face SAS", "Scale AI", "Scale")
    out = resolve_names(frame)
    assert out.select(pl.struct("kind", "alias_key").is_unique().all()).item()
    assert set(out["canonical_key"]) <= set(out["alias_key"])
    # one display name per entity
    assert out.group_by("canonical_key").agg(pl.col("display_name").n_unique())["display_name"].max() == 1


def test_blocked_fuzzy_matching_finds_what_a_full_comparison_finds():
    """Rule 3 compares names in blocks (first word, words, close lengths): no pair is lost."""
    from itertools import combinations

    from rapidfuzz import fuzz

    from orchestration.resolution import aliases

    rng = random.Random(11)
    letters = "abcdefghij"
    keys = set()
    for _ in range(400):
        first = rng.choice(["alpha", "beta", "gamma"])
        word = "".join(rng.choice(letters) for _ in range(rng.randint(5, 12)))
        keys.add(f"{first} {word}")
        for _ in range(2):  # a variant with one letter dropped, added or changed
            i = rng.randrange(1, len(word))
            variant = rng.choice([word[:i] + word[i + 1:], word[:i] + rng.choice(letters) + word[i:],
                                  word[:i] + rng.choice(letters) + word[i + 1:]])
            keys.add(f"{first} {variant}")
    keys = sorted(keys)
    expected = {
        tuple(sorted((a, b))) for a, b in combinations(keys, 2)
        if a.split()[0] == b.split()[0] and min(len(a), len(b)) >= aliases.FUZZY_MIN_LENGTH
        and fuzz.ratio(a, b) >= aliases.FUZZY_MIN_RATIO
    }
    found = {tuple(sorted(p)) for p in aliases._same_entity_pairs(keys)}
    assert expected and expected <= found


def test_scales_to_many_names():
    import time

    rng = random.Random(5)
    written = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 12))).title()
               + rng.choice(["", " AI", " Labs", " Capital"]) for _ in range(20_000)]
    start = time.perf_counter()
    out = resolve_names(names("company", *written))
    assert out.height > 15_000
    assert time.perf_counter() - start < 60
