"""What attaches to a round mention: its duplicates in the article, its valuation, its round type, its investors.

A round stated twice in an article (title and body, heading and paragraph) is
one mention, stated by its first figure. A valuation or a round type named in
the sentence of a round goes to the nearest round; named elsewhere, it goes to
the round the article announces for that company. Investors go to the round of
their sentence, else to the nearest announced (not recalled) round before them.
"""
from __future__ import annotations

import polars as pl

from . import schema as S
from .places import fold
from .text import rx

PRE = rx(r"(?i)\b(?:pre-?money|pré-?money|avant\s+(?:l['’]opération|la\s+levée|levée))\b")
POST = rx(r"(?i)\b(?:post-?money|après\s+(?:l['’]opération|la\s+levée|levée))\b")


def nearest_in_sentence(items: pl.DataFrame, pos: str, targets: pl.DataFrame, key: str) -> pl.DataFrame:
    """For each item, the target of the same sentence whose figure is nearest to `pos`."""
    pairs = items.join(targets, on=["article_id", "sentence_idx"], how="inner").with_columns(
        pl.min_horizontal((pl.col(pos) - pl.col("t_end")).abs(), (pl.col("t_start") - pl.col(pos)).abs()).alias("_dist")
    )
    return pairs.sort("_dist").unique(key, keep="first")


def group_mentions(figs: pl.DataFrame):
    """Round figures grouped into mentions: (rounds, figure -> mention, the company's announced mention)."""
    # one mention per (article, company, amount, currency)
    rounds = figs.filter((pl.col("kind") == "round") & ~pl.col("is_conversion") & pl.col("company").is_not_null())
    rounds = rounds.with_columns(
        fold(pl.col("company")).alias("ckey"),
        pl.col("amount").round_sig_figs(3).alias("_amt"),
    ).sort("article_id", "char_start")
    rounds = rounds.with_columns(pl.col("figure_id").first().over("article_id", "ckey", "currency", "_amt").alias("mention_id"))
    fig_to_mention = rounds.select("figure_id", "mention_id", "article_id", "sentence_idx", "ckey", "is_recalled", "char_start",
                                   pl.col("raw_text_start").alias("t_start"), pl.col("raw_text_end").alias("t_end"))
    primary = (rounds.filter(~pl.col("is_recalled")).group_by("article_id", "ckey").agg(pl.col("mention_id").first().alias("_primary")))
    return rounds, fig_to_mention, primary


def attach_valuations(figs: pl.DataFrame, fig_to_mention: pl.DataFrame, primary: pl.DataFrame) -> pl.DataFrame:
    """mention_id -> valuation, valuation_currency, valuation_text, valuation_basis."""
    # valuations: the round of the same sentence, else the company's announced round
    vals = figs.filter(pl.col("kind") == "valuation").with_columns(fold(pl.col("company").fill_null("")).alias("ckey"))
    v_same = nearest_in_sentence(vals.select("figure_id", "article_id", "sentence_idx", "raw_text_start"), "raw_text_start",
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
    return vals


def attach_round_types(types, figs, sents, fig_to_mention, primary, main) -> pl.DataFrame:
    """mention_id -> round_type."""
    # round types: the nearest round of the sentence, else the round of the company the sentence is about
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
    return rtypes


def merge_mentions(rounds: pl.DataFrame, vals: pl.DataFrame, rtypes: pl.DataFrame) -> pl.DataFrame:
    """The round_mentions table: one row per mention, facts merged from its figures."""
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
    return round_mentions


LEGAL_SUFFIX = r"(?i)\s+(?:inc|ltd|llc|corp|plc|limited|sas|sa|gmbh|ag|bv|ab|oy)\.?$"


def attach_investors(investors, sents, rounds, fig_to_mention) -> pl.DataFrame:
    """The investor_mentions table."""
    # ---- investors: the round of the same sentence, else the nearest announced round before (then after)
    inv = investors.join(sents.select("article_id", "sentence_idx", "s_start", "s_end", "sentence"), on=["article_id", "sentence_idx"], how="left")
    inv = inv.with_columns(pl.int_range(pl.len()).alias("_iid"), (pl.col("s_start") + pl.col("cue_start")).alias("_g"))
    i_same = nearest_in_sentence(inv.select("_iid", "article_id", "sentence_idx", "cue_start"), "cue_start",
                                  fig_to_mention.select("article_id", "sentence_idx", "t_start", "t_end", "mention_id"), "_iid")
    announced = fig_to_mention.filter(~pl.col("is_recalled")).select("article_id", "char_start", "mention_id").sort("char_start")
    rest = inv.join(i_same.select("_iid"), on="_iid", how="anti").sort("_g")
    back = rest.join_asof(announced, left_on="_g", right_on="char_start", by="article_id", strategy="backward", check_sortedness=False).select("_iid", pl.col("mention_id").alias("_mb"))
    fwd = rest.join_asof(announced, left_on="_g", right_on="char_start", by="article_id", strategy="forward", check_sortedness=False).select("_iid", pl.col("mention_id").alias("_mf"))
    inv = inv.join(i_same.select("_iid", pl.col("mention_id").alias("_ms")), on="_iid", how="left").join(back, on="_iid", how="left").join(fwd, on="_iid", how="left")
    inv = inv.with_columns(pl.coalesce("_ms", "_mb", "_mf").alias("mention_id")).filter(pl.col("mention_id").is_not_null())
    inv = inv.join(rounds.filter(pl.col("figure_id") == pl.col("mention_id")).select("mention_id", "ckey"), on="mention_id", how="left")
    # "News provided by Corvanta Inc.": the company itself, legal form and all, is no investor of its round
    inv = inv.filter(pl.col("key").str.replace(LEGAL_SUFFIX, "") != pl.col("ckey"))
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
    return investor_mentions
