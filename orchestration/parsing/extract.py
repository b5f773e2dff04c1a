"""Assemble the mention tables from the articles frame (docs/interfaces.md)."""
from __future__ import annotations

from typing import NamedTuple

import polars as pl

from . import schema as S
from .companies import PRONOUN, assign_companies, find_names, main_companies
from .dates import find_dates, infer_published
from .figure_kinds import add_contexts, classify
from .investors import find_investors
from .language import detect_language
from .money import find_figures
from .places import fold, find_place_cues
from .qualifiers import qualifier
from .round_types import find_round_types
from .text import rx, split_sentences

RECALL_DAYS = 60  # a round dated this long before the article is recalled, not announced
PRE = rx(r"(?i)\b(?:pre-?money|pré-?money|avant\s+(?:l['’]opération|la\s+levée|levée))\b")
POST = rx(r"(?i)\b(?:post-?money|après\s+(?:l['’]opération|la\s+levée|levée))\b")


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
    """The input frame with every expected column, text never null, lang detected where missing."""
    a = S.conform(articles, S.ARTICLES_IN).with_columns(pl.col("text").fill_null(""))
    return a.with_columns(
        pl.when(pl.col("lang").str.to_lowercase().str.slice(0, 2).is_in(["fr", "en"]))
        .then(pl.col("lang").str.to_lowercase().str.slice(0, 2))
        .otherwise(detect_language(pl.col("text"))).alias("lang")
    )


def _dates(arts: pl.DataFrame, sents: pl.DataFrame):
    """Date mentions and article facts; relative dates are re-anchored on inferred publication dates."""
    given = arts.select("article_id", "published_on")
    mentions = find_dates(sents, given)
    pub = infer_published(arts, mentions)
    inferred = pub.filter(pl.col("published_inferred"))["article_id"]
    if inferred.len():
        again = find_dates(sents.filter(pl.col("article_id").is_in(inferred.implode())), pub.select("article_id", "published_on"))
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


def _nearest_in_sentence(items: pl.DataFrame, pos: str, targets: pl.DataFrame, key: str) -> pl.DataFrame:
    """For each item, the target of the same sentence whose figure is nearest to `pos`."""
    pairs = items.join(targets, on=["article_id", "sentence_idx"], how="inner").with_columns(
        pl.min_horizontal((pl.col(pos) - pl.col("t_end")).abs(), (pl.col("t_start") - pl.col(pos)).abs()).alias("_dist")
    )
    return pairs.sort("_dist").unique(key, keep="first")


def extract(articles: pl.DataFrame) -> Extraction:
    """Every fact the engine reads from `articles` (columns of docs/interfaces.md, section 1)."""
    if articles is None or articles.height == 0:
        return _empty()
    arts = _articles(articles)
    sents = split_sentences(arts)
    mentions, facts = _dates(arts, sents)
    names = find_names(sents)
    main = main_companies(names, sents)

    figs = find_figures(sents)
    figs = figs.with_columns((pl.col("article_id") + ":" + pl.col("char_start").cast(pl.Utf8)).alias("figure_id"))
    figs = add_contexts(figs).with_columns(qualifier(pl.col("lctx")).alias("qualifier"))
    figs = classify(figs)
    round_sents = figs.filter(pl.col("kind") == "round").select("article_id", "sentence_idx")
    investors = find_investors(sents, round_sents)
    figs = assign_companies(figs, names, main, investors)
    # the main company, now weighted by the rounds the text gives it explicitly
    main = pl.concat([figs.select("article_id", "main_company").unique("article_id"),
                      main.join(figs.select("article_id").unique(), on="article_id", how="anti")])
    figs = figs.drop("main_company")
    figs = figs.join(arts.select("article_id", "lang"), on="article_id", how="left")
    figs = _infer_currency(figs)
    figs = _figure_dates(figs, mentions)
    figs = figs.join(facts.select("article_id", "published_on", "published_precision"), on="article_id", how="left")

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

    # ---- round mentions: one per (article, company, amount, currency)
    rounds = figs.filter((pl.col("kind") == "round") & ~pl.col("is_conversion") & pl.col("company").is_not_null())
    rounds = rounds.with_columns(
        fold(pl.col("company")).alias("ckey"),
        pl.col("amount").round_sig_figs(3).alias("_amt"),
    ).sort("article_id", "char_start")
    rounds = rounds.with_columns(pl.col("figure_id").first().over("article_id", "ckey", "currency", "_amt").alias("mention_id"))
    fig_to_mention = rounds.select("figure_id", "mention_id", "article_id", "sentence_idx", "ckey", "is_recalled", "char_start",
                                   pl.col("raw_text_start").alias("t_start"), pl.col("raw_text_end").alias("t_end"))
    primary = (rounds.filter(~pl.col("is_recalled")).group_by("article_id", "ckey").agg(pl.col("mention_id").first().alias("_primary")))

    # valuations: the round of the same sentence, else the company's announced round
    vals = figs.filter(pl.col("kind") == "valuation").with_columns(fold(pl.col("company").fill_null("")).alias("ckey"))
    v_same = _nearest_in_sentence(vals.select("figure_id", "article_id", "sentence_idx", "raw_text_start"), "raw_text_start",
                                  fig_to_mention.select("article_id", "sentence_idx", "t_start", "t_end", "mention_id"), "figure_id")
    vals = vals.join(v_same.select("figure_id", pl.col("mention_id").alias("_m1")), on="figure_id", how="left").join(
        primary, on=["article_id", "ckey"], how="left")
    vals = vals.with_columns(
        pl.coalesce(pl.col("_m1"), pl.when(~pl.col("is_recalled_cue")).then(pl.col("_primary"))).alias("mention_id"),
        pl.col("_m1").is_not_null().alias("_same"),
        pl.when(pl.col("sfold").str.contains(PRE)).then(pl.lit("pre")).when(pl.col("sfold").str.contains(POST)).then(pl.lit("post")).alias("valuation_basis"),
    ).filter(pl.col("mention_id").is_not_null())
    vals = vals.sort(["mention_id", "_same", "char_start"], descending=[False, True, False]).unique("mention_id", keep="first").select(
        "mention_id", pl.col("amount").alias("valuation"), pl.col("currency").alias("valuation_currency"),
        pl.col("raw_text").alias("valuation_text"), "valuation_basis")

    # round types: the nearest round of the sentence, else the round of the company the sentence is about
    types = find_round_types(sents)
    type_rows = []
    if types.height:
        types = types.with_columns(pl.int_range(pl.len()).alias("_tid"))
        pairs = types.join(fig_to_mention.select("article_id", "sentence_idx", "figure_id", pl.col("t_start").alias("f_start"),
                                                 pl.col("t_end").alias("f_end"), "mention_id"),
                           on=["article_id", "sentence_idx"], how="inner").with_columns(
            pl.min_horizontal((pl.col("t_start") - pl.col("f_end")).abs(), (pl.col("f_start") - pl.col("t_start")).abs()).alias("_dist"))
        # each round figure takes the type named nearest to it ("après un amorçage de 2 M€"); a type no figure
        # of its sentence takes goes to the round the article is about
        same = pairs.sort("_dist").unique("figure_id", keep="first").sort("_dist").unique("_tid", keep="first").select(
            "_tid", "mention_id", pl.lit(True).alias("_same"))
        orphan = types.join(same, on="_tid", how="anti")
        # the company of the next figure of the sentence, else of the previous figure of the article
        fpos = figs.select("article_id", "sentence_idx", pl.col("raw_text_start").alias("f_start"), "company", "char_start")
        nxt = orphan.join(fpos, on=["article_id", "sentence_idx"], how="inner").filter(pl.col("f_start") >= pl.col("t_start")).sort("f_start").unique("_tid", keep="first").select("_tid", pl.col("company").alias("_c1"))
        sent_start = sents.select("article_id", "sentence_idx", "s_start")
        orphan = orphan.join(sent_start, on=["article_id", "sentence_idx"], how="left").with_columns((pl.col("s_start") + pl.col("t_start")).alias("_g")).sort("_g")
        prev = orphan.join_asof(fpos.sort("char_start").select("article_id", "char_start", pl.col("company").alias("_c2")),
                                left_on="_g", right_on="char_start", by="article_id", strategy="backward", check_sortedness=False).select("_tid", "_c2")
        orphan = orphan.join(nxt, on="_tid", how="left").join(prev, on="_tid", how="left").join(main, on="article_id", how="left").with_columns(
            fold(pl.coalesce("_c1", "_c2", "main_company").fill_null("")).alias("ckey")).join(primary, on=["article_id", "ckey"], how="left")
        orphan = orphan.filter(pl.col("_primary").is_not_null()).select("_tid", pl.col("_primary").alias("mention_id"), pl.lit(False).alias("_same"))
        type_rows = pl.concat([same, orphan]).join(types.select("_tid", "round_type", "t_start", "article_id", "sentence_idx"), on="_tid")
        rtypes = type_rows.sort(["mention_id", "_same", "sentence_idx", "t_start"], descending=[False, True, False, False]).unique("mention_id", keep="first").select("mention_id", "round_type")
    else:
        rtypes = pl.DataFrame(schema={"mention_id": pl.Utf8, "round_type": pl.Utf8})

    # merge the duplicates of a mention: earliest figure states it; dates, recall from all
    agg = rounds.group_by("mention_id").agg(
        pl.col("fig_date").drop_nulls().first().alias("_fdate"),
        pl.col("fig_precision").drop_nulls().first().alias("_fprec"),
        pl.col("is_recalled").all().alias("_rec"),
        pl.col("is_teaser").all().alias("_teaser"),
        pl.col("qualifier").filter(pl.col("qualifier") != "exact").first().alias("_q"),
    )
    rm = rounds.filter(pl.col("figure_id") == pl.col("mention_id")).join(agg, on="mention_id", how="left")
    rm = rm.with_columns(
        pl.col("_rec").alias("is_recalled"),
        pl.coalesce("_q", "qualifier").alias("amount_qualifier"),
        pl.when(pl.col("_fdate").is_not_null()).then(pl.col("_fdate"))
        .when(~pl.col("_rec") & ~pl.col("_teaser")).then(pl.col("published_on")).alias("announced_on"),
        pl.when(pl.col("_fdate").is_not_null()).then(pl.col("_fprec"))
        .when(~pl.col("_rec") & ~pl.col("_teaser") & pl.col("published_on").is_not_null()).then(pl.col("published_precision")).alias("announced_precision"),
    ).join(vals, on="mention_id", how="left").join(rtypes, on="mention_id", how="left")
    rm = rm.with_columns(pl.col("raw_text").alias("amount_text"), pl.col("sentence").alias("quote"),
                         pl.col("s_start").alias("char_start"), pl.col("s_end").alias("char_end"))
    round_mentions = S.conform(rm, S.ROUND_MENTIONS)

    # ---- investors: the round of the same sentence, else the nearest announced round before (then after)
    inv = investors.join(sents.select("article_id", "sentence_idx", "s_start", "s_end", "sentence"), on=["article_id", "sentence_idx"], how="left")
    inv = inv.with_columns(pl.int_range(pl.len()).alias("_iid"), (pl.col("s_start") + pl.col("cue_start")).alias("_g"))
    i_same = _nearest_in_sentence(inv.select("_iid", "article_id", "sentence_idx", "cue_start"), "cue_start",
                                  fig_to_mention.select("article_id", "sentence_idx", "t_start", "t_end", "mention_id"), "_iid")
    announced = fig_to_mention.filter(~pl.col("is_recalled")).select("article_id", "char_start", "mention_id").sort("char_start")
    rest = inv.join(i_same.select("_iid"), on="_iid", how="anti").sort("_g")
    back = rest.join_asof(announced, left_on="_g", right_on="char_start", by="article_id", strategy="backward", check_sortedness=False).select("_iid", pl.col("mention_id").alias("_mb"))
    fwd = rest.join_asof(announced, left_on="_g", right_on="char_start", by="article_id", strategy="forward", check_sortedness=False).select("_iid", pl.col("mention_id").alias("_mf"))
    inv = inv.join(i_same.select("_iid", pl.col("mention_id").alias("_ms")), on="_iid", how="left").join(back, on="_iid", how="left").join(fwd, on="_iid", how="left")
    inv = inv.with_columns(pl.coalesce("_ms", "_mb", "_mf").alias("mention_id")).filter(pl.col("mention_id").is_not_null())
    inv = inv.join(rounds.filter(pl.col("figure_id") == pl.col("mention_id")).select("mention_id", "ckey"), on="mention_id", how="left")
    inv = inv.filter(pl.col("key") != pl.col("ckey"))
    inv = inv.sort("_g").group_by("mention_id", "key", maintain_order=True).agg(
        pl.col("investor").first(), pl.col("article_id").first(), pl.col("is_lead").any(),
        pl.col("is_existing").drop_nulls().first(), pl.col("sentence").first(), pl.col("s_start").first(), pl.col("s_end").first(),
    )
    # "Sequoia" beside "Sequoia Capital" in the same round is the same investor
    longer = inv.select("mention_id", pl.col("key").alias("_long"), pl.col("is_lead").alias("_llead"))
    shadow = inv.join(longer, on="mention_id").filter((pl.col("_long") != pl.col("key")) & pl.col("_long").str.starts_with(pl.col("key") + " "))
    lead_up = shadow.filter(pl.col("is_lead")).select("mention_id", pl.col("_long").alias("key")).unique().with_columns(pl.lit(True).alias("_lu"))
    inv = inv.join(shadow.select("mention_id", "key").unique(), on=["mention_id", "key"], how="anti").join(lead_up, on=["mention_id", "key"], how="left").with_columns(
        (pl.col("is_lead") | pl.col("_lu").fill_null(False)).alias("is_lead"))
    investor_mentions = S.conform(inv.rename({"sentence": "quote", "s_start": "char_start", "s_end": "char_end"}), S.INVESTOR_MENTIONS)

    # ---- where companies are based
    cues = find_place_cues(sents)
    company_facts = _company_facts(cues, names, investors, sents, figs, main)
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
    return S.conform(cues.drop("char_start").rename({"sentence": "quote", "s_start": "char_start", "s_end": "char_end"}), S.COMPANY_FACTS)
