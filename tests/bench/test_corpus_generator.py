"""The corpus generator: reproducible, varied, and its truth agrees with its text (fast, no pipeline)."""
from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

import pytest

from benchmarks.corpus import Generator, company_word, extend, generate
from benchmarks.vocab import DEMONYMS_FR
from benchmarks.score import EVALUATE, blocked_match_rounds, load_evaluate


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, articles=400, seed=11)
    return out


def test_same_seed_same_corpus(corpus, tmp_path):
    generate(tmp_path, articles=400, seed=11)
    assert _files(tmp_path / "raw") == _files(corpus / "raw")
    assert (tmp_path / "gold.json").read_text() == (corpus / "gold.json").read_text()


def test_another_seed_another_corpus(corpus, tmp_path):
    generate(tmp_path, articles=50, seed=12)
    assert set(_files(tmp_path / "raw")).isdisjoint(k for k in _files(corpus / "raw") if not k.endswith(".csv"))


def test_extending_equals_generating_more(tmp_path):
    generate(tmp_path / "a", articles=120, seed=5)
    extend(tmp_path / "a", 30)
    generate(tmp_path / "b", articles=150, seed=5)
    assert _files(tmp_path / "a" / "raw") == _files(tmp_path / "b" / "raw")
    ga = json.loads((tmp_path / "a" / "gold.json").read_text())
    gb = json.loads((tmp_path / "b" / "gold.json").read_text())
    assert ga["rounds"] == gb["rounds"] and ga["non_rounds"] == gb["non_rounds"]


def test_company_words_are_unique():
    words = [company_word(u, 7) for u in range(200_000)]
    assert len(set(words)) == len(words)


def test_variety(corpus):
    texts = {p: p.read_bytes() for p in (corpus / "raw").rglob("*") if p.suffix in {".txt", ".md", ".html"}}
    decoded = [b.decode("utf-8-sig", errors="replace") for b in texts.values()]
    sizes = [len(b) for b in texts.values()]
    assert 3000 < statistics.mean(sizes) < 5000, statistics.mean(sizes)
    names = [p.name for p in texts]
    assert sum("_fr_" in n for n in names) > 100 and sum("_en_" in n for n in names) > 100
    assert {p.suffix for p in texts} == {".txt", ".md", ".html"}
    joined = "\n".join(decoded)
    for form in ["M€", "millions d’euros", "millions d'euros", "milliard", "$", "£", "\u00a0", "\u202f",
                 "million", "série A", "Series A", "auprès", "led by", "À lire aussi", "Read more"]:
        assert form in joined, form
    assert any(b.startswith(b"\xef\xbb\xbf") for b in texts.values())
    gen = Generator(11)
    kinds = [gen.kind(i) for i in range(400)]
    assert {"single", "roundup", "noise"} == set(kinds)


def test_roundups_list_five_to_fifteen_deals(corpus):
    gold = json.loads((corpus / "gold.json").read_text())
    per_article: dict[str, int] = {}
    for r in gold["rounds"]:
        for a in r["articles"]:
            per_article[a] = per_article.get(a, 0) + 1
    roundups = {a: n for a, n in per_article.items() if n >= 5}
    assert roundups and max(roundups.values()) <= 15 + 4  # + teasers and a recalled round


def test_gold_states_only_what_the_text_says(corpus):
    gold = json.loads((corpus / "gold.json").read_text())
    assert gold["rounds"] and gold["non_rounds"]
    texts = {p.relative_to(corpus / "raw").as_posix(): _decode(p)
             for p in (corpus / "raw").rglob("*") if p.suffix in {".txt", ".md", ".html"}}
    for r in gold["rounds"]:
        assert r["amount"] > 0 and r["currency"] in {"EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN"}
        articles = [texts[a] for a in r["articles"]]
        assert all(r["company"] in t for t in articles), r
        for name in r["investors"]:
            assert any(name in t or name.replace("’", "'") in t for t in articles), (name, r["key"])
        if r.get("city"):
            forms = [*r["city"], *(DEMONYMS_FR[c] for c in r["city"] if c in DEMONYMS_FR),
                     *(c.split(" ", 1)[1] for c in r["city"] if c.startswith(("Le ", "Les ")))]  # "au Havre"
            assert any(any(c in t for c in forms) for t in articles), (r, articles)
    keys = [r["key"] for r in gold["rounds"]]
    assert len(keys) == len(set(keys))


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


@pytest.mark.skipif(not EVALUATE.exists(), reason="shared/ not beside the repo")
def test_blocked_matching_is_evaluate_matching(corpus):
    ev = load_evaluate()
    golds = json.loads((corpus / "gold.json").read_text())["rounds"][:400]
    rng = random.Random(3)
    preds = []
    for g in golds:
        for _ in range(rng.choice([0, 1, 1, 2])):
            name = rng.choice([g["company"], g["company"].split()[0], g["company"] + " SAS", "Other " + g["company"]])
            amount = g["amount"] * rng.choice([1, 1.02, 0.98, 1.05, 0.5])
            preds.append({"company": name, "amount": amount, "currency": rng.choice([g["currency"], "EUR"]),
                          "amount_eur": amount * rng.choice([1, 0.92]), "amount_usd": amount * rng.choice([1, 1.08])})
    rng.shuffle(preds)
    expected = ev.match_rounds(preds, golds)
    got = blocked_match_rounds(ev)(preds, golds)
    assert [(id(g), id(p)) for g, p in got] == [(id(g), id(p)) for g, p in expected]
