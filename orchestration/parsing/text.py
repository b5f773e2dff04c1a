"""Sentences with character offsets, and a finditer-with-offsets for polars.

Polars has no `finditer` returning positions, so `find_all` wraps every
match in sentinel characters and splits on them: a match starts after the
pieces before it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import polars as pl


@lru_cache(maxsize=None)
def rx(pattern: str) -> str:
    """A pattern for folded text: accents of its literals removed, ASCII word boundaries.

    Unicode word boundaries make the Rust regex engine leave its fast DFA for a
    slow one on non-ASCII text (30x slower); matching on accent-folded text with
    ASCII boundaries keeps "levée", "série" or "à" working. Cached: the rewriting is
    pure Python over the pattern, and extract calls it for every batch.
    """
    folded = "".join(c for c in unicodedata.normalize("NFD", pattern) if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFC", folded)
    folded = _ascii_classes(folded)
    return folded.replace("(?-u:\\b)", "\\b").replace("\\b", "(?-u:\\b)")


_CLASSES = {"\\w": "A-Za-z0-9_", "\\p{L}": "A-Za-z", "\\p{Lu}": "A-Z", "\\p{Ll}": "a-z", "\\p{N}": "0-9"}


def _ascii_classes(pattern: str) -> str:
    """Unicode classes as ASCII ones (the text is folded): a much smaller automaton."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            for k, v in _CLASSES.items():
                if pattern.startswith(k, i):
                    out.append(v if in_class else f"[{v}]")
                    i += len(k)
                    break
            else:
                out.append(pattern[i:i + 2])
                i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class and out and out[-1] != "[":
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def mentions_any(words: list[str]) -> pl.Expr:
    """A cheap prefilter on folded sentences (Aho-Corasick): may it hold one of `words`?"""
    return pl.col("sfold").str.contains_any(words, ascii_case_insensitive=True)


def shift_in_group(expr: pl.Expr, n: int, *keys: str) -> pl.Expr:
    """`expr.shift(n).over(keys)` for a frame whose groups' rows are contiguous (sorted by the keys or
    by a position within them): a plain shift, null where the row `n` away is of another group.
    Much cheaper than the window's group-by."""
    same = pl.all_horizontal([pl.col(k).shift(n).eq_missing(pl.col(k)) for k in keys])
    return pl.when(same).then(expr.shift(n))


def _fold_table() -> tuple[list[str], list[str]]:
    """Accented Latin letters and their base letter (one character for one)."""
    src, dst = [], []
    for cp in range(0xC0, 0x250):
        c = chr(cp)
        base = unicodedata.normalize("NFD", c)[0]
        if base != c and base.isascii() and base.isalpha():
            src.append(c), dst.append(base)
    return src, dst


_FOLD_SRC, _FOLD_DST = _fold_table()


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """Accents removed character for character, so offsets are unchanged ("é" -> "e", "Ç" -> "C")."""
    return expr.str.replace_many(_FOLD_SRC, _FOLD_DST)

# A sentence ends after a run of terminators that is followed by closing quotes or space (so
# "10.000", "1.2bn" or "Booking.com" do not end one), or after a line break, and takes the
# whitespace after it; the last one ends with the text. The text is cut after each match: the
# engine skips from one terminator to the next (a pattern matching whole sentences, every
# character, cost three times as much; tests/parsing/test_text.py checks the two cut alike).
SENTENCE_END = r"[.!?…]+(?:[\"»”)]+\s*|\s+)|\n\s*"
# a sentence ending with one of these abbreviations continues on the next one
TITLE_END = rx(r"\b(?:M|Mme|Mr|Mrs|Ms|Dr|St|Pr)\.\s*$")
# these end a sentence unless the next one starts in lowercase or with a digit ("Acme Inc. a levé")
ABBREV_END = rx(r"(?:\b\p{Lu}|\bInc|\bCorp|\bLtd|\bCo|\bJr|\bSr|\bvs|\bcf|\bNo|\bn°|\betc)\.\s*$")
# "À lire aussi" / "Read also" teasers of related articles start a new sentence
TEASER_MARK = rx(r"(?i)(?:\b[AÀ]\s+)?\blire\s+aussi\s*:?\s*|\bread\s+(?:also|more)\s*:?\s*|\bsee\s+also\s*:\s*")


def _search_pattern(pattern: str) -> str:
    """`pattern` as find_all searches it: through `rx`, named groups made plain (they are for the caller's
    extract_groups; searching without them is much faster)."""
    return re.sub(r"\(\?P<\w+>", "(?:", rx(pattern))


def may_match(col: str, pattern: str) -> pl.Expr:
    """True for the rows of `col` in which `find_all(df, col, pattern, ...)` can find a match (and for rows
    holding a NUL, which find_all may blank): a filter that keeps every row find_all would read a match in.
    Cheaper than an Aho-Corasick prefilter that keeps most rows: filter on this first, then on the prefilter."""
    return pl.col(col).str.contains(_search_pattern(pattern)) | pl.col(col).str.contains("\x00", literal=True)


def find_all(df: pl.DataFrame, col: str, pattern: str, name: str, orig: str | None = None) -> pl.DataFrame:
    """One row per match of `pattern` in `col` with `{name}`, `{name}_start`, `{name}_end` (char offsets in `col`).

    `pattern` goes through `rx` (so `col` should be folded text); with `orig`,
    `{name}_orig` is the same span of the original column.

    The rows holding a match are kept first (a yes/no scan is much cheaper than finding the
    matches, and copies nothing); in those every match is wrapped in sentinels and the text
    split on them, so the pieces alternate gap, match, gap, match, ..., gap. The
    pieces alone are exploded once (the row's other columns are gathered for the matches only); a
    piece starts where the lengths of the pieces before it in its row add up to (a running sum over
    the whole frame minus the running sum at the row's first piece).
    The text's own NULs are blanked first (they would read as sentinels), but only when there are
    any: a whole copy of the text per call otherwise.
    """
    pattern = _search_pattern(pattern)
    text = pl.col(col)
    if df.height and df.select(text.str.contains("\x00", literal=True).any()).item():
        text = text.str.replace_all("\x00", " ", literal=True)
    pieces = pl.col("_pieces")
    n_pieces = pieces.list.len()
    length = pl.col("_len")
    before = pl.col("_before")
    hits = df.filter(text.str.contains(pattern))
    # only the pieces are exploded (with their row's position): the row's other columns are gathered
    # once, for the matches, instead of being repeated for every gap and then filtered
    found = (
        hits.select(text.str.replace_all(pattern, "\x00${0}\x00").str.split("\x00").alias("_pieces"))
        .with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), (n_pieces.cum_sum() - n_pieces).alias("_row_first"))
        .explode("_pieces")
        .with_columns(pieces.str.len_chars().cast(pl.Int64).alias("_len"))
        .with_columns((length.cum_sum() - length).alias("_before"))
        .with_columns(
            (before - before.gather(pl.col("_row_first"))).alias("_start"),
            # odd pieces of a row are the matches
            ((pl.int_range(pl.len(), dtype=pl.Int64) - pl.col("_row_first")) % 2 == 1).alias("_is_match"),
        )
        .filter(pl.col("_is_match") & (length > 0))
    )
    out = hits[found["_row"]].with_columns(
        found["_pieces"].alias(name), found["_start"].alias(f"{name}_start"), (found["_start"] + found["_len"]).alias(f"{name}_end"))
    if orig is not None:
        out = out.with_columns(pl.col(orig).str.slice(pl.col(f"{name}_start"), pl.col(f"{name}_end") - pl.col(f"{name}_start")).alias(f"{name}_orig"))
    return out


# a dot that does not end a sentence: after a title ("M. Dupont"), or before a lowercase
# word or a digit ("Acme Inc. a levé", "U.S. investors")
TITLE_DOT = r"(?-u:\b)(M|Mme|Mr|Mrs|Ms|Dr|Pr|St)\."
LOWER_NEXT_DOT = r"\.([ \u00a0]+[a-z0-9])"
# "À lire aussi" / "Read more": the marker ends a sentence (its last letter becomes a line break)
TEASER_CUT = r"(?i)((?:(?-u:\b)[AÀ]\s+)?(?-u:\b)lire\s+auss)i|((?-u:\b)read\s+als)o|((?-u:\b)read\s+mor)e|((?-u:\b)see\s+als)o"
def _guards() -> tuple[list[str], list[str]]:
    """Literal rewrites of the same length (one Aho-Corasick pass): non-final dots, teaser markers."""
    src, dst = [], []
    for title in ["M", "Mme", "Mr", "Mrs", "Ms", "Dr", "Pr", "St"]:
        for sp in (" ", "\u00a0"):
            src.append(f" {title}.{sp}"), dst.append(f" {title}\u2024{sp}")
    for nxt in "abcdefghijklmnopqrstuvwxyz0123456789":
        for sp in (" ", "\u00a0"):
            src.append(f".{sp}{nxt}"), dst.append(f"\u2024{sp}{nxt}")
    for marker in ["lire aussi", "Lire aussi", "LIRE AUSSI", "read also", "Read also", "read more", "Read more",
                   "READ MORE", "see also", "See also"]:
        src.append(marker), dst.append(marker[:-1] + "\n")
    return src, dst


_GUARD_SRC, _GUARD_DST = _guards()
MARKER = rx(r"(?i)^\W*(?:[AÀ]\s+)?(?:lire\s+aussi|read\s+also|read\s+more|see\s+also)\W*$")


def split_sentences(articles: pl.DataFrame) -> pl.DataFrame:
    """Sentences of every article: article_id, sentence_idx, s_start, s_end, sentence, sfold, is_teaser, line_idx.

    Offsets are in characters of `text`. The sentence pattern runs on a copy
    where non-final dots ("M.", "Inc. a") become U+2024 and teaser markers end
    with a line break: same length, so offsets hold for the original text.
    "À lire aussi" teasers become sentences of their own (is_teaser).
    """
    text = pl.col("text").fill_null("")
    guarded = pl.col("_tfold").str.replace_many(_GUARD_SRC, _GUARD_DST)
    # an article's rows stay together and in order: per-article running sums, shifts and row
    # numbers are global ones restarted at each article's first row (no group-by of article_id)
    first = pl.col("_art").shift(1).ne_missing(pl.col("_art"))

    def in_article(running: pl.Expr, step: pl.Expr) -> pl.Expr:
        """A running total restarted at each article: `running` minus its value before the article's first row."""
        return running - pl.when(first).then(running - step).forward_fill()

    # the caller may have folded the text already (extract does, for the language)
    tfold = pl.col("_tfold") if "_tfold" in articles.columns else fold_expr(text)
    raw = (
        articles.select("article_id", text.alias("text"), tfold.alias("_tfold"))
        # NUL marks the cuts: the text's own become U+0001 (same length, and neither space nor terminator)
        .with_columns(guarded.str.replace_all("\x00", "\x01", literal=True)
                      .str.replace_all(SENTENCE_END, "${0}\x00").str.split("\x00").alias("_s"))
        .with_row_index("_art")
        .explode("_s")
        .with_columns(pl.col("_s").fill_null("").str.len_chars().cast(pl.Int64).alias("_len"))
        .with_columns(in_article(pl.col("_len").cum_sum(), pl.col("_len")).alias("_end"))
        .with_columns((pl.col("_end") - pl.col("_len")).alias("_start"))
        .filter(pl.col("_len") > 0)
        # a new line starts after a sentence holding a line break, and with the article
        .with_columns(pl.when(first).then(True).otherwise(pl.col("_s").str.contains("\n").shift(1)).alias("_new_line"))
        .with_columns(in_article(pl.col("_new_line").cum_sum(), pl.col("_new_line")).alias("_line"))
        .with_columns(pl.col("text").str.slice(pl.col("_start"), pl.col("_len")).alias("_orig"))
    )
    # trim: leading whitespace or colon, trailing whitespace
    body = pl.col("_body")
    lead = pl.col("_orig").str.len_chars().cast(pl.Int64) - body.str.len_chars().cast(pl.Int64)
    out = (
        raw.with_columns(pl.col("_orig").str.strip_chars_start(" \t\r\n\u00a0\u202f:").alias("_body"))
        .with_columns(lead.alias("_lead"), body.str.strip_chars_end().alias("sentence"))
        .filter(pl.col("sentence").str.len_chars() > 0)
        .with_columns((pl.col("_start") + pl.col("_lead")).alias("s_start"), pl.col("sentence").str.len_chars().cast(pl.Int64).alias("_slen"))
        .with_columns(
            (pl.col("s_start") + pl.col("_slen")).alias("s_end"),
            # folding is character for character: the sentence's span of the folded text
            pl.col("_tfold").str.slice(pl.col("s_start"), pl.col("_slen")).alias("sfold"),
        )
        .with_columns(pl.col("sfold").str.contains(MARKER).alias("_marker"))
        .with_columns(pl.when(first).then(False).otherwise(pl.col("_marker").shift(1)).alias("is_teaser"))
        .filter(~pl.col("_marker"))
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_rn"))
        .with_columns(in_article(pl.col("_rn"), pl.lit(0, dtype=pl.Int64)).alias("sentence_idx"))
        .select("article_id", "sentence_idx", "s_start", "s_end", "sentence", "sfold", "is_teaser",
                pl.col("_line").cast(pl.Int64).alias("line_idx"))
    )
    return out
