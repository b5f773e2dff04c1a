"""Small builders for the parsing tests."""
from __future__ import annotations

import datetime as dt

import polars as pl

from orchestration.parsing import extract
from orchestration.parsing.figure_kinds import add_contexts, classify
from orchestration.parsing.money import find_figures
from orchestration.parsing.qualifiers import qualifier
from orchestration.parsing.text import split_sentences


def articles(*texts: str, published: dt.date | None = dt.date(2024, 3, 15), lang: str | None = None) -> pl.DataFrame:
    """An articles frame (docs/interfaces.md section 1) with one row per text."""
    n = len(texts)
    return pl.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(n)], "path": [f"a{i}.txt" for i in range(n)],
            "title": [t.strip().splitlines()[0] if t.strip() else "" for t in texts], "text": list(texts),
            "lang": [lang] * n, "published_on": [published] * n, "source": [None] * n, "url": [None] * n,
        },
        schema={"article_id": pl.Utf8, "path": pl.Utf8, "title": pl.Utf8, "text": pl.Utf8, "lang": pl.Utf8,
                "published_on": pl.Date, "source": pl.Utf8, "url": pl.Utf8},
    )


def figures(text: str) -> pl.DataFrame:
    """Figures of one text with their qualifier and kind (no company, no dates)."""
    sents = split_sentences(articles(text))
    figs = add_contexts(find_figures(sents)).with_columns(qualifier(pl.col("lctx")).alias("qualifier"))
    return classify(figs)


def first_figure(text: str) -> tuple[float | None, str | None, str | None]:
    """(amount, currency, qualifier) of the first figure in `text`."""
    f = figures(text)
    if f.height == 0:
        return (None, None, None)
    r = f.row(0, named=True)
    return (r["amount"], r["currency"], r["qualifier"])


def rounds(*texts: str, **kw) -> list[dict]:
    return extract(articles(*texts, **kw)).round_mentions.to_dicts()
