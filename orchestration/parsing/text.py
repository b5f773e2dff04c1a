"""Sentences with character offsets, and a finditer-with-offsets for polars.

Polars has no `finditer` returning positions, so `find_all` replaces every
match by one sentinel character and splits on it: a match starts after the
pieces and the matches before it.
"""
from __future__ import annotations

import unicodedata

import polars as pl


def rx(pattern: str) -> str:
    """A pattern for folded text: accents of its literals removed, ASCII word boundaries.

    Unicode word boundaries make the Rust regex engine leave its fast DFA for a
    slow one on non-ASCII text (30x slower); matching on accent-folded text with
    ASCII boundaries keeps "levée", "série" or "à" working.
    """
    folded = "".join(c for c in unicodedata.normalize("NFD", pattern) if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFC", folded)
    return folded.replace("(?-u:\\b)", "\\b").replace("\\b", "(?-u:\\b)")


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """Accents removed character for character (offsets unchanged); unchanged where that would move offsets."""
    folded = expr.str.normalize("NFD").str.replace_all(r"\p{Mn}", "")
    return pl.when(folded.str.len_chars() == expr.str.len_chars()).then(folded).otherwise(expr)

# A sentence: text up to a terminator that is followed by space (so "10.000",
# "1.2bn" or "Booking.com" do not end a sentence), or up to a line break, plus
# the whitespace after it. Every character belongs to exactly one match.
SENTENCE = (
    r"[^\n.!?…]*(?:[.!?…]+[^\s.!?…\"»”)][^\n.!?…]*)*"
    r"(?:[.!?…]+[\"»”)]*|\n)?\s*"
)
# a sentence ending with one of these abbreviations continues on the next one
TITLE_END = rx(r"\b(?:M|Mme|Mr|Mrs|Ms|Dr|St|Pr)\.\s*$")
# these end a sentence unless the next one starts in lowercase or with a digit ("Acme Inc. a levé")
ABBREV_END = rx(r"(?:\b\p{Lu}|\bInc|\bCorp|\bLtd|\bCo|\bJr|\bSr|\bvs|\bcf|\bNo|\bn°|\betc)\.\s*$")
# "À lire aussi" / "Read also" teasers of related articles start a new sentence
TEASER_MARK = rx(r"(?i)(?:\b[AÀ]\s+)?\blire\s+aussi\s*:?\s*|\bread\s+(?:also|more)\s*:?\s*|\bsee\s+also\s*:\s*")


def find_all(df: pl.DataFrame, col: str, pattern: str, name: str, orig: str | None = None) -> pl.DataFrame:
    """One row per match of `pattern` in `col` with `{name}`, `{name}_start`, `{name}_end` (char offsets in `col`).

    `pattern` goes through `rx` (so `col` should be folded text); with `orig`,
    `{name}_orig` is the same span of the original column.
    """
    pattern = rx(pattern)
    text = pl.col(col).str.replace_all("\x00", " ", literal=True)
    # matches replaced by one sentinel each: the pieces between sentinels give the offsets
    length = pl.element().str.len_chars().cast(pl.Int64)
    out = (
        df.with_columns(text.str.extract_all(pattern).alias(name), text.str.replace_all(pattern, "\x00").str.split("\x00").alias("_pieces"))
        .with_columns(pl.col(name).list.len().alias("_n"))
        .filter(pl.col("_n") > 0)
        .with_columns(
            pl.col("_pieces").list.eval(length.cum_sum()).list.head(pl.col("_n")).alias("_pc"),
            pl.col(name).list.eval(length.cum_sum() - length).alias("_mc"),
        )
        .drop("_pieces", "_n")
        .explode(name, "_pc", "_mc")
        .with_columns((pl.col("_pc") + pl.col("_mc")).alias(f"{name}_start"))
        .with_columns((pl.col(f"{name}_start") + pl.col(name).str.len_chars().cast(pl.Int64)).alias(f"{name}_end"))
        .drop("_pc", "_mc")
        .filter(pl.col(name).str.len_chars() > 0)
    )
    if orig is not None:
        out = out.with_columns(pl.col(orig).str.slice(pl.col(f"{name}_start"), pl.col(f"{name}_end") - pl.col(f"{name}_start")).alias(f"{name}_orig"))
    return out


def split_sentences(articles: pl.DataFrame) -> pl.DataFrame:
    """Sentences of every article: article_id, sentence_idx, s_start, s_end, sentence, is_teaser, line_idx.

    Offsets are in characters of `text`. Abbreviations ("M.", "Inc.") do not end
    a sentence; "À lire aussi" teasers become sentences of their own (is_teaser).
    """
    base = articles.select("article_id", "text").with_columns(pl.col("text").fill_null(""))
    raw = (
        base.with_columns(pl.col("text").str.extract_all(SENTENCE).alias("s"))
        .drop("text")
        .explode("s")
        .with_columns(pl.col("s").fill_null(""))
        .with_columns(pl.col("s").str.len_chars().cast(pl.Int64).alias("_len"))
        .with_columns(pl.col("_len").cum_sum().over("article_id").alias("_end"))
        .with_columns((pl.col("_end") - pl.col("_len")).alias("_start"))
        .filter(pl.col("_len") > 0)
    )
    # merge a sentence ending with an abbreviation with the next one
    raw = raw.with_columns(
        (pl.col("s").str.contains(TITLE_END).shift(1).over("article_id").fill_null(False)
         | (pl.col("s").str.contains(ABBREV_END).shift(1).over("article_id").fill_null(False)
            & pl.col("s").str.contains(r"^[\p{Ll}\d]"))).alias("_cont"),
        pl.col("s").str.contains(r"\n").shift(1).over("article_id").fill_null(True).alias("_newline"),
    ).with_columns(
        (~pl.col("_cont")).cum_sum().over("article_id").alias("_grp"),
        pl.col("_newline").cum_sum().over("article_id").alias("_line"),
    )
    merged = raw.group_by("article_id", "_grp", maintain_order=True).agg(
        pl.col("s").str.join(""), pl.col("_start").min(), pl.col("_line").min()
    )
    # cut teaser markers off: the text after "À lire aussi" is a sentence of its own
    # chunks that END at a marker or at the end of the sentence
    chunks = (
        merged.with_columns(pl.int_range(pl.len()).alias("_rid"),
                            fold_expr(pl.col("s")).str.extract_all(f"(?s).*?(?:{TEASER_MARK}|$)").alias("_c"))
        .explode("_c")
        .with_columns(pl.col("_c").str.len_chars().cast(pl.Int64).alias("_clen"))
        .with_columns((pl.col("_clen").cum_sum().over("_rid") - pl.col("_clen")).alias("_coff"))
        .filter(pl.col("_clen") > 0)
        .with_columns(
            pl.col("_c").str.contains(f"(?:{TEASER_MARK})\\z").shift(1).over("_rid").fill_null(False).alias("is_teaser"),
            pl.col("_c").str.replace(f"(?:{TEASER_MARK})\\z", "").str.len_chars().cast(pl.Int64).alias("_blen"),
        )
        .with_columns(pl.col("s").str.slice(pl.col("_coff"), pl.col("_blen")).alias("_body"))
    )
    out = (
        chunks.with_columns(
            (pl.col("_start") + pl.col("_coff")).alias("s_start"),
            pl.col("_body").str.strip_chars_end().alias("sentence"),
        )
        .with_columns((pl.col("s_start") + pl.col("sentence").str.len_chars().cast(pl.Int64)).alias("s_end"))
        .filter(pl.col("sentence").str.contains(r"\S"))
        .with_columns(
            # leading whitespace stays out of the sentence
            pl.col("sentence").str.len_chars().cast(pl.Int64).alias("_l0"),
            pl.col("sentence").str.strip_chars_start().alias("sentence"),
        )
        .with_columns(
            (pl.col("s_start") + pl.col("_l0") - pl.col("sentence").str.len_chars().cast(pl.Int64)).alias("s_start"),
        )
        .with_columns(pl.int_range(pl.len()).over("article_id").cast(pl.Int64).alias("sentence_idx"))
        .select(
            "article_id", "sentence_idx", "s_start", "s_end", "sentence", fold_expr(pl.col("sentence")).alias("sfold"),
            "is_teaser", pl.col("_line").cast(pl.Int64).alias("line_idx"),
        )
    )
    return out
