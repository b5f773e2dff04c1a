"""Nothing of the seeds is special-cased (issue #3, point 4): with every company and
investor name replaced by an invented one, the engine reads the same facts."""
import polars as pl
import pytest

from orchestration.parsing import extract
from tests.name_swap import SWAP, swap, unswap
from tests.parsing.test_seeds import seed_articles, seed_folder

ROUND = ["article_id", "company", "amount", "currency", "currency_inferred", "amount_qualifier", "valuation",
         "valuation_currency", "valuation_basis", "round_type", "announced_on", "announced_precision", "is_recalled"]


def _unswapped(df: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    return df.with_columns(pl.col(c).map_elements(unswap, return_dtype=pl.Utf8) for c in cols)


def _rows(df: pl.DataFrame) -> list[tuple]:
    return sorted(df.rows(), key=repr)


@pytest.fixture(scope="module")
def both():
    folder = seed_folder()
    if not folder.is_dir():
        pytest.skip("no seed articles")
    original = seed_articles(folder)
    swapped = original.with_columns(pl.col(c).map_elements(swap, return_dtype=pl.Utf8) for c in ("title", "text"))
    assert original["text"].str.contains("Hugging Face").any() and not swapped["text"].str.contains("Hugging Face").any()
    return extract(original), extract(swapped)


def _investor_rows(ex) -> pl.DataFrame:
    rounds = ex.round_mentions.select("mention_id", "company", "amount", "currency")
    return ex.investor_mentions.join(rounds, on="mention_id", how="left").select(
        "article_id", "company", "amount", "currency", "investor", "is_lead", "is_existing")


def test_every_name_of_the_gold_is_swapped():
    assert all(swap(name) != name for name in SWAP)


def test_same_rounds(both):
    original, swapped = both
    assert original.round_mentions.height >= 8
    assert _rows(_unswapped(swapped.round_mentions.select(ROUND), ["company"])) == _rows(original.round_mentions.select(ROUND))


def test_same_investors_and_leads(both):
    original, swapped = both
    assert _rows(_unswapped(_investor_rows(swapped), ["company", "investor"])) == _rows(_investor_rows(original))


def test_same_figures_and_kinds(both):
    original, swapped = both
    cols = ["article_id", "amount", "currency", "qualifier", "kind", "company"]
    assert _rows(_unswapped(swapped.figures.select(cols), ["company"])) == _rows(original.figures.select(cols))


def test_same_company_locations(both):
    original, swapped = both
    cols = ["article_id", "company", "city", "country"]
    assert _rows(_unswapped(swapped.company_facts.select(cols), ["company"]).unique()) == _rows(original.company_facts.select(cols).unique())
