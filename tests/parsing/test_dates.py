"""Dates with precision: explicit, relative to the article, relative to the previous date."""
import datetime as dt

import polars as pl
import pytest

from orchestration.parsing.dates import find_dates, infer_published
from orchestration.parsing.text import split_sentences
from tests.parsing.util import articles

PUB = dt.date(2023, 11, 20)


def dates(text, published=PUB):
    arts = articles(text, published=published)
    sents = split_sentences(arts)
    return find_dates(sents, arts.select("article_id", "published_on")).to_dicts()


@pytest.mark.parametrize("text,date,precision", [
    ("Annoncé le 17 novembre 2023 à Paris.", dt.date(2023, 11, 17), "day"),
    ("Announced on March 5, 2024.", dt.date(2024, 3, 5), "day"),
    ("Sa dernière levée datait de mai 2022.", dt.date(2022, 5, 1), "month"),
    ("It raised money in March 2024.", dt.date(2024, 3, 1), "month"),
    ("Au premier trimestre 2024, tout monte.", dt.date(2024, 1, 1), "quarter"),
    ("In Q3 2023 the market fell.", dt.date(2023, 7, 1), "quarter"),
    ("En 2021, elle avait réuni 325 millions.", dt.date(2021, 1, 1), "year"),
    ("Le tour a été annoncé ce jeudi.", PUB, "day"),
    ("L’an dernier, elle a levé 5 M€.", dt.date(2022, 1, 1), "year"),
    ("Elle a levé 218 millions en août.", dt.date(2023, 8, 1), "month"),
    ("Elle a levé 5 millions en décembre.", dt.date(2022, 12, 1), "month"),
    ("Il y a à peine plus d’un an, X levait 40 millions.", dt.date(2022, 1, 1), "year"),
    ("Two years ago it raised $5M.", dt.date(2021, 1, 1), "year"),
])
def test_date_mentions(text, date, precision):
    found = [d for d in dates(text) if not d["founded"]]
    assert (found[0]["date"], found[0]["precision"]) == (date, precision)


def test_founding_year_is_flagged():
    assert dates("La société, fondée en 2016, lève 5 M€.")[0]["founded"] is True


def test_a_year_earlier_is_relative_to_the_previous_date():
    found = dates("En mai 2022, elle avait levé 100 millions. Un an plus tôt, elle avait obtenu 40 millions.")
    assert found[-1]["date"] == dt.date(2021, 1, 1) and found[-1]["precision"] == "year"


def test_publication_date_inferred_from_the_latest_full_date():
    arts = articles("Le lancement, le 17 novembre 2023 à Paris, après une annonce le 2 octobre 2023.", published=None)
    sents = split_sentences(arts)
    pub = infer_published(arts, find_dates(sents, arts.select("article_id", "published_on"))).row(0, named=True)
    assert pub["published_on"] == dt.date(2023, 11, 17)
    assert pub["published_inferred"] is True and pub["published_precision"] == "day"


def test_given_publication_date_wins():
    arts = articles("Le 17 novembre 2023 à Paris.", published=dt.date(2024, 1, 2))
    sents = split_sentences(arts)
    pub = infer_published(arts, find_dates(sents, arts.select("article_id", "published_on"))).row(0, named=True)
    assert pub["published_on"] == dt.date(2024, 1, 2) and pub["published_inferred"] is False


def test_no_date_at_all():
    arts = articles("Aucune date ici.", published=None)
    sents = split_sentences(arts)
    pub = infer_published(arts, find_dates(sents, arts.select("article_id", "published_on"))).row(0, named=True)
    assert pub["published_on"] is None and pub["published_inferred"] is False


def test_impossible_day_is_clipped_to_the_month():
    found = dates("Annoncé le 31 février 2024.")
    assert found[0]["date"] == dt.date(2024, 2, 29)


def test_garbage_does_not_crash():
    from orchestration.parsing import extract
    import polars as pl

    df = pl.DataFrame({"article_id": ["a", "b", "c", "d"], "text": ["", "€€ $ 5", None, "\x00 lève 5 M€ 한국어"]})
    ex = extract(df)
    assert ex.article_facts.height == 4


@pytest.mark.parametrize("text,date,precision", [
    ("La série A bouclée le mois dernier.", dt.date(2023, 10, 1), "month"),
    ("Fernway raised a seed round last month.", dt.date(2023, 10, 1), "month"),
])
def test_last_month(text, date, precision):
    found = dates(text)
    assert (found[0]["date"], found[0]["precision"]) == (date, precision)


def test_sept_is_seven_without_a_year():
    assert dates("La jeune pousse annonce une levée de sept millions d'euros.") == []


def test_a_coarse_date_holding_the_article_date_is_the_article_date():
    from tests.parsing.util import rounds

    r = rounds("Oakhaven has raised a $6 million bridge round ahead of a planned Series B later this year.",
               published=dt.date(2024, 3, 28))[0]
    assert r["announced_on"] == dt.date(2024, 3, 28) and r["announced_precision"] == "day"
