"""The public entry point: schemas, empty inputs, purity."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

import polars as pl

from orchestration.parsing import Extraction, extract
from orchestration.parsing import schema as S
from tests.parsing.util import articles

TABLES = {"article_facts": S.ARTICLE_FACTS, "figures": S.FIGURES, "round_mentions": S.ROUND_MENTIONS,
          "investor_mentions": S.INVESTOR_MENTIONS, "company_facts": S.COMPANY_FACTS}


def check_schema(ex: Extraction):
    for name, schema in TABLES.items():
        df = getattr(ex, name)
        assert dict(df.schema) == schema, name


def test_empty_input_gives_empty_frames_with_schema():
    ex = extract(articles(*[]))
    check_schema(ex)
    assert all(getattr(ex, n).height == 0 for n in TABLES)


def test_articles_without_figures():
    ex = extract(articles("Rien à signaler", "Nothing to see here."))
    check_schema(ex)
    assert ex.article_facts.height == 2 and ex.round_mentions.height == 0


def test_schema_and_ids_on_a_real_article():
    ex = extract(articles("Acme lève 10 millions d’euros\n\nLa start-up Acme, basée à Lyon, lève 10 millions d’euros "
                          "en série A menée par Alto Partners.", published=dt.date(2024, 3, 12)))
    check_schema(ex)
    rm = ex.round_mentions.row(0, named=True)
    assert ex.round_mentions.height == 1  # title and body state one round
    assert rm["round_type"] == "series_a" and rm["announced_on"] == dt.date(2024, 3, 12) and rm["announced_precision"] == "day"
    fig = ex.figures.filter(pl.col("figure_id") == rm["mention_id"]).row(0, named=True)
    assert fig["kind"] == "round" and fig["company"] == "Acme"


def test_offsets_refer_to_the_text():
    text = "Acme lève 10 millions d’euros\n\nLa start-up Acme lève 10 millions d’euros auprès de Kima Ventures."
    ex = extract(articles(text))
    for r in ex.figures.to_dicts():
        assert text[r["char_start"]:r["char_end"]] == r["raw_text"]
        assert r["figure_id"] == f"a0:{r['char_start']}"
    for r in ex.investor_mentions.to_dicts():
        assert text[r["char_start"]:r["char_end"]] == r["quote"]


def test_language_given_or_detected():
    ex = extract(pl.concat([articles("The startup raised $5 million from investors.", lang=None),
                            articles("Acme lève 5 M€ pour la croissance.", lang="fr").with_columns(pl.lit("b").alias("article_id"))]))
    assert ex.article_facts.sort("article_id")["lang"].to_list() == ["en", "fr"]


def test_missing_optional_columns_are_tolerated():
    df = pl.DataFrame({"article_id": ["x"], "text": ["Acme lève 5 millions d’euros."]})
    ex = extract(df)
    check_schema(ex)
    assert ex.round_mentions.height == 1


def test_no_dagster_import():
    root = Path(__file__).resolve().parents[2]
    import re

    for path in (root / "orchestration" / "parsing").glob("*.py"):
        assert not re.search(r"^\s*(?:import|from)\s+dagster", path.read_text(encoding="utf-8"), re.M), path
    code = "import sys, orchestration.parsing; sys.exit('dagster' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_batches_and_threads_give_the_facts_of_one_call():
    """extract reads each article on its own: batches read in parallel give the facts of one batch."""
    from tests.parsing.gold_score import load_articles

    arts = load_articles(Path(__file__).resolve().parents[1] / "fixtures" / "dev_corpus")
    whole = extract(arts, batch_size=arts.height)
    for batch_size, workers in [(7, 2), (13, 1)]:
        parts = extract(arts, batch_size=batch_size, workers=workers)
        for name in Extraction._fields:
            a, b = getattr(whole, name), getattr(parts, name)
            assert a.schema == b.schema, name
            assert a.sort(a.columns, nulls_last=True).equals(b.sort(b.columns, nulls_last=True)), name
