"""Assemble the mention tables from the articles frame (docs/interfaces.md)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import polars as pl

from . import schema as S
from .attach import attach_investors, attach_round_types, attach_valuations, group_mentions, merge_mentions
from .companies import PRONOUN, assign_companies, find_names, main_companies, name_scores
from .dates import date_spans, find_dates, infer_published
from .figure_kinds import add_contexts, classify
from .investors import find_investors
from .language import head as language_head, language_of_head
from .money import find_figures
from .places import demonym_table, fold, find_place_cues, find_setting, gazetteer
from .qualifiers import qualifier
from .round_types import find_round_types
from .text import fold_expr, split_sentences

RECALL_DAYS = 60  # a round dated this long before the article is recalled, not announced
BATCH_SIZE = 5000  # articles per batch: bounds the frames of a large corpus (the facts do not depend on it);
# each batch pays ~0.25 CPU s of fixed cost (eager calls, regexes compiled again), so not smaller
WORKERS = 2  # batches read at once


class Extraction(NamedTuple):
    article_facts: pl.DataFrame
    figures: pl.DataFrame
    round_mentions: pl.DataFrame
    investor_mentions: pl.DataFrame
    company_facts: pl.DataFrame


def _empty() -> Extraction:
    return Extraction(S.empty(S.ARTICLE_FACTS), S.empty(S.FIGURES), S.empty(S.ROUND_MENTIONS),
                      S.empty(S.INVESTOR_MENTIONS), S.empty(S.COMPANY_FACTS))


def _articles(articles: pl.DataFrame) -> pl.DataFrame:
    """The input frame with every expected column, text never null, lang detected where missing, and
    `_tfold`, the folded text (folded once: the language is judged on its head, the sentences cut on it)."""
    a = S.conform(articles, S.ARTICLES_IN).with_columns(pl.col("text").fill_null(""))
    given = pl.col("lang").str.to_lowercase().str.slice(0, 2)
    a = a.with_columns(pl.when(given.is_in(["fr", "en"])).then(given).alias("lang"), fold_expr(pl.col("text")).alias("_tfold"))
    # detected only where not given; folding is character for character, so the folded head is the head of the folded text
    detected = (a.with_row_index("_row").filter(pl.col("lang").is_null())
                .select("_row", language_head(pl.col("_tfold")).alias("_head"))
                .select("_row", language_of_head(pl.col("_head")).alias("_detected")))
    return (a.with_row_index("_row").join(detected, on="_row", how="left", maintain_order="left")
            .with_columns(pl.coalesce("lang", "_detected").alias("lang")).drop("_row", "_detected"))


def _dates(arts: pl.DataFrame, sents: pl.DataFrame):
    """Date mentions and article facts; relative dates are re-anchored on inferred publication dates."""
    given = arts.select("article_id", "published_on")
    spans = date_spans(sents)  # found once, anchored twice
    mentions = find_dates(sents, given, spans)
    pub = infer_published(arts, mentions)
    inferred = pub.filter(pl.col("published_inferred"))["article_id"]
    if inferred.len():
        again = find_dates(None, pub.select("article_id", "published_on"), spans.filter(pl.col("article_id").is_in(inferred.implode())))
        mentions = pl.concat([mentions.filter(~pl.col("article_id").is_in(inferred.implode())), again])
    facts = arts.select("article_id", "lang").join(pub, on="article_id", how="left")
    return mentions, facts


def _figure_dates(figs: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """Each date mention of a sentence (not a founding year) dates the figure nearest to it
    ("X, qui avait levé 10 M€ l'an dernier, annonce 40 M€": the year is the 10 M€'s)."""
    m = mentions.filter(~pl.col("founded") & pl.col("date").is_not_null()).with_columns(pl.int_range(pl.len()).alias("_did"))
    pairs = figs.select("figure_id", "article_id", "sentence_idx", "raw_text_start", "raw_text_end").join(
        m, on=["article_id", "sentence_idx"], how="inner")
    pairs = pairs.with_columns(
        pl.min_horizontal((pl.col("d_start") - pl.col("raw_text_end")).abs(), (pl.col("raw_text_start") - pl.col("d_end")).abs()).alias("_dist")
    ).sort("_dist").unique("_did", keep="first").sort("_dist").unique("figure_id", keep="first")
    return figs.join(pairs.select("figure_id", pl.col("date").alias("fig_date"), pl.col("precision").alias("fig_precision")),
                     on="figure_id", how="left")


def _infer_currency(figs: pl.DataFrame) -> pl.DataFrame:
    """A figure without currency takes the nearest previous one about the same company, else of the article."""
    ckey = fold(pl.col("company").fill_null(""))
    figs = figs.sort("article_id", "char_start").with_columns(ckey.alias("_ck"))
    return figs.with_columns(
        pl.col("currency").is_null().alias("currency_inferred"),
        pl.coalesce(
            pl.col("currency"),
            pl.col("currency").forward_fill().over("article_id", "_ck"),
            pl.col("currency").forward_fill().over("article_id"),
            pl.col("currency").backward_fill().over("article_id"),
            pl.when(pl.col("lang") == "en").then(pl.lit("USD")).otherwise(pl.lit("EUR")),
        ).alias("currency"),
    ).drop("_ck")


def extract(articles: pl.DataFrame, batch_size: int = BATCH_SIZE, workers: int = WORKERS) -> Extraction:
    """Every fact the engine reads from `articles` (columns of docs/interfaces.md, section 1).

    Each article is read on its own, so a large frame is read in batches of `batch_size`
    articles, `workers` batches at a time (polars releases the GIL): memory stays bounded
    and both cores work, and the facts are those of one call on the whole frame.
    """
    if articles is None or articles.height == 0:
        return _empty()
    if articles.height <= batch_size:
        return _extract(articles)
    gazetteer(), demonym_table()  # built once, before the threads
    batches = [articles.slice(start, batch_size) for start in range(0, articles.height, batch_size)]
    with ThreadPoolExecutor(max(1, workers)) as pool:
        parts = list(pool.map(_extract, batches))
    return Extraction(*(pl.concat([getattr(p, name) for p in parts], how="vertical_relaxed") for name in Extraction._fields))


def _extract(articles: pl.DataFrame) -> Extraction:
    """`extract` on one batch of articles."""
    if articles.height == 0:
        return _empty()
    arts = _articles(articles)
    sents = split_sentences(arts)
    mentions, facts = _dates(arts, sents)
    names = find_names(sents)
    scores = name_scores(names)  # the main company is ranked twice on the same tally
    main = main_companies(names, sents, scores=scores)

    figs = find_figures(sents)
    figs = figs.with_columns((pl.col("article_id") + ":" + pl.col("char_start").cast(pl.Utf8)).alias("figure_id"))
    figs = add_contexts(figs).with_columns(qualifier(pl.col("lctx")).alias("qualifier"))
    figs = classify(figs)
    round_sents = figs.filter(pl.col("kind") == "round").select("article_id", "sentence_idx")
    investors = find_investors(sents, round_sents)
    figs = assign_companies(figs, names, main, investors, scores)
    # the main company, now weighted by the rounds the text gives it explicitly
    main = pl.concat([figs.select("article_id", "main_company").unique("article_id"),
                      main.join(figs.select("article_id").unique(), on="article_id", how="anti")])
    figs = figs.drop("main_company")
    figs = figs.join(arts.select("article_id", "lang"), on="article_id", how="left")
    figs = _infer_currency(figs)
    figs = _figure_dates(figs, mentions)
    figs = figs.join(facts.select("article_id", "published_on", "published_precision"), on="article_id", how="left")
    # "later this year", "en 2024": a coarse date that contains the article's date is the article's date
    same_period = (
        pl.when(pl.col("fig_precision") == "year").then(pl.col("fig_date").dt.year() == pl.col("published_on").dt.year())
        .when(pl.col("fig_precision") == "month").then(pl.col("fig_date").dt.month_start() == pl.col("published_on").dt.month_start())
        .when(pl.col("fig_precision") == "quarter").then(pl.col("fig_date").dt.truncate("1q") == pl.col("published_on").dt.truncate("1q"))
        .otherwise(False)
    ).fill_null(False) & ~pl.col("is_recalled_cue") & (pl.col("published_precision") == "day")
    figs = figs.with_columns(
        pl.when(same_period).then(pl.col("published_on")).otherwise(pl.col("fig_date")).alias("fig_date"),
        pl.when(same_period).then(pl.col("published_precision")).otherwise(pl.col("fig_precision")).alias("fig_precision"),
    )

    # recalled: said so, or dated well before the article
    old = (
        pl.when(pl.col("fig_precision") == "year").then(pl.col("fig_date").dt.year() < pl.col("published_on").dt.year())
        .otherwise(pl.col("fig_date") < pl.col("published_on") - pl.duration(days=RECALL_DAYS))
    ).fill_null(False)
    figs = figs.with_columns((pl.col("is_recalled_cue") | old).alias("is_recalled"))
    figs = figs.with_columns(
        pl.when(pl.col("fig_date").is_not_null()).then(pl.col("fig_date"))
        .when(~pl.col("is_recalled") & ~pl.col("is_teaser")).then(pl.col("published_on")).alias("announced_on"),
        pl.when(pl.col("fig_date").is_not_null()).then(pl.col("fig_precision"))
        .when(~pl.col("is_recalled") & ~pl.col("is_teaser") & pl.col("published_on").is_not_null())
        .then(pl.col("published_precision")).alias("announced_precision"),
    )

    figures_out = S.conform(figs.rename({"sentence": "quote"}, strict=False), S.FIGURES)

    # ---- round mentions (one per round per article) and what attaches to them
    rounds, fig_to_mention, primary = group_mentions(figs)
    vals = attach_valuations(figs, fig_to_mention, primary)
    rtypes = attach_round_types(find_round_types(sents), figs, sents, fig_to_mention, primary, main)
    round_mentions = merge_mentions(rounds, vals, rtypes)
    investor_mentions = attach_investors(investors, sents, rounds, fig_to_mention)

    # ---- where companies are based
    cues = find_place_cues(sents)
    company_facts = pl.concat([
        _company_facts(cues, names, investors, sents, figs, main),
        _setting_facts(find_setting(sents), sents, figs, main),
    ])
    return Extraction(S.conform(facts, S.ARTICLE_FACTS), figures_out, round_mentions, investor_mentions, company_facts)


def _company_facts(cues, names, investors, sents, figs, main) -> pl.DataFrame:
    """The company a place cue is about: the nearest name of the sentence, unless a pronoun or a bare
    descriptor ("la société") stands between them; then the company of the previous figure."""
    if cues.height == 0:
        return S.empty(S.COMPANY_FACTS)
    cues = cues.with_columns(pl.int_range(pl.len()).alias("_pid")).join(
        sents.select("article_id", "sentence_idx", "s_start", "s_end", "sentence", "sfold"), on=["article_id", "sentence_idx"], how="left")
    inv_keys = investors.select("article_id", "sentence_idx", "key").unique().with_columns(pl.lit(True).alias("_inv"))
    cand = names.filter(~pl.col("place")).join(inv_keys, on=["article_id", "sentence_idx", "key"], how="left").filter(pl.col("_inv").is_null())
    pairs = cues.join(cand.select("article_id", "sentence_idx", "n_start", "n_end", "name"), on=["article_id", "sentence_idx"], how="inner")
    pairs = pairs.with_columns(
        pl.when(pl.col("n_start") >= pl.col("p_end")).then(pl.col("n_start") - pl.col("p_end")).otherwise(pl.col("p_start") - pl.col("n_end")).alias("_dist"),
        pl.when(pl.col("n_start") >= pl.col("p_end"))
        .then(pl.col("sfold").str.slice(pl.col("p_end"), (pl.col("n_start") - pl.col("p_end")).clip(lower_bound=0)))
        .otherwise(pl.col("sfold").str.slice(pl.col("n_end"), (pl.col("p_start") - pl.col("n_end")).clip(lower_bound=0))).alias("_between"),
    ).filter(pl.col("_dist") >= -1)
    near = pairs.sort("_dist").unique("_pid", keep="first").filter(~pl.col("_between").str.contains(PRONOUN) & (pl.col("_dist") < 120))
    cues = cues.join(near.select("_pid", pl.col("name").alias("_c1")), on="_pid", how="left").with_columns(
        (pl.col("s_start") + pl.col("p_start")).alias("_g")).sort("_g")
    # no name near the cue: the company of a figure of the same sentence
    same = (cues.select("_pid", "article_id", "sentence_idx", "p_start")
            .join(figs.filter(pl.col("company").is_not_null()).select("article_id", "sentence_idx", "raw_text_start", "company"),
                  on=["article_id", "sentence_idx"], how="inner")
            .with_columns((pl.col("raw_text_start") - pl.col("p_start")).abs().alias("_d"))
            .sort("_d").unique("_pid", keep="first").select("_pid", pl.col("company").alias("_c0")))
    cues = cues.join(same, on="_pid", how="left")
    fpos = figs.filter(pl.col("company").is_not_null()).select("article_id", "char_start", pl.col("company").alias("_c2")).sort("char_start")
    cues = cues.join_asof(fpos, left_on="_g", right_on="char_start", by="article_id", strategy="backward", check_sortedness=False)
    cues = cues.join(main, on="article_id", how="left").with_columns(pl.coalesce("_c1", "_c0", "_c2", "main_company").alias("company"))
    cues = cues.filter(pl.col("company").is_not_null()).unique(["article_id", "company", "city", "country"], keep="first", maintain_order=True)
    cues = cues.with_columns(pl.lit("stated").alias("basis"))
    return S.conform(cues.drop("char_start").rename({"sentence": "quote", "s_start": "char_start", "s_end": "char_end"}), S.COMPANY_FACTS)


def _setting_facts(setting, sents, figs, main) -> pl.DataFrame:
    """The article's setting (a title "À Paris, …" or a dateline "LYON —") as a weak fact (basis
    'setting') about each company whose funding the article reports (a round, a total raised, a
    valuation), and its main company: a story set in Paris is most often about Parisian companies,
    but it does not say so, so dbt uses it only when no article states the company's city, and
    never against a stated country."""
    if setting.height == 0:
        return S.empty(S.COMPANY_FACTS)
    # whose funding the article reports: a round, a total raised, a valuation
    raisers = (figs.filter(pl.col("kind").is_in(["round", "cumulative", "valuation"]) & pl.col("company").is_not_null())
               .select("article_id", "company"))
    companies = pl.concat([raisers, main.select("article_id", pl.col("main_company").alias("company"))
                           .filter(pl.col("company").is_not_null())]).unique(maintain_order=True)
    facts = (setting.join(sents.select("article_id", "sentence_idx", "sentence", "s_start", "s_end"), on=["article_id", "sentence_idx"], how="left")
             .join(companies, on="article_id", how="inner")
             .unique(["article_id", "company"], keep="first", maintain_order=True)
             .with_columns(pl.lit("setting").alias("basis")))
    return S.conform(facts.rename({"sentence": "quote", "s_start": "char_start", "s_end": "char_end"}), S.COMPANY_FACTS)
