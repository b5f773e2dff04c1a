"""Qualifier of a figure from the words just before it: près de, plus de, jusqu'à..."""
from __future__ import annotations

import polars as pl

from .text import rx
APPROX = (
    r"(?i)(?:\b(?:près|presque|environ|quelque|autour|approximativement|quasiment|pratiquement|grosso\s+modo"
    r"|nearly|about|around|approximately|almost|roughly|some|circa|an\s+estimated|estimée?s?\s+à)"
    r"(?:\s+(?:de|d['’]|du|of))?\s*|~\s*|≈\s*)$"
)
AT_LEAST = (
    r"(?i)\b(?:plus|more\s+than|over|au\s+moins|au\s+minimum|at\s+least|in\s+excess\s+of|upwards\s+of|supérieure?s?\s+à"
    r"|dépassant|exceeding|north\s+of|minimum)(?:\s+(?:de|d['’]|than|of))?\s*$"
)
AT_MOST = (
    r"(?i)(?:\bjusqu['’]\s*(?:à|a)|\b(?:up\s+to|as\s+much\s+as|moins\s+de|moins\s+d['’]|less\s+than|under|at\s+most|au\s+plus"
    r"|au\s+maximum|maximum|no\s+more\s+than|pas\s+plus\s+de|inférieure?s?\s+à))\s*$"
)



# every pattern runs on accent-folded text with ASCII word boundaries (see text.rx)
APPROX = rx(APPROX)
AT_LEAST = rx(AT_LEAST)
AT_MOST = rx(AT_MOST)

def qualifier(left: pl.Expr) -> pl.Expr:
    """approx / at_least / at_most / exact from the text that ends right before the figure."""
    tail = left.str.slice(-40)
    return (
        pl.when(tail.str.contains(APPROX)).then(pl.lit("approx"))
        .when(tail.str.contains(AT_MOST)).then(pl.lit("at_most"))
        .when(tail.str.contains(AT_LEAST)).then(pl.lit("at_least"))
        .otherwise(pl.lit("exact"))
    )
